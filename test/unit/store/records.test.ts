import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RequestNotFoundError, StaleRequestError } from '../../../src/errors.js';
import { copyPlain } from '../../../src/store/records.js';
import { RequestStore } from '../../../src/store/requestStore.js';
import { fixedClock, manager, sampleRequest, tempDir } from './helpers.js';

describe('store meta records and batches', () => {
  let cleanup: () => Promise<void>;
  let storePath: string;

  beforeEach(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir());
    storePath = path.join(dir, 'enrolbot.json');
  });
  afterEach(() => cleanup());

  it('keeps meta records across reopen, as copies', async () => {
    let store = await RequestStore.open(storePath, { now: fixedClock().now });
    const ref = { conversation: { id: '19:abc' } };
    await store.setMeta('conversation:29:manager', ref);
    ref.conversation.id = 'changed';
    await store.close();

    store = await RequestStore.open(storePath, { now: fixedClock().now });
    assert.deepEqual(store.getMeta('conversation:29:manager'), { conversation: { id: '19:abc' } });
    await store.deleteMeta('conversation:29:manager');
    assert.equal(store.getMeta('conversation:29:manager'), undefined);
    await store.close();
  });

  it('forgets a meta record after its lifetime and prunes it from the file', async () => {
    const clock = fixedClock();
    const store = await RequestStore.open(storePath, { now: clock.now });
    await store.setMeta('slack-event:Ev1', true, { ttlMs: 60_000 });
    clock.advance(59_999);
    assert.equal(store.getMeta('slack-event:Ev1'), true);
    clock.advance(1);
    assert.equal(store.getMeta('slack-event:Ev1'), undefined);

    await store.setMeta('other', 1);
    const saved = JSON.parse(await readFile(storePath, 'utf8'));
    assert.deepEqual(Object.keys(saved.meta), ['other']);
    await store.close();
  });

  it('sees a redelivered event once among fifty concurrent deliveries', async () => {
    const clock = fixedClock();
    const store = await RequestStore.open(storePath, { now: clock.now });
    const firsts = await Promise.all(
      Array.from({ length: 50 }, () =>
        store.setMetaIfAbsent('slack-event:Ev2', true, { ttlMs: 3_600_000 }),
      ),
    );
    assert.equal(firsts.filter(Boolean).length, 1);

    clock.advance(3_600_000);
    assert.equal(await store.setMetaIfAbsent('slack-event:Ev2', true), true);
    await store.close();
  });

  it('counts in a fixed window and starts again after it', async () => {
    const clock = fixedClock();
    const store = await RequestStore.open(storePath, { now: clock.now });
    const hour = { ttlMs: 3_600_000 };
    const counts = await Promise.all([1, 2, 3].map(() => store.incrementMeta('sends', 1, hour)));
    assert.deepEqual(counts.sort(), [1, 2, 3]);
    clock.advance(3_000_000);
    assert.equal(await store.incrementMeta('sends', 1, hour), 4);
    clock.advance(600_000);
    assert.equal(await store.incrementMeta('sends', 1, hour), 1);
    await store.setMeta('name', 'x');
    await assert.rejects(store.incrementMeta('name'), /not a counter/);
    await store.close();
  });

  it('numbers batches BATCH-<n>, monotonic across reopen', async () => {
    let store = await RequestStore.open(storePath, { now: fixedClock().now });
    // A batch names stored requests (the start-up check refuses one that does not).
    const member = await store.create(sampleRequest());
    const fields = {
      state: 'pending_approval' as const,
      requester: manager,
      requestIds: [member.id],
    };
    const first = await store.saveBatch(fields);
    assert.equal(first.id, 'BATCH-1');
    assert.equal(first.version, 1);
    await store.close();

    store = await RequestStore.open(storePath, { now: fixedClock().now });
    assert.deepEqual(store.getBatch('BATCH-1')?.requestIds, ['REQ-1']);
    assert.equal((await store.saveBatch(fields)).id, 'BATCH-2');
    assert.equal(store.listBatches().length, 2);
    await store.close();
  });

  it('updates a batch by compare-and-set', async () => {
    const store = await RequestStore.open(storePath, { now: fixedClock().now });
    const batch = await store.saveBatch({
      state: 'pending_approval',
      requester: manager,
      requestIds: ['REQ-1', 'REQ-2'],
    });
    const results = await Promise.allSettled(
      [1, 2].map(() =>
        store.updateBatch(batch.id, (b) => (b.state = 'approved'), {
          expectState: 'pending_approval',
        }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected'],
    );
    assert.equal(store.getBatch(batch.id)?.version, 2);
    await assert.rejects(
      store.updateBatch(batch.id, () => {}, { expectVersion: 1 }),
      StaleRequestError,
    );
    await assert.rejects(
      store.updateBatch('BATCH-9', () => {}),
      RequestNotFoundError,
    );
    await store.close();
  });

  it('copies stored data deeply, so nested changes by a caller never reach the store', () => {
    const stored = { a: [{ b: 1 }], c: { d: 'x', e: undefined }, at: new Date(0), n: null };
    const copy = copyPlain(stored);
    copy.a[0]!.b = 2;
    copy.c.d = 'y';
    copy.at.setTime(5);

    assert.deepEqual(stored, {
      a: [{ b: 1 }],
      c: { d: 'x', e: undefined },
      at: new Date(0),
      n: null,
    });
    assert.ok('e' in copy.c, 'undefined fields are kept, as structuredClone kept them');
  });
});
