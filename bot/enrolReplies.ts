/** Words for what happened to an enrolment ask. */
import type { ChooseView } from '../cards/views.js';
import type { DirectoryRecord } from '../src/directory/types.js';
import type { EnrolOutcome } from '../src/workflow/requests.js';
import type { EnrolMethod, EnrolmentRequest } from '../src/workflow/types.js';
import type { Reply } from './ports.js';
import { maskedDestination } from './views.js';

/** Turn one outcome into the requester's answer. */
export function enrolReplies(outcome: EnrolOutcome, method: EnrolMethod, reason?: string): Reply[] {
  switch (outcome.kind) {
    case 'not_found':
      return [
        {
          text: `I could not find "${outcome.who}" in the directory. Check the spelling, or use their username or e-mail.`,
        },
      ];
    case 'ambiguous':
      return [
        {
          text: `${outcome.matches.length} people match "${outcome.who}". Which one?`,
          card: chooseView(outcome.who, outcome.matches, method, reason),
        },
      ];
    case 'directory_unavailable':
    case 'duo_unavailable':
    case 'limit':
      return [{ text: `Sorry, ${outcome.message}.` }];
    case 'duplicate':
      return [{ text: duplicateText(outcome.request) }];
    case 'already_enrolled':
      return [
        {
          text: `${outcome.record.displayName} (${outcome.record.username}) is already enrolled in Duo with an activated phone, so no approval was asked. Say "status ${outcome.record.username}" for details.`,
        },
      ];
    case 'rejected': {
      const failed = outcome.request.checks.filter((c) => !c.ok).map((c) => `• ${c.detail}`);

      return [
        {
          text: `${outcome.request.id}: I did not ask for approval because:\n${failed.join('\n')}`,
        },
      ];
    }
    case 'pending': {
      const r = outcome.request;
      const how = r.method === 'sms' ? 'activation SMS' : 'enrolment e-mail';

      return [
        {
          text: `${r.id}: I asked the security team to approve a Duo ${how} for ${r.contractor.displayName} (${maskedDestination(r)}). I will tell you when it is decided.`,
        },
      ];
    }
  }
}

/** One button per match; clicking it repeats the request for that username. */
export function chooseView(
  who: string,
  matches: DirectoryRecord[],
  method: EnrolMethod,
  reason?: string,
): ChooseView {
  const because = reason ? ` because ${reason}` : '';

  return {
    kind: 'choose',
    question: `Several people match "${who}". Pick the contractor you meant:`,
    options: matches.slice(0, 10).map((m) => ({
      label: `${m.displayName} (${m.username})`,
      detail: [
        m.userPrincipalName,
        m.emails[0]?.value ? 'has e-mail' : undefined,
        m.mobiles[0] ? 'has mobile' : undefined,
      ]
        .filter(Boolean)
        .join(', '),
      command: `enrol contractor ${m.username} by ${method}${because}`,
    })),
  };
}

/** Why no second request is made: one waits, or a link was sent and may still be used. */
function duplicateText(request: EnrolmentRequest): string {
  const { id, state } = request;
  const who = request.contractor.displayName;
  if (state !== 'sent') {
    return `${who} already has a request on its way: ${id} (${state.replace('_', ' ')}). Say "status ${id}" to follow it.`;
  }
  const what = request.method === 'sms' ? 'an activation SMS' : 'an enrolment e-mail';
  const until = request.progress.validUntil
    ? ` Its link works until ${request.progress.validUntil.slice(0, 16).replace('T', ' ')} UTC.`
    : '';

  return (
    `${who} was already sent ${what} by ${id}.${until} Nothing new was requested: when the ` +
    `link has lapsed unused, say "resend ${id}"; an approver can "revoke ${id}" first to undo it.`
  );
}
