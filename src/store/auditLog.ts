/**
 * The append-only audit log: one JSON line per event at AUDIT_PATH. It is opened for appending
 * only and each line is fsynced before `append` resolves, so an event that was acknowledged is on
 * disk. Reading is forgiving: a damaged line is reported and skipped, because one bad line must
 * never hide the rest of the history from an auditor.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'csv-stringify/sync';
import { maskText } from '../mask.js';
import type { ActorRef, Platform } from '../workflow/types.js';
import type { StoreLogger } from './lockFile.js';

/** Who acted, as the audit log records it; `system` is the bot itself (expiry, reconciliation). */
export interface AuditActor {
  platform: Platform | 'system';
  /** The chat platform's user id, which is opaque (Teams) and differs per platform. */
  id: string;
  /** The display name, which people share ("Chris Lee" twice in one company). */
  name: string;
  /** The directory login (UPN or e-mail) the person was resolved to, when they were. */
  login?: string;
  /** The directory id (DN or object id) they were resolved to: who it really was. */
  directory_id?: string;
}

/** The bot acting on its own. */
export const SYSTEM_ACTOR: AuditActor = { platform: 'system', id: 'enrolbot', name: 'enrolbot' };

/** One line of the audit log. */
export interface AuditEvent {
  ts: string;
  request_id: string;
  batch_id?: string;
  action: string;
  from?: string;
  to?: string;
  actor: AuditActor;
  /** Free text, already masked by the caller; the log masks raw numbers and addresses again. */
  detail?: string;
}

/** An event as a caller gives it; the log adds the time. */
export type AuditEventInput = Omit<AuditEvent, 'ts' | 'actor'> & { actor: AuditActor | ActorRef };

/** Options of `AuditLog.open`. */
export interface AuditLogOptions {
  now?: () => Date;
  logger?: StoreLogger;
}

/** The audit log file, open for appending. */
export class AuditLog {
  #chain: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly now: () => Date,
    private readonly logger: StoreLogger | undefined,
  ) {}

  /** Open (creating the folder and file) for appending. */
  static async open(file: string, options: AuditLogOptions = {}): Promise<AuditLog> {
    await mkdir(path.dirname(file), { recursive: true });
    const handle = await open(file, 'a+', 0o600);
    const log = new AuditLog(file, handle, options.now ?? (() => new Date()), options.logger);
    await log.#endDamagedLine();

    return log;
  }

  /** Append one event and resolve once it is on disk. */
  append(input: AuditEventInput): Promise<AuditEvent> {
    const event = normalise(input, this.now());
    const line = JSON.stringify(event) + '\n';
    const write = this.#chain.then(async () => {
      await this.handle.appendFile(line, 'utf8');
      await this.handle.datasync();
    });
    // Appends run in order; a failed one is reported to its caller and does not block the next.
    this.#chain = write.catch(() => undefined);

    return write.then(() => event);
  }

  /** Wait for appends in flight, then close the file. */
  async close(): Promise<void> {
    await this.#chain;
    await this.handle.close();
  }

  /** Events from the file in order, those at or after `since` when given. */
  read(options: { since?: Date } = {}): AsyncIterable<AuditEvent> {
    return readAuditFile(this.path, { ...options, logger: this.logger });
  }

  /** A crash mid-append can leave a line without its newline; end it so the next line is whole. */
  async #endDamagedLine(): Promise<void> {
    const { size } = await this.handle.stat();
    if (size === 0) return;

    const last = Buffer.alloc(1);
    await this.handle.read(last, 0, 1, size - 1);
    if (last[0] !== 0x0a) await this.handle.appendFile('\n');
  }
}

/** Read an audit file without opening it for writing (the `audit` command, tests). */
export async function* readAuditFile(
  file: string,
  options: { since?: Date; logger?: StoreLogger } = {},
): AsyncIterable<AuditEvent> {
  // No file yet means nothing was audited yet, which is an answer, not an error.
  if (!(await exists(file))) return;

  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  const since = options.since?.getTime();
  let number = 0;

  for await (const line of lines) {
    number += 1;
    if (line.trim() === '') continue;

    const event = parseLine(line);
    if (!event) {
      options.logger?.warn({ audit_path: file, line: number }, 'skipping a damaged audit log line');
      continue;
    }
    if (since === undefined || Date.parse(event.ts) >= since) yield event;
  }
}

/** CSV for spreadsheets, one row per event. */
export function toCsv(events: Iterable<AuditEvent>): string {
  const rows = [...events].map((e) => [
    e.ts,
    e.request_id,
    e.action,
    e.from ?? '',
    e.to ?? '',
    e.actor.platform,
    e.actor.id && e.actor.id !== e.actor.name ? `${e.actor.name} (${e.actor.id})` : e.actor.name,
    e.detail ?? '',
    e.actor.login ?? '',
    e.actor.directory_id ?? '',
  ]);
  const columns = [
    'ts',
    'request_id',
    'action',
    'from',
    'to',
    'actor_platform',
    'actor',
    'detail',
    'actor_login',
    'actor_directory_id',
  ];

  return stringify(
    rows.map((row) => row.map(defuseFormula)),
    { header: true, columns },
  );
}

function normalise(input: AuditEventInput, now: Date): AuditEvent {
  const event: AuditEvent = {
    ts: now.toISOString(),
    request_id: input.request_id,
    ...(input.batch_id !== undefined && { batch_id: input.batch_id }),
    action: input.action,
    ...(input.from !== undefined && { from: input.from }),
    ...(input.to !== undefined && { to: input.to }),
    actor: toAuditActor(input.actor),
  };
  if (input.detail !== undefined) event.detail = maskText(input.detail);

  return event;
}

/** The audit view of an actor, from either form. */
export function toAuditActor(actor: AuditActor | ActorRef): AuditActor {
  if ('platformUserId' in actor) {
    return {
      platform: actor.platform,
      id: actor.platformUserId,
      name: actor.displayName,
      ...(actor.login && { login: actor.login }),
      ...(actor.directoryId && { directory_id: actor.directoryId }),
    };
  }

  return { ...actor };
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);

    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function parseLine(line: string): AuditEvent | undefined {
  try {
    const value = JSON.parse(line) as Partial<AuditEvent> | null;
    const ok =
      typeof value?.ts === 'string' &&
      typeof value.request_id === 'string' &&
      typeof value.action === 'string' &&
      typeof value.actor?.platform === 'string';

    return ok ? (value as AuditEvent) : undefined;
  } catch {
    return undefined;
  }
}

/** Spreadsheets run cells that start with = + - @; a leading quote keeps user text as text. */
function defuseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
