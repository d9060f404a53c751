/**
 * "Which one did you mean?": one section per match with a button carrying the full command.
 */
import { scaled } from '../text.js';
import { ACTION_VERBS, type ChooseView } from '../views.js';
import { context, section, type Block } from './common.js';
import { mrkdwnLine, plain } from './escape.js';
import { SLACK_LIMITS, type BlockKitMessage } from './limits.js';

/** More matches than this and the requester should narrow the search instead. */
export const CHOOSE_OPTIONS_SHOWN = 10;

/** Renders the choose view as Block Kit; `scale` shortens every text cap when it must shrink. */
export function chooseMessage(view: ChooseView, scale = 1): BlockKitMessage {
  // A command too long for a button value cannot be sent back intact, so it is not offered.
  const options = view.options
    .map((option) => ({ option, value: JSON.stringify({ command: option.command }) }))
    .filter(({ value }) => value.length <= SLACK_LIMITS.buttonValue);
  const shown = options.slice(0, CHOOSE_OPTIONS_SHOWN);
  const hidden = view.options.length - shown.length;

  const blocks: Block[] = [
    ...section(`*${mrkdwnLine(view.question, scaled(300, scale))}*`),
    ...shown.map(({ option, value }) => ({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${mrkdwnLine(option.label, scaled(120, scale))}*\n${mrkdwnLine(option.detail, scaled(300, scale))}`,
      },
      accessory: {
        type: 'button',
        action_id: ACTION_VERBS.choose,
        text: plain('Choose', SLACK_LIMITS.buttonText),
        value,
      },
    })),
    ...context(hidden > 0 ? `…and ${hidden} more: add more detail to narrow the search.` : ''),
  ];

  return { text: mrkdwnLine(view.question, 300), blocks };
}
