/**
 * The rows of a bulk request, from a typed list or a CSV file, and the check of a row's own e-mail
 * or phone against the directory. A row's contact details are never used to send anything: the
 * directory stays the source of truth, and a row that disagrees with it is blocked so that a
 * mistyped or planted number is seen by a person instead of silently replaced or trusted.
 */
import { parse } from 'csv-parse/sync';
import type { DirectoryRecord } from '../directory/types.js';
import { normaliseEmail } from '../email.js';
import { maskEmail, maskPhone } from '../mask.js';
import { normalisePhone } from '../phone.js';
import type { CheckResult, EnrolMethod } from './types.js';

/** One contractor of a bulk request, as the requester named them. */
export interface BatchEntry {
  who: string;
  method?: EnrolMethod;
  email?: string;
  phone?: string;
  /** The CSV line, for answers about a bad row. */
  line?: number;
}

/** A CSV file read into rows, or why not. */
export type CsvResult = { ok: true; entries: BatchEntry[] } | { ok: false; message: string };

const METHODS: ReadonlyMap<string, EnrolMethod> = new Map([
  ['sms', 'sms'],
  ['text', 'sms'],
  ['email', 'email'],
  ['e-mail', 'email'],
  ['mail', 'email'],
]);

/** The method named by a word (sms, text, email, e-mail, mail), or undefined. */
export function methodWord(word: string): EnrolMethod | undefined {
  return METHODS.get(word.trim().toLowerCase());
}

/**
 * Read a CSV with a header row: `username`, optional `method`, `email`, `phone`. Reading stops one
 * row past `maxRows`, so an oversize file costs no more than the largest allowed one.
 */
export function parseBatchCsv(text: string, maxRows: number): CsvResult {
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      to_line: maxRows + 2,
    });
  } catch (err) {
    return { ok: false, message: `the file is not valid CSV (${(err as Error).message})` };
  }

  const header = (rows[0] ?? []).map((h) => h.toLowerCase());
  const column = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const user = column('username', 'user', 'contractor');
  if (user === -1) {
    return { ok: false, message: 'the file needs a header row with a "username" column' };
  }
  if (rows.length - 1 > maxRows) {
    return { ok: false, message: `the file has more than ${maxRows} rows (MAX_BATCH_SIZE)` };
  }

  const [method, email, phone] = [column('method'), column('email', 'mail'), column('phone')];
  const cell = (row: string[], i: number) => (i === -1 ? undefined : row[i] || undefined);
  const entries = rows.slice(1).flatMap((row, i): BatchEntry[] => {
    const who = cell(row, user);
    if (!who) return [];

    const named = cell(row, method);
    return [
      {
        who,
        method: named ? methodWord(named) : undefined,
        email: cell(row, email),
        phone: cell(row, phone),
        line: i + 2,
      },
    ];
  });

  return { ok: true, entries };
}

/**
 * Checks of a row's own e-mail and phone against the directory record; both sides normalised, so
 * `+44 7400 123456` and `07400123456` (with DEFAULT_PHONE_REGION=GB) agree.
 */
export function rowChecks(entry: BatchEntry, record: DirectoryRecord, region?: string) {
  const checks: CheckResult[] = [];
  if (entry.email) {
    const given = normaliseEmail(entry.email);
    const known = record.emails.map((e) => normaliseEmail(e.value));
    const same = given.ok && known.some((k) => k.ok && k.email === given.email);
    checks.push({
      name: 'row_email',
      ok: same,
      detail: same
        ? "the file's e-mail matches the directory"
        : `the file's e-mail ${given.ok ? maskEmail(given.email) : '(not an address)'} is not the directory's; fix the file or the directory`,
    });
  }
  if (entry.phone) {
    const given = normalisePhone(entry.phone, region);
    const known = record.mobiles.map((m) => normalisePhone(m.value, region));
    const e164 = given.e164;
    const same = !!e164 && known.some((k) => k.e164 === e164);
    checks.push({
      name: 'row_phone',
      ok: same,
      detail: same
        ? "the file's phone matches the directory"
        : `the file's phone ${e164 ? maskPhone(e164) : '(not a number)'} is not the directory's mobile; fix the file or the directory`,
    });
  }

  return checks;
}
