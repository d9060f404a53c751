/**
 * The help message: what the bot understands, one command per line.
 */
import { scaled } from '../text.js';
import type { HelpView } from '../views.js';
import { header, section, type Block } from './common.js';
import { mrkdwnBlock, mrkdwnLine } from './escape.js';
import type { BlockKitMessage } from './limits.js';

const MAX_COMMANDS = 30;

/** Renders the help view as Block Kit; `scale` shortens every text cap when it must shrink. */
export function helpMessage(view: HelpView, scale = 1): BlockKitMessage {
  const commands = view.commands
    .slice(0, MAX_COMMANDS)
    .map(
      (c) =>
        `\`${mrkdwnLine(c.usage, scaled(120, scale)).replace(/`/g, "'")}\` ${mrkdwnLine(c.description, scaled(300, scale))}`,
    );

  const blocks: Block[] = [
    header('Contractor enrolment'),
    ...section(mrkdwnBlock(view.intro, scaled(1000, scale))),
    ...section(commands.join('\n')),
  ];

  return { text: mrkdwnLine(view.intro, 300), blocks };
}
