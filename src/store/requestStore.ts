/**
 * Enrolment requests, batches and small records, in one lowdb JSON file at STORE_PATH.
 *
 * The truth lives in memory and every change is written through to disk before the caller hears
 * of it. Each change is a compare-and-set that checks and mutates without an await in between, so
 * in this single-threaded process two Approve clicks, a retried Slack event or an Approve racing a
 * Cancel see one winner; the lock file makes sure there is only one such process per file.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { InvalidTransitionError, RequestNotFoundError, StaleRequestError } from '../errors.js';
import { INITIAL_STATES, canTransition } from '../workflow/stateMachine.js';
import type { EnrolmentRequest, RequestState } from '../workflow/types.js';
import { SYSTEM_ACTOR, type AuditEventInput } from './auditLog.js';
import { DurableJsonFile } from './durableFile.js';
import { acquireLock, type StoreLock } from './lockFile.js';
import {
  BatchRecords,
  copyPlain,
  MetaRecords,
  type BatchExpectation,
  type NewBatch,
} from './records.js';
import { emptyStore, type Batch, type StoreData } from './schema.js';
import type { AuditEntryInput, NewRequest, StoreOptions, UpdateExpectation } from './types.js';

export type { Batch, BatchState } from './schema.js';
export type { BatchExpectation, NewBatch } from './records.js';
export type { AuditEntryInput, NewRequest, StoreOptions, UpdateExpectation } from './types.js';

/** The request store. Open one per process with `RequestStore.open`. */
export class RequestStore {
  readonly #batches: BatchRecords;
  readonly #meta: MetaRecords;
  #closed = false;

  private constructor(
    readonly path: string,
    private readonly db: Low<StoreData>,
    private readonly file: DurableJsonFile,
    private readonly lock: StoreLock,
    private readonly options: StoreOptions,
  ) {
    const persist = () => this.#persist();
    this.#batches = new BatchRecords(db.data, options.now, persist);
    this.#meta = new MetaRecords(db.data, options.now, persist);
  }

