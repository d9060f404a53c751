/**
 * From a Teams or Slack message as the platform delivers it (HTML, entities, mention markup,
 * Slack's link syntax) to plain single-spaced text. Every pattern repeats only over a negated
 * class or with a fixed bound, so cleaning is linear in the length of the message.
 */

const MENTION_OPEN = '\u0001';
const MENTION_CLOSE = '\u0002';
const BLOCK_TAGS = new Set([
  'p',
  'br',
  'div',
  'li',
  'ul',
  'ol',
  'tr',
  'td',
  'th',
  'hr',
  'blockquote',
]);
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  ndash: '-',
  mdash: '-',
  hellip: '...',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  shy: '',
  zwj: '',
  zwnj: '',
};

/** Soft hyphens, zero-width characters and bidirectional overrides: invisible, so never kept. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;

/**
 * Text a person typed into a form field (a deny comment), which the platform delivers as typed:
 * no control or invisible characters, NFKC, single spaces. Markup is left as text for the
 * renderers to escape, since here it is what the person wrote, not the platform's formatting.
 */
export function cleanPlainText(raw: string): string {
  return raw
    .replace(/\p{Cc}/gu, ' ')
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Plain text from a Teams or Slack message: mentions of the bot at the start or end dropped,
 * other mentions reduced to their text, Slack links to their label, HTML tags and entities
 * resolved, NFKC, no invisible or control characters, single spaces.
 */
export function cleanMessage(raw: string): string {
  // Controls (NUL, newlines, C1) become spaces first, so the markers below cannot be forged.
  let text = raw.replace(/\p{Cc}/gu, ' ');

  // Slack: <mailto:a@b|a@b>, <https://x|label>, <https://x>, <@U0123> and <@U0123|name>.
  text = text.replace(/<(?:mailto:|https?:\/\/)([^<>|]*)\|([^<>]*)>/gi, '$2');
  text = text.replace(/<mailto:([^<>|]*)>/gi, '$1');
  text = text.replace(/<(https?:\/\/[^<>|]*)>/gi, '$1');
  text = text.replace(/<@([A-Z0-9]{1,40})(?:\|[^<>]*)?>/gi, `${MENTION_OPEN}<@$1>${MENTION_CLOSE}`);
  // Teams: <at>Bot Name</at>, possibly with attributes.
  text = text.replace(/<at\b[^<>]*>([^<]*)<\/at\s*>/gi, `${MENTION_OPEN}$1${MENTION_CLOSE}`);
  text = text.replace(/<\/?([a-z][a-z0-9]{0,20})\b[^<>]*>/gi, (_m, tag: string) =>
    BLOCK_TAGS.has(tag.toLowerCase()) ? ' ' : '',
  );
  text = text.replace(/<![^<>]*>/g, '');

  text = decodeEntities(text).normalize('NFKC');
  text = text.replace(INVISIBLE, '');
  text = text.replace(/\s+/g, ' ').trim();

  text = dropEdgeMentions(text);
  text = text.split(MENTION_OPEN).join('').split(MENTION_CLOSE).join('');
  return trimEndOf(text, '.!? ').trim();
}

function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body.charAt(0) !== '#') return NAMED_ENTITIES[body.toLowerCase()] ?? whole;

    const hex = body.charAt(1).toLowerCase() === 'x';
    const code = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
    if (control) return ' ';
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
    return String.fromCodePoint(code);
  });
}

/** Mentions at the very start or end address the bot; drop them whole. */
function dropEdgeMentions(text: string): string {
  let result = text;
  while (result.startsWith(MENTION_OPEN)) {
    const close = result.indexOf(MENTION_CLOSE);
    result = close === -1 ? result.slice(1) : result.slice(close + 1).trimStart();
  }
  while (result.endsWith(MENTION_CLOSE)) {
    const open = result.lastIndexOf(MENTION_OPEN);
    result = open === -1 ? result.slice(0, -1) : result.slice(0, open).trimEnd();
  }
  return result;
}

/**
 * `text` without any of `chars` at its end. A loop rather than /[...]+$/, which rescans a long
 * run of those characters from every position when the run is not at the end.
 */
export function trimEndOf(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text.charAt(end - 1))) end -= 1;
  return text.slice(0, end);
}
