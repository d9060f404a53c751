/**
 * A one-line notice card, for messages that need a colour but no structure (a card that could not
 * be updated, a result posted in the thread instead).
 */
import { scaled } from '../text.js';
import { fallback, TONE_COLOURS } from './common.js';
import type { Tone } from '../labels.js';
import { mdBlock } from './escape.js';
import { expand } from './expand.js';
import template from './templates/notice.json' with { type: 'json' };

/** Fills the notice template; the text is user-facing and escaped like any other. */
export function noticeCard(text: string, tone: Tone = 'neutral', scale = 1) {
  return expand(template, {
    fallbackText: fallback(text),
    text: mdBlock(text, scaled(4000, scale)),
    colour: TONE_COLOURS[tone],
  });
}
