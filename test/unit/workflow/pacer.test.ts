import { strict as assert } from 'node:assert';
import { Pacer, pacerFor } from '../../../src/workflow/pacer.js';

/** A clock whose sleep moves time forward instantly. */
function fakeClock() {
  const clock = { t: 0, slept: [] as number[] };

  return Object.assign(clock, {
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.t += ms;
    },
  });
}

describe('Pacer', () => {
  it('spaces calls evenly after the burst, and a late caller makes up for nothing', async () => {
    const clock = fakeClock();
    const pacer = new Pacer(20, 3, clock);
    const times: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      await pacer.slot();
      times.push(clock.t);
    }
    assert.deepEqual(times, [0, 0, 0, 20, 40, 60]);

    clock.t += 1000;
    await pacer.slot();
    await pacer.slot();
    assert.equal(clock.t, 1060, 'a quiet spell earns a burst back, not more');
  });

  it('pause holds every later slot back (after a 429)', async () => {
    const clock = fakeClock();
    const pacer = new Pacer(10, 1, clock);
    await pacer.slot();
    pacer.pause(500);
    await pacer.slot();
    assert.equal(clock.t, 500);
  });

  it('never puts more than the per-second ceiling in any second, quiet spells included', async () => {
    const clock = fakeClock();
    const pacer = pacerFor(3000, clock);
    const times: number[] = [];
    for (let i = 0; i < 300; i += 1) {
      if (i % 60 === 0) clock.t += 5_000;
      await pacer.slot();
      times.push(clock.t);
    }

    const most = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    assert.ok(most <= 50, `${most} calls in one second against a ceiling of 50`);
  });
});
