/**
 * "Which one did you mean?": one button per directory match, each carrying the full command.
 */
import { shortText, scaled } from '../text.js';
import { ACTION_VERBS, type ChooseView } from '../views.js';
import { capList, fallback } from './common.js';
import { mdLine } from './escape.js';
import { expand } from './expand.js';
import template from './templates/choose.json' with { type: 'json' };

/** More matches than this and the requester should narrow the search instead. */
export const CHOOSE_OPTIONS_SHOWN = 10;

/** Fills the choose template; `scale` shortens every text cap when the card must shrink. */
export function chooseCard(view: ChooseView, scale = 1): Record<string, unknown> {
  const { shown, more } = capList(view.options, CHOOSE_OPTIONS_SHOWN);

  return expand(template, {
    fallbackText: fallback(view.question),
    question: mdLine(view.question, scaled(300, scale)),
    options: shown.map((option) => ({
      label: mdLine(option.label, scaled(120, scale)),
      detail: mdLine(option.detail, scaled(300, scale)),
      // Button titles are plain text (no markdown), so they are only cleaned and capped.
      title: `Choose ${shortText(option.label, 40)}`,
      // The command is data the bot made, sent back verbatim; it is never shown as markdown.
      command: option.command,
    })),
    more: more ? `${more}: add more detail to narrow the search.` : '',
    verbs: ACTION_VERBS,
    show: { more: Boolean(more) },
  });
}
