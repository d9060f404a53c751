import assert from 'node:assert/strict';
import pino from 'pino';
import sinon from 'sinon';
import { trackAndDedupe } from '../../../../adapters/slack/middleware.js';

/** The store's setMetaIfAbsent, in memory. */
function memoryStore() {
  const keys = new Map<string, { ttlMs?: number }>();

  return {
    keys,
    async setMetaIfAbsent(key: string, _value: unknown, options: { ttlMs?: number } = {}) {
      if (keys.has(key)) return false;
      keys.set(key, options);

      return true;
    },
  };
}

describe('adapters/slack/middleware', () => {
  const logger = pino({ level: 'silent' });

  it('passes an event id once, remembering it in the store for a while', async () => {
    const store = memoryStore();
    const middleware = trackAndDedupe({ store: store as never, logger }, new Set());
    const next = sinon.stub().resolves();
    const run = (retryNum?: number) =>
      middleware({ body: { event_id: 'Ev1' }, context: { retryNum }, next } as never);

    await run();
    await run(1);
    await run(2);

    assert.equal(next.callCount, 1);
    assert.ok((store.keys.get('slack:seen:event:Ev1')?.ttlMs ?? 0) >= 10 * 60 * 1000);
  });

  it('passes commands and clicks (no event id) every time', async () => {
    const middleware = trackAndDedupe({ store: memoryStore() as never, logger }, new Set());
    const next = sinon.stub().resolves();
    await middleware({ body: { command: '/enrol' }, context: {}, next } as never);
    await middleware({ body: { command: '/enrol' }, context: {}, next } as never);

    assert.equal(next.callCount, 2);
  });

  it('tracks work until it ends, failed or not', async () => {
    const inflight = new Set<Promise<unknown>>();
    const middleware = trackAndDedupe({ store: memoryStore() as never, logger }, inflight);
    let finish!: () => void;
    const next = () => new Promise<void>((resolve) => (finish = resolve));

    const running = middleware({ body: {}, context: {}, next } as never);
    await Promise.resolve();
    assert.equal(inflight.size, 1);
    finish();
    await running;
    await Promise.allSettled([...inflight]);
    assert.equal(inflight.size, 0);

    const failing = middleware({
      body: {},
      context: {},
      next: () => Promise.reject(new Error('x')),
    } as never);
    await assert.rejects(failing);
    await Promise.allSettled([...inflight]);
    assert.equal(inflight.size, 0);
  });
});
