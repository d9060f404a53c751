/**
 * The sending queue: every approved request is sent through it, one batch or one contractor alike.
 * It bounds how many sends run at once, paces their Duo calls under DUO_MAX_CALLS_PER_MINUTE, and
 * puts a request Duo answered with 429 back at the front of the line after a back-off.
 *
 * The queue holds nothing the store does not: approved requests are in state `approved`, and a
 * rate-limited one is still `sending` with no send mark (see holdRateLimited in sender.ts). After a
 * restart `recoverSends` puts both back in line, so nobody is forgotten and nobody is sent twice.
 */
import { requestLogger } from '../logging.js';
import type { WorkflowDeps } from './deps.js';
import { pacedDuo, pacerFor, type Pacer, type PacerClock } from './pacer.js';
import { reconcileStuck } from './recovery.js';
import { runSend, send, type SendResult } from './sender.js';

/** Options of the queue; all have defaults from the configuration. */
export interface SendQueueOptions {
  /** Sends running at once (SEND_CONCURRENCY). */
  concurrency?: number;
  pacer?: Pacer;
  /** Back-off after a 429 that outlasted the client's own retries: first wait and ceiling. */
  backoffMs?: { first: number; max: number };
  clock?: PacerClock;
  /** Told after each send, for progress reporting and tests. */
  onResult?: (requestId: string, result: SendResult) => void;
}

interface Job {
  requestId: string;
  /** The request is already `sending` (rate-limited or recovered) and resumes its steps. */
  resume: boolean;
}

/** FIFO of requests to send, with bounded concurrency and 429 back-off. */
export class SendQueue {
  /** The workflow as the queue runs it: Duo calls go through the pacer. */
  readonly deps: WorkflowDeps;
  readonly pacer: Pacer;
  readonly #waiting: Job[] = [];
  readonly #known = new Set<string>();
  readonly #idle: (() => void)[] = [];
  readonly #concurrency: number;
  readonly #backoff: { first: number; max: number };
  #running = 0;
  #rateLimitedInARow = 0;
  #closed = false;

  constructor(
    deps: WorkflowDeps,
    private readonly options: SendQueueOptions = {},
  ) {
    this.pacer = options.pacer ?? pacerFor(deps.config.duo.maxCallsPerMinute, options.clock);
    // A view of the same deps (later additions, like the step-up, show through) with paced Duo.
    this.deps = Object.assign(Object.create(deps) as WorkflowDeps, {
      duo: pacedDuo(deps.duo, this.pacer),
      backOffDuo: (inARow: number) => this.pacer.pause(this.#backoffWait(inARow)),
    });
    this.#concurrency = options.concurrency ?? deps.config.limits.sendConcurrency;
    this.#backoff = options.backoffMs ?? { first: 5_000, max: 60_000 };
  }

  /** Put a request in line; a request already waiting or running is not added twice. */
  enqueue(requestId: string, options: { resume?: boolean } = {}): void {
    if (this.#closed || this.#known.has(requestId)) return;

    this.#known.add(requestId);
    this.#waiting.push({ requestId, resume: options.resume ?? false });
    this.#pump();
  }

  /** Whether the request is waiting or being sent. */
  has(requestId: string): boolean {
    return this.#known.has(requestId);
  }

  /** Requests waiting or running. */
  get size(): number {
    return this.#known.size;
  }

  /** Resolves when nothing waits and nothing runs. */
  idle(): Promise<void> {
    if (this.#known.size === 0) return Promise.resolve();

    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Start nothing new; wait for the sends already running. What waited stays in the store. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#waiting.splice(0)) this.#known.delete(job.requestId);
    await this.idle();
  }

  #pump(): void {
    // After a 429 one send probes alone until one gets through: restarting every worker at once
    // would spend Duo's window on look-ups and leave none for the sends themselves.
    const limit = this.#rateLimitedInARow > 0 ? 1 : this.#concurrency;
    while (!this.#closed && this.#running < limit && this.#waiting.length > 0) {
      const job = this.#waiting.shift()!;
      this.#running += 1;
      void this.#run(job).finally(() => {
        this.#running -= 1;
        this.#pump();
        this.#settle();
      });
    }
  }

  async #run(job: Job): Promise<void> {
    let result: SendResult;
    try {
      result = await this.#sendOnce(job);
    } catch (err) {
      requestLogger(this.deps.logger, job.requestId).error({ err }, 'send_crashed');
      this.#known.delete(job.requestId);

      return;
    }
    this.options.onResult?.(job.requestId, result);

    if (result.kind === 'rate_limited' && !this.#closed) {
      // Duo's window is full: hold every call back, then retry this same request first.
      this.#rateLimitedInARow += 1;
      this.pacer.pause(this.#backoffWait(this.#rateLimitedInARow));
      this.#waiting.unshift({ requestId: job.requestId, resume: true });

      return;
    }
    if (result.kind !== 'rate_limited') this.#rateLimitedInARow = 0;
    this.#known.delete(job.requestId);
  }

  /** Exponential, from the first wait up to the ceiling. */
  #backoffWait(inARow: number): number {
    return Math.min(this.#backoff.first * 2 ** (inARow - 1), this.#backoff.max);
  }

  async #sendOnce(job: Job): Promise<SendResult> {
    if (!job.resume) return send(this.deps, job.requestId);

    const request = this.deps.store.get(job.requestId);
    if (!request || request.state !== 'sending') {
      return { kind: 'skipped', state: request?.state ?? 'missing' };
    }

    return runSend(this.deps, request);
  }

  #settle(): void {
    if (this.#known.size > 0 && !(this.#closed && this.#running === 0)) return;

    for (const resolve of this.#idle.splice(0)) resolve();
  }
}

/**
 * At start-up: requests caught in `sending` are reconciled from Duo (those where nothing
 * irreversible happened go back in line), and approved ones are queued again.
 */
export async function recoverSends(
  queue: SendQueue,
): Promise<{ reconciled: number; errors: number; queued: number }> {
  const { store } = queue.deps;
  const result = await reconcileStuck(queue.deps, {
    resume: (request) => queue.enqueue(request.id, { resume: true }),
  });
  const approved = store.list((r) => r.state === 'approved');
  for (const request of approved) queue.enqueue(request.id);

  return { ...result, queued: approved.length };
}
