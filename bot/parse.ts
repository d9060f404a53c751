/**
 * Turns what a person typed in Teams or Slack into a Command. Pure and total: any string gives a
 * Command, never an exception, in time linear in its length (no regular expression here can
 * backtrack catastrophically: every repetition is over a negated class or has a fixed bound).
 */
import type { EnrolMethod } from '../src/workflow/types.js';
import {
  MAX_AUDIT_DAYS,
  MAX_REASON_LENGTH,
  MAX_WHO_LENGTH,
  type Command,
  type EnrolTarget,
} from './commands.js';
import { cleanMessage, trimEndOf } from './cleanMessage.js';

/** Options for parseCommand. */
export interface ParseOptions {
  /** Longest accepted message in UTF-16 code units; longer ones are refused unread. */
  maxLength?: number;
}

/** The default for ParseOptions.maxLength. */
export const DEFAULT_MAX_MESSAGE_LENGTH = 4000;

/** The fixed hints the parser answers with; never containing the person's own text. */
export const PARSE_HINTS = {
  help:
    'Try: enrol contractor jdoe by sms (or by email), status jdoe, status REQ-7, pending, ' +
    'my requests, cancel REQ-7, or help.',
  tooLong: 'That message is too long. Send a shorter command, or help to see what I understand.',
  noMethod: 'Say how to send it: by sms or by email, e.g. enrol contractor jdoe by sms.',
  badMethod: 'I can only enrol by sms or by email, e.g. enrol contractor jdoe by email.',
  noWho: 'Say who to enrol, e.g. enrol contractor jdoe by sms.',
  whoTooLong: 'That name is too long. Use the username or email of the contractor.',
  trailing: 'I did not understand the words after the method. Put a reason after because.',
  status: 'Say whose status you want: status jdoe, or status REQ-7 for one request.',
  requestId: 'Say which request, by its id, e.g. cancel REQ-7.',
  auditDays: `Say how many days, from 1 to ${MAX_AUDIT_DAYS}, e.g. audit 30.`,
} as const;

const TARGET_WORDS = new Set(['contractor', 'contractors', 'group']);
const ENROL_VERBS = new Set(['enrol', 'enroll', '/enrol', '/enroll']);
const METHOD_WORDS: ReadonlyMap<string, EnrolMethod> = new Map([
  ['sms', 'sms'],
  ['text', 'sms'],
  ['txt', 'sms'],
  ['email', 'email'],
  ['e-mail', 'email'],
  ['mail', 'email'],
]);
const QUOTES = `"'\`\u2018\u2019\u201c\u201d\u00ab\u00bb`;
const CLOSING_QUOTE: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ["'", "'"],
  ['\u201c', '\u201d'],
  ['\u2018', '\u2019'],
  ['\u00ab', '\u00bb'],
]);

/** Reads one chat message; see DESIGN.md "How people and messages map" for the grammar. */
export function parseCommand(text: string, opts: ParseOptions = {}): Command {
  const maxLength = opts.maxLength ?? DEFAULT_MAX_MESSAGE_LENGTH;
  if (typeof text !== 'string') return unknown(PARSE_HINTS.help);

  if (text.length > maxLength) return unknown(PARSE_HINTS.tooLong);

  const cleaned = cleanMessage(text);
  const words = cleaned === '' ? [] : cleaned.split(' ');
  if (words.length > 0 && keyword(words[0]) === 'please') words.shift();

  return parseWords(words);
}

function parseWords(words: string[]): Command {
  const verb = keyword(words[0]);
  const rest = words.slice(1);

  if (ENROL_VERBS.has(verb)) return rest.length === 0 ? { kind: 'enrol_form' } : parseEnrol(rest);
  if (TARGET_WORDS.has(verb)) return parseEnrol(words);
  if (verb === 'help' || verb === '/help') return { kind: 'help' };
  if (verb === 'status') return parseStatus(rest);
  const pending = verb === 'pending' && isOneOf(rest, ['', 'requests', 'approvals']);
  if (pending) return { kind: 'pending' };
  if (verb === 'my' && isOneOf(rest, ['requests', 'request'])) return { kind: 'my_requests' };
  if (verb === 'cancel' || verb === 'resend' || verb === 'revoke' || verb === 'retry') {
    const requestId = onlyRequestId(rest);
    return requestId ? { kind: verb, requestId } : unknown(PARSE_HINTS.requestId);
  }
  if (verb === 'audit') return parseAudit(rest);

  return unknown(PARSE_HINTS.help);
}

