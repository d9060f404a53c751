/**
 * The bot's own ceiling on Duo calls (DUO_MAX_CALLS_PER_MINUTE). A sliding window rather than a
 * token bucket: a full bucket plus a minute of refill would allow twice the ceiling in one minute.
 */

/** What the Duo transport waits on before each call. */
export interface CallLimiter {
  acquire(): Promise<void>;
}

export interface SlidingWindowOptions {
  maxCalls: number;
  windowMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** At most `maxCalls` acquisitions in any `windowMs` (default one minute), granted in order. */
export class SlidingWindowLimiter implements CallLimiter {
  private readonly stamps: number[] = [];
  private queue: Promise<void> = Promise.resolve();
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: SlidingWindowOptions) {
    if (!(options.maxCalls >= 1)) throw new RangeError('maxCalls must be at least 1');
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Resolves when one more call fits under the ceiling. */
  acquire(): Promise<void> {
    // Chained so concurrent callers are served first come, first served.
    const turn = this.queue.then(() => this.take());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async take(): Promise<void> {
    for (;;) {
      const t = this.now();
      while (this.stamps.length > 0 && (this.stamps[0] ?? 0) <= t - this.windowMs)
        this.stamps.shift();
      if (this.stamps.length < this.options.maxCalls) {
        this.stamps.push(t);
        return;
      }

      await this.sleep((this.stamps[0] ?? t) + this.windowMs - t);
    }
  }
}

/** The limiter for DUO_MAX_CALLS_PER_MINUTE. */
export function createDuoRateLimiter(
  maxCallsPerMinute: number,
  clock: { now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): CallLimiter {
  return new SlidingWindowLimiter({ maxCalls: maxCallsPerMinute, ...clock });
}
