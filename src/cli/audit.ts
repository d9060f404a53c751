/**
 * `npm run audit -- --since 2026-12-01 [--until 2026-12-31] [--out file.csv]`: the audit log at
 * AUDIT_PATH as CSV, on standard output or into a file. Reads the log only; the bot may be running.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import 'dotenv/config';
import { loadConfig } from '../config/index.js';
import type { Env } from '../config/parse.js';
import { readAuditFile, toCsv, type AuditEvent } from '../store/auditLog.js';

/** Run the command; returns the exit code (2 for a bad argument). */
export async function runAudit(
  argv: string[],
  env: Env = process.env,
  out: (text: string) => void = (t) => process.stdout.write(t),
  err: (text: string) => void = (t) => process.stderr.write(t),
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { since: { type: 'string' }, until: { type: 'string' }, out: { type: 'string' } },
    }));
  } catch (e) {
    err(
      `${(e as Error).message}\nUsage: npm run audit -- --since YYYY-MM-DD [--until YYYY-MM-DD] [--out file.csv]\n`,
    );
    return 2;
  }
  const since = values.since === undefined ? undefined : dateArg(values.since);
  const until = values.until === undefined ? undefined : dateArg(values.until);
  if (since === null || until === null) {
    err('--since and --until take a date like 2026-12-01 (UTC)\n');
    return 2;
  }

  if (since && until && since > until) {
    err(`--since ${values.since} is after --until ${values.until}, so nothing could match\n`);
    return 2;
  }

  const config = loadConfig(env);
  const events: AuditEvent[] = [];
  // A damaged line (cut short by a crash, or edited) is skipped, and said so.
  const say = (fields: Record<string, unknown>) =>
    err(`warning: line ${String(fields.line)} of ${config.auditPath} is damaged; it was skipped\n`);
  const logger = { warn: say, error: say };
  for await (const event of readAuditFile(config.auditPath, { since, logger })) {
    if (!until || Date.parse(event.ts) < until.getTime() + 86_400_000) events.push(event);
  }
  const csv = toCsv(events);
  if (values.out) writeFileSync(values.out, csv, { mode: 0o600 });
  else out(csv);
  err(`${events.length} audit events from ${config.auditPath}\n`);

  return 0;
}

/** A YYYY-MM-DD day at 00:00 UTC, or null when it is not one. */
function dateArg(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const date = new Date(`${text}T00:00:00Z`);

  return Number.isNaN(date.getTime()) ? null : date;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runAudit(process.argv.slice(2));
}