function parseEnrol(words: string[]): Command {
  const targetWord = keyword(words[0]);
  const start = TARGET_WORDS.has(targetWord) ? 1 : 0;
  const whoEnd = endOfQuoted(words, start);
  const because = indexOfKeyword(words, 'because', whoEnd);
  const limit = because === -1 ? words.length : because;
  let method = findMethod(words, whoEnd, limit);
  let whoWords = method ? words.slice(start, method.at) : [];
  let reasonWords = because === -1 ? [] : words.slice(because + 1);

  if (method && method.at + 2 < limit && !onlyCourtesy(words.slice(method.at + 2, limit))) {
    return unknown(PARSE_HINTS.trailing);
  }

  if (!method && because !== -1) {
    // "enrol contractor jdoe because ... by sms": the method came last.
    method = findMethod(words, because + 1, words.length);
    if (method && method.at + 2 !== words.length) method = undefined;
    whoWords = words.slice(start, because);
    reasonWords = method ? words.slice(because + 1, method.at) : [];
  }
  if (!method) {
    const named = hasMethodIntroducer(words, whoEnd);
    return unknown(named ? PARSE_HINTS.badMethod : PARSE_HINTS.noMethod);
  }

  const target = buildTarget(targetWord, whoWords.join(' '));
  if (typeof target === 'string') return unknown(target);

  const reason = capCodePoints(reasonWords.join(' ').trim(), MAX_REASON_LENGTH);
  return reason === ''
    ? { kind: 'enrol', target, method: method.method }
    : { kind: 'enrol', target, method: method.method, reason };
}

/** The target from the words between the target keyword and the method, or a hint. */
function buildTarget(targetWord: string, whoText: string): EnrolTarget | string {
  const names = targetWord === 'contractors' ? splitList(whoText) : [cleanName(whoText)];
  const kept = names.filter((name) => name !== '');

  if (kept.length === 0) return PARSE_HINTS.noWho;
  if (kept.some((name) => name.length > MAX_WHO_LENGTH)) return PARSE_HINTS.whoTooLong;
  if (targetWord === 'group') return { type: 'group', group: kept[0] as string };
  if (kept.length === 1) return { type: 'one', who: kept[0] as string };
  return { type: 'list', who: kept };
}

/**
 * `a, b and c` / `a; b & c` into names, dropping repeats (case-insensitively). A name that starts
 * with a quote runs to its closing quote, so `"Doe, John", asmith` is two names.
 */
