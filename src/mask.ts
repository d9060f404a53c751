/**
 * Masking of phone numbers and e-mail addresses for cards, replies and logs: enough left to
 * recognise the destination (country code, last digits, first letter and domain), too little to
 * reuse it. Scanners here are hand-written loops, so masking a log line is linear in its length.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const BULLET = '\u2022';

/** `+447400123456` → `+44 •••• ••3456`: the country code and the last four digits stay. */
export function maskPhone(phone: string): string {
  const text = String(phone ?? '').trim();
  const digits = onlyDigits(text);
  const parsed = text.startsWith('+') ? safeParse(text) : undefined;

  if (parsed) return `+${parsed.countryCallingCode} ${maskDigits(parsed.nationalNumber)}`;
  return maskDigits(digits);
}

/** `jdoe@contractorco.example` → `j•••@contractorco.example`; the local part's length is hidden. */
export function maskEmail(email: string): string {
  const text = String(email ?? '').trim();
  const at = text.lastIndexOf('@');
  if (at <= 0) return BULLET.repeat(3);

  const first = Array.from(text.slice(0, at))[0] ?? '';
  return `${first}${BULLET.repeat(3)}${text.slice(at)}`;
}

/**
 * Free text with every e-mail-like and phone-like part masked (for log lines and error messages).
 * Phone-like: an optional `+`, then at least 7 digits with spaces, dots, dashes, slashes or
 * brackets between them, not glued to letters. ISO dates (2024-05-01) are left alone.
 */
export function maskText(text: string): string {
  if (typeof text !== 'string' || text === '') return text;
  return maskPhonesIn(maskEmailsIn(text));
}

/** Digits as bullets but the last four (two for short numbers), in a group of four and the rest. */
function maskDigits(digits: string): string {
  if (digits.length < 4) return BULLET.repeat(4);

  const keep = digits.length >= 8 ? 4 : 2;
  const hidden = BULLET.repeat(digits.length - keep) + digits.slice(-keep);
  return keep === 4 ? `${hidden.slice(0, 4)} ${hidden.slice(4)}` : hidden;
}

function safeParse(text: string) {
  try {
    return parsePhoneNumberFromString(text);
  } catch {
    return undefined;
  }
}

function onlyDigits(text: string): string {
  let digits = '';
  for (const char of text) if (char >= '0' && char <= '9') digits += char;
  return digits;
}

// ---- Scanners --------------------------------------------------------------------------------

const EMAIL_STOP = new Set([...' \t\r\n<>()[]{},;:"\'`|\\/@=&?']);

function isEmailChar(char: string): boolean {
  return char !== '' && !EMAIL_STOP.has(char) && !/\s/.test(char);
}

function maskEmailsIn(text: string): string {
  let out = '';
  let copied = 0;
  let searchFrom = 0;

  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', searchFrom)) {
    let start = at;
    while (start > copied && isEmailChar(text.charAt(start - 1))) start -= 1;
    let end = at + 1;
    while (end < text.length && isEmailChar(text.charAt(end))) end += 1;
    while (end > at + 1 && text.charAt(end - 1) === '.') end -= 1;

    const domain = text.slice(at + 1, end);
    searchFrom = at + 1;
    if (start === at || !domain.includes('.') || domain.startsWith('.')) continue;

    out += text.slice(copied, start) + maskEmail(text.slice(start, end));
    copied = end;
    searchFrom = end;
  }
  return out + text.slice(copied);
}

const PHONE_SEPARATORS = new Set([' ', '-', '.', '(', ')', '/', '\u00a0']);

function isDigit(char: string): boolean {
  return char >= '0' && char <= '9';
}

function isWordChar(char: string): boolean {
  return char !== '' && /[\p{L}\p{N}_]/u.test(char);
}

function maskPhonesIn(text: string): string {
  // Full-width digits (as typed on East Asian keyboards) count as digits.
  const source = text.replace(/[\uff0b\uff10-\uff19]/g, toAscii);
  let out = '';
  let copied = 0;
  let i = 0;

  while (i < source.length) {
    const char = source.charAt(i);
    const startsRun = isDigit(char) || (char === '+' && isDigit(source.charAt(i + 1)));
    if (!startsRun || gluedToWord(source, i)) {
      i += 1;
      continue;
    }

    const end = scanRun(source, i);
    const run = source.slice(i, end);
    const digitCount = onlyDigits(run).length;
    if (digitCount >= 7 && !isWordChar(source.charAt(end)) && !isIsoDate(run)) {
      out += source.slice(copied, i) + maskPhone(run);
      copied = end;
    }
    i = Math.max(end, i + 1);
  }
  return out + source.slice(copied);
}

/** The end of a run of digits and separators starting at `from`, without trailing separators. */
function scanRun(text: string, from: number): number {
  let end = from + 1;
  let lastDigit = isDigit(text.charAt(from)) ? from : -1;
  while (end < text.length) {
    const char = text.charAt(end);
    if (isDigit(char)) lastDigit = end;
    else if (!PHONE_SEPARATORS.has(char)) break;
    end += 1;
  }
  return lastDigit === -1 ? from + 1 : lastDigit + 1;
}

/** `REQ-1234567`, `v1.2345678`, a GUID's segments: digits that continue a word, not a number. */
function gluedToWord(text: string, at: number): boolean {
  const before = text.charAt(at - 1);
  if (isWordChar(before)) return true;
  return (before === '-' || before === '.' || before === '/') && isWordChar(text.charAt(at - 2));
}

function isIsoDate(run: string): boolean {
  return /^\d{4}-\d{2}-\d{2}(?:$|[ T])/.test(run) && onlyDigits(run).length <= 14;
}

function toAscii(char: string): string {
  return String.fromCharCode(char.charCodeAt(0) - 0xfee0);
}
