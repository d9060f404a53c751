/**
 * A lowdb adapter that survives power loss as well as crashes. lowdb's own JSONFile (steno) writes
 * a temp file and renames it, which is atomic against a crash but never fsyncs, so after a power
 * cut the rename can land before the data. This adapter does the same temp-and-rename, with an
 * fsync of the temp file before the rename and of the folder after it. The target file is never
 * opened for writing, so a reader sees either the old content or the new, never a mixture.
 */
import { constants } from 'node:fs';
import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { parseStore, type StoreData } from './schema.js';

/** The file operations used for a write; tests inject failing or recording versions. */
export interface WriteOps {
  /** Write the text, or the pieces in order, to a new file and fsync it. */
  writeSynced(file: string, content: string | readonly Buffer[]): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  syncFolder(folder: string): Promise<void>;
}

/** Node's own file system, with fsync. */
export const nodeWriteOps: WriteOps = {
  async writeSynced(file, content) {
    const handle = await open(file, 'w', 0o600);
    try {
      if (typeof content === 'string') await handle.writeFile(content, 'utf8');
      // In slices, as one writev takes at most IOV_MAX (1024 on Linux) pieces.
      else
        for (let i = 0; i < content.length; i += 512)
          await writeAll(handle, content.slice(i, i + 512));
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename,
  async syncFolder(folder) {
    // Some platforms (Windows) cannot open a folder; the rename is still atomic there.
    const handle = await open(folder, constants.O_RDONLY).catch(() => undefined);
    try {
      await handle?.sync();
    } catch {
      // A folder fsync is refused by a few file systems; nothing more can be done there.
    } finally {
      await handle?.close();
    }
  },
};

/**
 * writev until every byte is written. A write may be short; only then is a new list of what is
 * left made, once (dropping written pieces one slice at a time made a write quadratic).
 */
export async function writeAll(
  handle: { writev(buffers: Buffer[]): Promise<{ bytesWritten: number }> },
  pieces: readonly Buffer[],
): Promise<void> {
  let rest = [...pieces];
  while (rest.length > 0) {
    let { bytesWritten } = await handle.writev(rest);
    let done = 0;
    while (done < rest.length && bytesWritten >= rest[done]!.length) {
      bytesWritten -= rest[done]!.length;
      done += 1;
    }
    if (done === rest.length) return;
    rest = [rest[done]!.subarray(bytesWritten), ...rest.slice(done + 1)];
  }
}

/**
 * The encoded form of each stored request and batch, by object. The store never changes a stored
 * record in place (a change puts a changed copy in its place), so a record's bytes stay valid for
 * as long as the object lives; a write then encodes only what changed since the last one, and no
 * string of the whole file is ever built (at a thousand requests, one per write filled the heap).
 */
const encodedRecords = new WeakMap<object, Buffer>();

function encodeRecord(record: unknown): Buffer {
  if (record === null || typeof record !== 'object')
    return Buffer.from(JSON.stringify(record) ?? 'null');

  let bytes = encodedRecords.get(record);
  if (!bytes) {
    bytes = Buffer.from(JSON.stringify(record));
    encodedRecords.set(record, bytes);
  }

  return bytes;
}

const COMMA = Buffer.from(',');

/**
 * The store as compact JSON, in pieces: exactly `JSON.stringify(data)` once joined. Called when a
 * write starts, with no await, so the pieces are one consistent snapshot of the data.
 */
export function encodeStore(data: StoreData): Buffer[] {
  const pieces: Buffer[] = [];
  let text = '{';
  for (const [key, value] of Object.entries(data) as [string, unknown][]) {
    if (value === undefined || typeof value === 'function') continue;

    text += `${text === '{' && pieces.length === 0 ? '' : ','}${JSON.stringify(key)}:`;
    if (!Array.isArray(value) || !RECORD_LISTS.has(key)) {
      text += JSON.stringify(value);
      continue;
    }
    pieces.push(Buffer.from(`${text}[`));
    value.forEach((record, i) => {
      if (i > 0) pieces.push(COMMA);
      pieces.push(encodeRecord(record));
    });
    text = ']';
  }
  pieces.push(Buffer.from(`${text}}\n`));

  return pieces;
}

/** The lists of records that are replaced, never changed in place, and so can be cached. */
const RECORD_LISTS = new Set(['requests', 'batches']);

/** lowdb adapter for the store file: checked reads, durable, serialised, coalesced writes. */
export class DurableJsonFile implements Adapter<StoreData> {
  readonly tempPath: string;
  #running: Promise<void> = Promise.resolve();
  #queued: Promise<void> | undefined;
  #latest: StoreData | undefined;

  constructor(
    readonly path: string,
    private readonly ops: WriteOps = nodeWriteOps,
  ) {
    this.tempPath = `${path}.tmp`;
  }

  /** The checked content, or null when the file does not exist yet. */
  async read(): Promise<StoreData | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }

    return parseStore(text, this.path);
  }

  /**
   * Write the data. Writes run one at a time; callers that arrive while one runs share the next
   * write, which serialises the data when it starts and so includes every change made so far.
   */
  write(data: StoreData): Promise<void> {
    this.#latest = data;
    if (this.#queued) return this.#queued;

    const queued = this.#running
      .catch(() => undefined)
      .then(() => {
        this.#queued = undefined;

        // Compact: the whole file is rewritten on every change, and indentation roughly doubled
        // both its size and the time the event loop spent serialising it.
        return this.#writeNow(encodeStore(this.#latest!));
      });
    this.#queued = queued;
    this.#running = queued;

    return queued;
  }

  /** Resolves when every write asked for so far has finished (or failed). */
  async settled(): Promise<void> {
    await this.#running.catch(() => undefined);
  }

  async #writeNow(pieces: readonly Buffer[]): Promise<void> {
    await this.ops.writeSynced(this.tempPath, pieces);
    await this.ops.rename(this.tempPath, this.path);
    await this.ops.syncFolder(path.dirname(this.path));
  }
}
