import assert from 'node:assert/strict';
import { SlidingWindowLimiter, createDuoRateLimiter } from '../../../src/duo/rateLimiter.js';

/** A clock that only moves when the limiter sleeps. */
function fakeClock(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let t = 1_000_000;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
    slept,
  };
}

describe('duo rate limiter', () => {
  it('lets maxCalls through at once, then waits for the oldest call to leave the window', async () => {
    const clock = fakeClock();
    const limiter = createDuoRateLimiter(3, clock);
    for (let i = 0; i < 3; i += 1) await limiter.acquire();
    assert.deepEqual(clock.slept, []);

    await limiter.acquire();
    assert.deepEqual(clock.slept, [60_000]);
  });

  it('never grants more than maxCalls in any window', async () => {
    const clock = fakeClock();
    const limiter = new SlidingWindowLimiter({ maxCalls: 5, windowMs: 1000, ...clock });
    const granted: number[] = [];
    await Promise.all(
      Array.from({ length: 23 }, () => limiter.acquire().then(() => granted.push(clock.now()))),
    );

    assert.equal(granted.length, 23);
    for (const t of granted) {
      assert.ok(granted.filter((g) => g > t - 1000 && g <= t).length <= 5);
    }
  });

  it('frees capacity as time passes without sleeping', async () => {
    let t = 0;
    const slept: number[] = [];
    const limiter = new SlidingWindowLimiter({
      maxCalls: 2,
      windowMs: 100,
      now: () => t,
      sleep: async (ms) => {
        slept.push(ms);
        t += ms;
      },
    });
    await limiter.acquire();
    t = 60;
    await limiter.acquire();
    t = 120;
    await limiter.acquire();
    assert.deepEqual(slept, []);
    await limiter.acquire();
    assert.deepEqual(slept, [40]);
  });

  it('refuses a ceiling below one', () => {
    assert.throws(() => new SlidingWindowLimiter({ maxCalls: 0 }), RangeError);
  });
});
