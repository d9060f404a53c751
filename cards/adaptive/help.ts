/**
 * The help card: what the bot understands, one command per line.
 */
import { scaled } from '../text.js';
import type { HelpView } from '../views.js';
import { fallback } from './common.js';
import { mdBlock, mdLine } from './escape.js';
import { expand } from './expand.js';
import template from './templates/help.json' with { type: 'json' };

const MAX_COMMANDS = 30;

/** Fills the help template; `scale` shortens every text cap when the card must shrink. */
export function helpCard(view: HelpView, scale = 1): Record<string, unknown> {
  return expand(template, {
    fallbackText: fallback(view.intro),
    intro: mdBlock(view.intro, scaled(1000, scale)),
    commands: view.commands.slice(0, MAX_COMMANDS).map((c) => ({
      usage: mdLine(c.usage, scaled(120, scale)),
      description: mdLine(c.description, scaled(300, scale)),
    })),
  });
}
