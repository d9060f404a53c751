/**
 * A titled list of facts, used by status and pending answers.
 */
import { scaled } from '../text.js';
import type { InfoView } from '../views.js';
import { capLines, context, header, section, type Block } from './common.js';
import { mrkdwnLine } from './escape.js';
import type { BlockKitMessage } from './limits.js';

// Two blocks per section plus the header stay far below Slack's 50 blocks per message.
const MAX_SECTIONS = 12;
const MAX_LINES = 30;

/** Renders the info view as Block Kit; `scale` shortens every text cap when it must shrink. */
export function infoMessage(view: InfoView, scale = 1): BlockKitMessage {
  const shown = view.sections.slice(0, scaled(MAX_SECTIONS, scale, 2));
  const hidden = view.sections.length - shown.length;

  const blocks: Block[] = [
    header(view.title),
    ...shown.flatMap((s) => {
      const heading = s.heading ? `*${mrkdwnLine(s.heading, scaled(150, scale))}*\n` : '';
      const lines = capLines(
        s.lines.map((l) => mrkdwnLine(l, scaled(300, scale))),
        scaled(MAX_LINES, scale, 3),
      );
      return section(heading + lines.join('\n'));
    }),
    ...context(hidden > 0 ? `…and ${hidden} more sections` : ''),
  ];

  return { text: mrkdwnLine(view.title, 150), blocks };
}
