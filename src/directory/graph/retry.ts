/**
 * Bounded retries and a per-attempt time limit for Graph calls, as one SDK middleware. We use our own
 * rather than the SDK's RetryHandler because its sleep cannot be injected (tests must not wait) and it
 * clamps a long Retry-After to 180 s and retries anyway; here a wait longer than `maxDelayMs` gives up
 * at once, so a throttled directory is reported as unavailable instead of blocking the bot.
 */
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/** Structured logger subset used by the Graph backend (pino's signature). */
export interface GraphLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** How retries and time limits behave; every field has a safe default. */
export interface RetryPolicy {
  /** Retries after the first attempt (default 3). */
  maxRetries: number;
  /** The longest single wait honoured, from Retry-After or back-off (default 30 s). */
  maxDelayMs: number;
  /** Wait before the first retry when Graph gives no Retry-After; doubles each time (default 1 s). */
  baseDelayMs: number;
  /** Limit for one attempt (GRAPH_TIMEOUT_MS). */
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Makes the abort signal for one attempt; tests inject one they can fire. */
  timeoutSignal: (ms: number) => AbortSignal;
}

const RETRIED = new Set([429, 503, 504]);

/** Default policy pieces that touch real time. */
export const realTime = {
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  timeoutSignal: (ms: number) => AbortSignal.timeout(ms),
};

/** Milliseconds Graph asks us to wait: Retry-After in seconds or as an HTTP date. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;

  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);

  const date = Date.parse(header);

  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Graph middleware that retries 429/503/504 within the policy's bounds. */
export class BoundedRetry implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly logger?: GraphLogger,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error('BoundedRetry needs a next middleware');

    for (let attempt = 0; ; attempt++) {
      if (context.options)
        context.options.signal = this.policy.timeoutSignal(this.policy.timeoutMs);
      await this.next.execute(context);

      const response = context.response;
      if (!response || !RETRIED.has(response.status) || attempt >= this.policy.maxRetries) return;

      const asked = retryAfterMs(response.headers.get('Retry-After'), this.policy.now());
      const delay = asked ?? this.policy.baseDelayMs * 2 ** attempt;
      if (delay > this.policy.maxDelayMs) {
        this.logger?.warn({ status: response.status, delay_ms: delay }, 'graph_retry_too_long');
        return;
      }

      this.logger?.warn(
        { status: response.status, attempt: attempt + 1, delay_ms: delay },
        'graph_retry',
      );
      // Drain the refused answer so its connection can be reused.
      await response.arrayBuffer().catch(() => undefined);
      await this.policy.sleep(delay);
      setHeader(context, 'Retry-Attempt', String(attempt + 1));
    }
  }
}

function setHeader(context: Context, name: string, value: string): void {
  const options = context.options ?? (context.options = {});
  const headers = options.headers;
  if (headers instanceof Headers) headers.set(name, value);
  else options.headers = { ...(headers as Record<string, string> | undefined), [name]: value };
}
