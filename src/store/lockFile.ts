/**
 * One process per store file. The JSON store keeps its truth in memory, so two processes on one
 * file would each approve and send from their own copy; a lock file beside it (`<store>.lock`,
 * holding the owner's pid) refuses the second process at start-up.
 */
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { StoreLockedError } from '../errors.js';

/** The part of a structured logger the store uses (pino's signature). */
export interface StoreLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Options of `acquireLock`. */
export interface LockOptions {
  logger?: StoreLogger;
  /** Whether a process id is running; injected by tests. */
  isAlive?: (pid: number) => boolean;
}

/** A held lock; `release` removes the file if it is still ours. */
export interface StoreLock {
  readonly path: string;
  release(): Promise<void>;
}

/** Lock files this process holds, so a second open in the same process is refused too. */
const held = new Set<string>();

/** True when a process with that id exists (EPERM means it exists but is not ours). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);

    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the lock for `storePath`, taking over a stale one; throws StoreLockedError if held. */
export async function acquireLock(
  storePath: string,
  options: LockOptions = {},
): Promise<StoreLock> {
  const lockPath = `${storePath}.lock`;
  const isAlive = options.isAlive ?? processIsAlive;
  if (held.has(lockPath)) throw locked(storePath, lockPath, process.pid);

  // The pid is written to a private file first and hard-linked into place: link() fails if the
  // lock exists, and a lock file that exists always has its pid in it, never half-written.
  const tmp = `${lockPath}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, `${process.pid}\n`, { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (await tryLink(tmp, lockPath)) {
        held.add(lockPath);

        return { path: lockPath, release: () => release(lockPath) };
      }

      const owner = await readOwner(lockPath);
      // Our own pid in a lock this process does not hold is a previous life of this container.
      const stale = owner === undefined || (owner !== process.pid && !isAlive(owner));
      if (!stale && owner !== process.pid) throw locked(storePath, lockPath, owner);

      options.logger?.warn(
        { lock_path: lockPath, stale_pid: owner ?? null },
        'taking over a stale store lock left by a process that is no longer running',
      );
      await unlink(lockPath).catch(ignoreMissing);
    }
    throw locked(storePath, lockPath, await readOwner(lockPath));
  } finally {
    await unlink(tmp).catch(ignoreMissing);
  }
}

async function tryLink(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);

    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The pid in a lock file, or undefined when it is gone or unreadable. */
async function readOwner(lockPath: string): Promise<number | undefined> {
  const text = await readFile(lockPath, 'utf8').catch(() => '');
  const pid = Number(text.trim());

  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

async function release(lockPath: string): Promise<void> {
  if (!held.delete(lockPath)) return;

  // Only remove a lock that still names us: after a takeover it belongs to someone else.
  if ((await readOwner(lockPath)) === process.pid) await unlink(lockPath).catch(ignoreMissing);
}

function locked(storePath: string, lockPath: string, pid: number | undefined): StoreLockedError {
  return new StoreLockedError(
    storePath,
    `The store ${storePath} is in use by another process (pid ${pid ?? 'unknown'}, lock file ` +
      `${lockPath}). Run one bot per store file; stop the other one first, or delete the lock ` +
      'file if you are sure that process is gone.',
  );
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
