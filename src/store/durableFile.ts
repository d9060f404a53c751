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
  writeSynced(file: string, text: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  syncFolder(folder: string): Promise<void>;
}

/** Node's own file system, with fsync. */
export const nodeWriteOps: WriteOps = {
  async writeSynced(file, text) {
    const handle = await open(file, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
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

        // Compact: the whole file is rewritten on every change, and indentation roughly doubles
        // both its size and the time the event loop spends serialising it.
        return this.#writeNow(JSON.stringify(this.#latest) + '\n');
      });
    this.#queued = queued;
    this.#running = queued;

    return queued;
  }

  /** Resolves when every write asked for so far has finished (or failed). */
  async settled(): Promise<void> {
    await this.#running.catch(() => undefined);
  }

  async #writeNow(text: string): Promise<void> {
    await this.ops.writeSynced(this.tempPath, text);
    await this.ops.rename(this.tempPath, this.path);
    await this.ops.syncFolder(path.dirname(this.path));
  }
}
