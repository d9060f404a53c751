/**
 * The request form as a message. Slack forms live in modals, and a modal can only be opened with a
 * fresh trigger_id, so where no slash command supplied one the message offers a button that does.
 */
import { ACTION_VERBS, type RequestFormView } from '../views.js';
import type { Block } from './common.js';
import { plain } from './escape.js';
import { SLACK_LIMITS, type BlockKitMessage } from './limits.js';

/** Renders the form view as a message with a button opening {@link requestFormModal}. */
export function formMessage(_view: RequestFormView): BlockKitMessage {
  const blocks: Block[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: 'Request a contractor enrolment: who, how, and why.' },
      accessory: {
        type: 'button',
        action_id: ACTION_VERBS.openForm,
        text: plain('Open the form', SLACK_LIMITS.buttonText),
        style: 'primary',
        value: 'form',
      },
    },
  ];

  return { text: 'Request a contractor enrolment', blocks };
}
