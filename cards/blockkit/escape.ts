/**
 * Escaping user text for Slack. In `mrkdwn`, `<...>` is live markup (`<!channel>`, `<@U123>`,
 * `<http://x|y>`), so `&`, `<` and `>` become entities and the text is inert. `plain_text` is never
 * parsed for markup, so it is only cleaned and capped. Exported for adapters writing plain messages.
 */
import { longText, shortText, truncate } from '../text.js';

/** Turns `&`, `<` and `>` into entities, which is all Slack's mrkdwn needs to show text literally. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Caps already-escaped text to `max` characters without leaving half an entity behind. */
export function fitEscaped(text: string, max: number): string {
  if (text.length <= max) return text;

  return truncate(text, max).replace(/&[a-z]{0,3}…$/, '…');
}

/** Cleans, caps and escapes a single-line user value for mrkdwn, within `max` characters. */
export function mrkdwnLine(text: string, max: number): string {
  return fitEscaped(escapeMrkdwn(shortText(text, max)), max);
}

/** Cleans, caps and escapes a multi-line user value for mrkdwn, within `max` characters. */
export function mrkdwnBlock(text: string, max: number): string {
  return fitEscaped(escapeMrkdwn(longText(text, max)), max);
}

/** A Block Kit `mrkdwn` text object; the caller has escaped any user text in it. */
export function mrkdwn(text: string) {
  return { type: 'mrkdwn', text };
}

/** A Block Kit `plain_text` object holding cleaned, capped text. */
export function plain(text: string, max: number) {
  return { type: 'plain_text', text: shortText(text, max), emoji: true };
}