  /**
   * Lock, read and check the store file, creating it (and its folder) when missing. Throws
   * StoreLockedError when another process holds it and StoreCorruptError when it cannot be
   * trusted; in both cases the file is left exactly as it was.
   */
  static async open(file: string, options: StoreOptions): Promise<RequestStore> {
    const storePath = path.resolve(file);
    await mkdir(path.dirname(storePath), { recursive: true });
    const lock = await acquireLock(storePath, options);

    try {
      const adapter = new DurableJsonFile(storePath, options.writeOps);
      const existing = await adapter.read();
      const db = new Low<StoreData>(adapter, existing ?? emptyStore());
      const store = new RequestStore(storePath, db, adapter, lock, options);
      if (existing === null) await db.write();

      return store;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /**
   * Store a new request as `REQ-<n>`, version 1, and audit its creation when `audit` is given.
   * Only a state a request may start in is accepted, so nothing can be born `sent`.
   */
  async create(fields: NewRequest, audit?: AuditEntryInput): Promise<EnrolmentRequest> {
    this.#assertOpen();
    if (!INITIAL_STATES.includes(fields.state)) {
      throw new InvalidTransitionError('a new request', 'nothing', fields.state);
    }

    const data = this.db.data;
    const at = this.options.now().toISOString();
    const request: EnrolmentRequest = {
      ...copyPlain(fields),
      id: `REQ-${data.nextRequestNumber}`,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    data.nextRequestNumber += 1;
    data.requests.push(request);
    try {
      await this.#persist();
    } catch (error) {
      // The number stays used: ids only ever grow, and a gap is harmless.
      data.requests.splice(data.requests.indexOf(request), 1);
      throw error;
    }
    if (audit) await this.#audit(request, undefined, audit, 'created');

    return copyPlain(request);
  }

  /** A copy of the request, or undefined. Copies keep callers from changing the store unseen. */
  get(id: string): EnrolmentRequest | undefined {
    const request = this.#find(id);

    return request && copyPlain(request);
  }

  /** Copies of the requests that match, oldest first. */
  list(predicate: (request: EnrolmentRequest) => boolean = () => true): EnrolmentRequest[] {
    return this.db.data.requests.filter((r) => predicate(r)).map((r) => copyPlain(r));
  }

  /** Whether any request matches; nothing is copied, so it is cheap to ask often. */
  some(predicate: (request: Readonly<EnrolmentRequest>) => boolean): boolean {
    return this.db.data.requests.some((r) => predicate(r));
  }

  /**
   * Requests for one contractor, by directory username (case-insensitive), oldest first; `also`
   * narrows them further before anything is copied.
   */
  byContractor(
    username: string,
    also: (request: EnrolmentRequest) => boolean = () => true,
  ): EnrolmentRequest[] {
    const wanted = username.toLowerCase();

    return this.list((r) => r.contractor.username.toLowerCase() === wanted && also(r));
  }

  /**
   * Move a request from one of `from` to `to`, applying `mutate` to it: the compare-and-set of the
   * lifecycle. Throws InvalidTransitionError when the lifecycle has no such edge and
   * StaleRequestError when the request is no longer in `from` (someone else moved it first).
   * Resolves after the change is on disk and its audit event appended.
   */
  async transition(
    id: string,
    from: RequestState | RequestState[],
    to: RequestState,
    mutate?: (request: EnrolmentRequest) => void,
    audit?: AuditEntryInput,
  ): Promise<EnrolmentRequest> {
    this.#assertOpen();
    const sources = Array.isArray(from) ? from : [from];
    const operator = audit?.operator === true;
    for (const source of sources) {
      if (!canTransition(source, to, { operator })) {
        throw new InvalidTransitionError(id, source, to);
      }
    }

    // From here to the swap there is no await: this is what makes the compare-and-set atomic.
    const current = this.#require(id);
    if (!sources.includes(current.state)) throw new StaleRequestError(id, current.state);

    const next = this.#apply(current, mutate);
    next.state = to;
    await this.#commit(current, next);
    await this.#audit(next, current.state, audit ?? { actor: SYSTEM_ACTOR }, to);

    return copyPlain(next);
  }

  /**
   * Change a request without moving it (send progress, card references, quorum approvals).
   * Throws StaleRequestError when `expectVersion` or `expectState` no longer holds.
   */
  async update(
    id: string,
    mutate: (request: EnrolmentRequest) => void,
    expect: UpdateExpectation = {},
  ): Promise<EnrolmentRequest> {
    this.#assertOpen();
    const current = this.#require(id);
    const states = expect.expectState === undefined ? undefined : [expect.expectState].flat();
    const versionMoved =
      expect.expectVersion !== undefined && current.version !== expect.expectVersion;
    if (versionMoved || (states && !states.includes(current.state))) {
      throw new StaleRequestError(id, current.state);
    }

    const next = this.#apply(current, mutate);
    if (next.state !== current.state) {
      throw new InvalidTransitionError(id, current.state, next.state);
    }
    await this.#commit(current, next);

    return copyPlain(next);
  }

  /**
   * Audit something done about a request that is not a move of its state (a revoke in Duo, an
   * offboarding, a reminder), so the log holds every act of the bot and its users.
   */
  async note(id: string, audit: AuditEntryInput & { action: string }): Promise<void> {
    this.#assertOpen();
    await this.#audit(this.#require(id), undefined, audit, audit.action);
  }

  /** A small record, or undefined when absent or past its lifetime. */
  getMeta<T = unknown>(key: string): T | undefined {
    return this.#meta.get<T>(key);
  }

  /** Store a small record (conversation reference, counter), optionally for `ttlMs` only. */
  async setMeta(key: string, value: unknown, options: { ttlMs?: number } = {}): Promise<void> {
    this.#assertOpen();
    await this.#meta.set(key, value, options);
  }

  /**
   * Store a record only if absent or expired; true when this call stored it. The way to see a
   * retried Slack event or a redelivered Teams invoke once: `setMetaIfAbsent('slack:Ev1', 1, ...)`.
   */
  async setMetaIfAbsent(key: string, value: unknown, options: { ttlMs?: number } = {}) {
    this.#assertOpen();

    return this.#meta.setIfAbsent(key, value, options);
  }

  /** Count something (sends this hour, requests by one manager); returns the new count. */
  async incrementMeta(key: string, by = 1, options: { ttlMs?: number } = {}): Promise<number> {
    this.#assertOpen();

    return this.#meta.increment(key, by, options);
  }

  /** Remove a small record. */
  async deleteMeta(key: string): Promise<void> {
    this.#assertOpen();
    await this.#meta.delete(key);
  }

  /** Store a new batch as `BATCH-<n>`, version 1. */
  async saveBatch(fields: NewBatch): Promise<Batch> {
    this.#assertOpen();

    return this.#batches.save(fields);
  }

  /** A copy of the batch, or undefined. */
  getBatch(id: string): Batch | undefined {
    return this.#batches.get(id);
  }

  /** Copies of the batches that match, oldest first. */
  listBatches(predicate?: (batch: Batch) => boolean): Batch[] {
    return this.#batches.list(predicate);
  }

  /** Compare-and-set on a batch; StaleRequestError when an expectation no longer holds. */
  async updateBatch(
    id: string,
    mutate: (batch: Batch) => void,
    expect: BatchExpectation = {},
  ): Promise<Batch> {
    this.#assertOpen();

    return this.#batches.update(id, mutate, expect);
  }

  /** Resolves when every write asked for so far is on disk. */
  async flush(): Promise<void> {
    await this.file.settled();
  }

  /** Flush and release the lock; the store cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.flush();
    await this.lock.release();
  }

  /** A changed copy; the stored request is untouched if `mutate` throws. */
  #apply(current: EnrolmentRequest, mutate?: (r: EnrolmentRequest) => void): EnrolmentRequest {
    const next = copyPlain(current);
    mutate?.(next);
    next.id = current.id;
    next.version = current.version + 1;
    next.updatedAt = this.options.now().toISOString();

    return next;
  }

  /**
   * Put `next` in place of `current` and write it. When the write fails the change is undone (if
   * nothing has built on it since), so an error always means "this did not happen".
   */
  async #commit(current: EnrolmentRequest, next: EnrolmentRequest): Promise<void> {
    const requests = this.db.data.requests;
    requests[requests.indexOf(current)] = next;

    try {
      await this.#persist();
    } catch (error) {
      const index = requests.indexOf(next);
      if (index >= 0) requests[index] = current;
      this.options.logger?.error(
        { request_id: current.id, err: error },
        'could not write the store; the change was not made',
      );
      throw error;
    }
  }

  /**
   * The change is on disk by now, so a failed audit append must not read as a failed change (the
   * caller would retry into a StaleRequestError); the event goes to the error log instead.
   */
  async #audit(
    request: EnrolmentRequest,
    from: RequestState | undefined,
    audit: AuditEntryInput,
    action: string,
  ): Promise<void> {
    const event: AuditEventInput = {
      request_id: request.id,
      ...(request.batchId !== undefined && { batch_id: request.batchId }),
      action: audit.action ?? action,
      ...(from !== undefined && { from }),
      to: request.state,
      actor: audit.actor,
      ...(audit.detail !== undefined && { detail: audit.detail }),
    };
    try {
      await this.options.auditLog?.append(event);
    } catch (error) {
      this.options.logger?.error({ event, err: error }, 'could not append to the audit log');
    }
  }

  #find(id: string): EnrolmentRequest | undefined {
    return this.db.data.requests.find((r) => r.id === id);
  }

  #require(id: string): EnrolmentRequest {
    const request = this.#find(id);
    if (!request) throw new RequestNotFoundError(id);

    return request;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error(`The store ${this.path} is closed`);
  }

  async #persist(): Promise<void> {
    this.#assertOpen();
    this.#meta.prune();
    await this.db.write();
  }
}
