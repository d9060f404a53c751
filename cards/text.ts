/**
 * Text hygiene shared by both renderers. User text arrives from chat messages, directory records and
 * CSV files, so it may carry control characters, bidi overrides or megabytes of noise; each renderer
 * cleans and caps it here before escaping it for its own markup.
 */

// C0/C1 controls except tab and newline, plus bidi embeddings, overrides, isolates and marks: they can
// make a card read differently from what it says ("Trojan Source"), and nobody needs them in a name.
const UNSAFE_CHARS =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The mark appended to text that was cut short. */
export const ELLIPSIS = '…';

/** Removes control and bidi-override characters; keeps newlines, turns tabs into spaces. */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(UNSAFE_CHARS, '');
}

/** Cleans text and folds every run of whitespace (newlines included) into one space. */
export function oneLine(text: string): string {
  return cleanText(text).replace(/\s+/g, ' ').trim();
}

/**
 * Cuts text to at most `max` UTF-16 code units (what JSON and both platforms' limits count), at a
 * grapheme boundary so an emoji or accented letter is never split, ending in an ellipsis when cut.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;

  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length > max - ELLIPSIS.length) break;
    out += segment;
  }
  return out + ELLIPSIS;
}

/** Cleans and caps a single-line value (names, usernames, labels). */
export function shortText(text: string, max: number): string {
  return truncate(oneLine(text), max);
}

/** Cleans and caps a multi-line value (reasons, comments), keeping at most two newlines in a row. */
export function longText(text: string, max: number): string {
  return truncate(
    cleanText(text)
      .replace(/\n{3,}/g, '\n\n')
      .trim(),
    max,
  );
}

/** Scales a length cap for a compact rendering, never below a readable minimum. */
export function scaled(cap: number, scale: number, min = 16): number {
  return Math.max(min, Math.floor(cap * scale));
}
