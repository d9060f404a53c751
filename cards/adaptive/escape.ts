/**
 * Escaping user text for Adaptive Card TextBlocks and FactSets, which Teams renders as markdown
 * and scans for `<at>` mentions. adaptivecards-templating never re-evaluates `${...}` inside data,
 * so the template engine is safe; the markdown and the mention markup are not, so this module is.
 */
import { longText, shortText } from '../text.js';

const ZWSP = '\u200B';

/** Backslash-escapes markdown so user text renders literally and links or emphasis cannot be forged. */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/[\\*_~`[\]()]/g, (c) => `\\${c}`)
      // Block markers only matter at the start of a line: headings, quotes, lists.
      .replace(/^(\s*)([-+]|#{1,6})(?=\s|$)/gm, '$1\\$2')
      .replace(/^(\s*)>/gm, '$1\\>')
      .replace(/^(\s*\d+)([.)])(?=\s|$)/gm, '$1\\$2')
      // A zero-width space after `<` keeps the text readable but means no `<at>` mention or
      // HTML-ish tag can start there; after `&` it stops entities such as `&lt;at&gt;` decoding.
      .replace(/<(?=[A-Za-z/!?])/g, `<${ZWSP}`)
      .replace(/&(?=[#A-Za-z])/g, `&${ZWSP}`)
  );
}

/** Cleans, caps and escapes a single-line user value for a TextBlock or FactSet. */
export function mdLine(text: string, max: number): string {
  return escapeMarkdown(shortText(text, max));
}

/** Cleans, caps and escapes a multi-line user value (a reason or a comment). */
export function mdBlock(text: string, max: number): string {
  return escapeMarkdown(longText(text, max));
}
