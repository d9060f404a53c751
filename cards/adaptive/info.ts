/**
 * A titled list of facts, used by status and pending answers.
 */
import { scaled } from '../text.js';
import type { InfoView } from '../views.js';
import { capList, fallback } from './common.js';
import { mdLine } from './escape.js';
import { expand } from './expand.js';
import template from './templates/info.json' with { type: 'json' };

const MAX_SECTIONS = 12;
const MAX_LINES = 30;

/** Fills the info template; `scale` shortens every text cap when the card must shrink. */
export function infoCard(view: InfoView, scale = 1): Record<string, unknown> {
  const sections = capList(view.sections, scaled(MAX_SECTIONS, scale, 2));
  const data = sections.shown.map((section) => {
    const lines = capList(section.lines, scaled(MAX_LINES, scale, 3));
    return {
      hasHeading: Boolean(section.heading),
      heading: mdLine(section.heading ?? '', scaled(150, scale)),
      lines: [
        ...lines.shown.map((l) => mdLine(l, scaled(300, scale))),
        ...(lines.more ? [lines.more] : []),
      ],
    };
  });
  if (sections.more) data.push({ hasHeading: false, heading: '', lines: [sections.more] });

  return expand(template, {
    fallbackText: fallback(view.title),
    title: mdLine(view.title, scaled(150, scale)),
    sections: data,
  });
}
