/** The help card and the one-line help used after a message the bot did not understand. */
import type { HelpView } from '../cards/views.js';

export const HELP_VIEW: HelpView = {
  kind: 'help',
  intro:
    'I enrol contractors in Duo MFA. I check the directory, ask the security team to approve, then have Duo send the activation SMS or enrolment e-mail.',
  commands: [
    {
      usage: 'enrol contractor jdoe by sms [because ...]',
      description: 'Activation SMS to the mobile number in the directory',
    },
    {
      usage: 'enrol contractor jdoe by email [because ...]',
      description: "Duo enrolment e-mail to the directory's e-mail address",
    },
    {
      usage: 'enrol contractors jdoe, asmith by email',
      description: 'Several contractors, one approval',
    },
    {
      usage: 'enrol group Contractors-ProjectX by sms',
      description: 'Every member of a group, one approval',
    },
    { usage: 'enrol', description: 'A form to fill in instead of typing' },
    {
      usage: 'status jdoe  /  status REQ-7',
      description: "Requests and Duo's live view of a contractor",
    },
    { usage: 'my requests', description: 'What you have asked for' },
    { usage: 'pending', description: 'Approvers: what waits for a decision' },
    { usage: 'cancel REQ-7', description: 'Withdraw a request before it is sent' },
    { usage: 'resend REQ-7', description: 'A new link when the last one expired unused' },
    { usage: 'retry REQ-7', description: 'Approvers: try again after Duo failed' },
    { usage: 'revoke REQ-7', description: 'Approvers: undo a send that should not have happened' },
    { usage: 'audit [days]', description: 'Approvers: the audit log as a CSV file' },
  ],
};

/** Appended to a parser hint so every confused answer shows the way out. */
export const SHORT_HELP = 'Say "help" for what I can do, e.g. "enrol contractor jdoe by sms".';