function splitList(text: string): string[] {
  const pieces: string[] = [];
  let current = '';
  let closing = '';
  let started = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charAt(i);
    const opening = started ? undefined : CLOSING_QUOTE.get(char);
    const separator = closing === '' ? listSeparatorAt(text, i) : 0;

    if (closing !== '' && char === closing) closing = '';
    else if (closing === '' && opening !== undefined) closing = opening;

    if (separator > 0) {
      pieces.push(current);
      current = '';
      started = false;
      i += separator - 1;
    } else {
      current += char;
      started ||= char !== ' ';
    }
  }
  pieces.push(current);

  const seen = new Set<string>();
  return pieces.map(cleanName).filter((name) => {
    const key = name.toLowerCase();
    if (name === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The length of a list separator (`,` `;` ` and ` ` & `) at `at`, or 0. */
function listSeparatorAt(text: string, at: number): number {
  const char = text.charAt(at);
  if (char === ',' || char === ';') return 1;
  if (char !== ' ') return 0;
  if (text.slice(at, at + 5).toLowerCase() === ' and ') return 5;
  return text.slice(at, at + 3) === ' & ' ? 3 : 0;
}

function parseStatus(words: string[]): Command {
  const rest = ['of', 'for'].includes(keyword(words[0])) ? words.slice(1) : words;
  const requestId = onlyRequestId(rest);
  if (requestId) return { kind: 'status', requestId };

  const who = cleanName(rest.join(' '));
  if (who === '') return unknown(PARSE_HINTS.status);
  if (who.length > MAX_WHO_LENGTH) return unknown(PARSE_HINTS.whoTooLong);
  return { kind: 'status', who };
}

function parseAudit(words: string[]): Command {
  const rest = keyword(words[0]) === 'last' ? words.slice(1) : words;
  if (rest.length === 0) return { kind: 'audit' };

  const unit = keyword(rest[1]);
  const digits = keyword(rest[0]);
  const valid = /^\d{1,5}$/.test(digits) && rest.length <= 2 && ['', 'day', 'days'].includes(unit);
  const days = valid ? Number(digits) : NaN;
  if (!(days >= 1 && days <= MAX_AUDIT_DAYS)) return unknown(PARSE_HINTS.auditDays);
  return { kind: 'audit', days };
}

/** The request id when `words` is exactly one (optionally after `request`), upper-cased. */
function onlyRequestId(words: string[]): string | undefined {
  const rest = keyword(words[0]) === 'request' ? words.slice(1) : words;
  if (rest.length !== 1) return undefined;

  const match = /^req-(\d{1,15})$/.exec(keyword(stripQuotes(rest[0] ?? '')));
  if (!match) return undefined;
  return `REQ-${(match[1] as string).replace(/^0+(?=\d)/, '')}`;
}

/** The first `by|via <method>` in words[from, to), with its index. */
function findMethod(
  words: string[],
  from: number,
  to: number,
): { at: number; method: EnrolMethod } | undefined {
  for (let i = from; i + 1 < to; i += 1) {
    const introducer = keyword(words[i]);
    const method = METHOD_WORDS.get(keyword(words[i + 1]));
    if ((introducer === 'by' || introducer === 'via') && method) return { at: i, method };
  }
  return undefined;
}

function hasMethodIntroducer(words: string[], from: number): boolean {
  return words.slice(Math.max(from, 1)).some((w) => ['by', 'via'].includes(keyword(w)));
}

/** Where a name starting with a quote at words[start] ends, so quoted names may hold `by sms`. */
function endOfQuoted(words: string[], start: number): number {
  const first = words[start];
  if (first === undefined || !isQuote(first.charAt(0))) return start;

  for (let i = start; i < words.length; i += 1) {
    const word = words[i] as string;
    const tail = trimEndOf(word, '.,;:!?');
    if (isQuote(tail.charAt(tail.length - 1)) && (i > start || tail.length > 1)) {
      return i + 1;
    }
  }
  return start;
}

/** `please`, `thanks`, `thank you` after the method are manners, not a reason. */
function onlyCourtesy(words: string[]): boolean {
  const text = words.map(keyword).join(' ');
  return ['please', 'thanks', 'thank you', 'thx'].includes(text);
}

function indexOfKeyword(words: string[], wanted: string, from: number): number {
  for (let i = from; i < words.length; i += 1) if (keyword(words[i]) === wanted) return i;
  return -1;
}

function isOneOf(words: string[], allowed: string[]): boolean {
  return words.length <= 1 && allowed.includes(keyword(words[0]));
}

/** A word as compared with keywords: lower case, trailing punctuation dropped. */
function keyword(word: string | undefined): string {
  return trimEndOf((word ?? '').toLowerCase(), '.,;:!?');
}

/** A person's or group's name: outer punctuation and quotes dropped, case and inner text kept. */
function cleanName(text: string): string {
  return stripQuotes(trimEndOf(text.trim(), ',;:').trim());
}

function stripQuotes(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isQuote(text.charAt(start))) start += 1;
  while (end > start && isQuote(text.charAt(end - 1))) end -= 1;
  return text.slice(start, end).trim();
}

function isQuote(char: string): boolean {
  return char !== '' && QUOTES.includes(char);
}

/** At most `max` characters, never cutting one in half (a surrogate pair stays whole). */
export function capCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join('').trim();
}

function unknown(hint: string): Command {
  return { kind: 'unknown', hint };
}
