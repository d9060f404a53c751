/**
 * A practical check of e-mail addresses from the directory and from chat. Not RFC 5322: quoted
 * local parts, comments and IP-literal domains are refused, because Duo's enrolment email must
 * reach an ordinary mailbox and anything unusual is more likely a typo or an attack.
 */

/** Why an address was refused. */
export type EmailRefusal =
  'empty' | 'too_long' | 'bad_character' | 'no_at' | 'several_at' | 'bad_local_part' | 'bad_domain';

/** The outcome of normaliseEmail: the address with its domain in lower case, or why not. */
export type EmailResult = { ok: true; email: string } | { ok: false; reason: EmailRefusal };

/** RFC 5321's limit on a forward path, the practical maximum for an address. */
const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;
const MAX_LABEL_LENGTH = 63;

/** Whitespace, controls, invisible formatting and the characters that delimit addresses. */
const FORBIDDEN = /[\s\p{Cc}\p{Cf}<>()[\]\\,;:"]/u;
const LOCAL_CHAR = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+$/u;
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/** Checks and normalises one address (`mailto:` and surrounding spaces are dropped). */
export function normaliseEmail(raw: string): EmailResult {
  const text = String(raw ?? '')
    .normalize('NFKC')
    .trim()
    .replace(/^mailto:/i, '');

  if (text === '') return { ok: false, reason: 'empty' };
  if (text.length > MAX_EMAIL_LENGTH) return { ok: false, reason: 'too_long' };
  if (FORBIDDEN.test(text)) return { ok: false, reason: 'bad_character' };

  const at = text.indexOf('@');
  if (at === -1) return { ok: false, reason: 'no_at' };
  if (text.indexOf('@', at + 1) !== -1) return { ok: false, reason: 'several_at' };

  const local = text.slice(0, at);
  const domain = text.slice(at + 1).toLowerCase();
  if (!validLocal(local)) return { ok: false, reason: 'bad_local_part' };
  if (!validDomain(domain)) return { ok: false, reason: 'bad_domain' };
  return { ok: true, email: `${local}@${domain}` };
}

function validLocal(local: string): boolean {
  if (local === '' || local.length > MAX_LOCAL_LENGTH || !LOCAL_CHAR.test(local)) return false;
  return !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
}

function validDomain(domain: string): boolean {
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((label) => label.length <= MAX_LABEL_LENGTH && LABEL.test(label))) return false;

  // A top-level domain is never all digits; "a@1.2.3.4" is an IP address, not a mailbox domain.
  return !/^\d+$/.test(labels[labels.length - 1] as string);
}
