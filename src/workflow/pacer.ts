/**
 * Even spacing of Duo calls for bulk work. The Duo client's own limiter is a one-minute sliding
 * window, which lets a whole minute's allowance go out in the first second; Duo counts in shorter
 * windows and answers that burst with 429s. A batch is paced instead: one call every
 * 60 000 / DUO_MAX_CALLS_PER_MINUTE milliseconds, so it runs at the ceiling without tripping it.
 */
import type { DuoAdmin } from '../duo/types.js';

/** The clock a pacer runs on; tests inject a fake one. */
export interface PacerClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Hands out call slots one per `intervalMs` on average, in the order asked, letting up to `burst`
 * go at once after a quiet spell (so a single request is not slowed down). A generic cell-rate
 * algorithm: `#due` is when the next slot would be due at the steady rate.
 */
export class Pacer {
  #due = 0;

  constructor(
    readonly intervalMs: number,
    readonly burst = 1,
    private readonly clock: PacerClock = realClock,
  ) {}

  /** Resolves at this caller's slot. */
  async slot(): Promise<void> {
    const now = this.clock.now();
    const due = Math.max(this.#due, now);
    const at = due - (this.burst - 1) * this.intervalMs;
    this.#due = due + this.intervalMs;
    if (at > now) await this.clock.sleep(at - now);
  }

  /** Hold every slot back by `ms` (after Duo answered 429: its window is full right now). */
  pause(ms: number): void {
    const held = this.clock.now() + ms + (this.burst - 1) * this.intervalMs;
    this.#due = Math.max(this.#due, held);
  }
}

/**
 * Calls allowed at once after a quiet spell. Over any window of T ms the pacer lets through up to
 * `burst + T / intervalMs` calls; with the spacing below, a 1-second window already holds 97 % of
 * the per-second ceiling, so any burst above 1 overshoots it and Duo answers 429 (each costing a
 * second of back-off). One enrolment is slower by a few spacings; a batch runs at the ceiling.
 */
export const PACER_BURST = 1;

/** Spacing a little wider than the ceiling, so jitter between us and Duo never tips a window. */
export const PACER_MARGIN = 1.03;

/** The pacer for DUO_MAX_CALLS_PER_MINUTE. */
export function pacerFor(maxCallsPerMinute: number, clock?: PacerClock): Pacer {
  return new Pacer((60_000 / maxCallsPerMinute) * PACER_MARGIN, PACER_BURST, clock);
}

/** The same Duo port, each call waiting for its slot first. */
export function pacedDuo(duo: DuoAdmin, pacer: Pacer): DuoAdmin {
  return new Proxy(duo, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;

      return async (...args: unknown[]) => {
        await pacer.slot();

        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}

const realClock: PacerClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
