import assert from 'node:assert/strict';
import { open, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import sinon from 'sinon';
import {
  encodeStore,
  nodeWriteOps,
  writeAll,
  type WriteOps,
} from '../../../src/store/durableFile.js';
import { RequestStore } from '../../../src/store/requestStore.js';
import { fixedClock, sampleRequest, tempDir } from './helpers.js';

/** Real file operations, recorded, with a switch that makes the rename "crash". */
function recordingOps() {
  const calls: string[] = [];
  let crash = false;
  const ops: WriteOps = {
    async writeSynced(file, text) {
      calls.push(`write ${path.basename(file)}`);
      await nodeWriteOps.writeSynced(file, text);
    },
    async rename(from, to) {
      if (crash) throw Object.assign(new Error('simulated crash before rename'), { code: 'EIO' });
      calls.push(`rename ${path.basename(from)} -> ${path.basename(to)}`);
      await nodeWriteOps.rename(from, to);
    },
    async syncFolder(folder) {
      calls.push('sync folder');
      await nodeWriteOps.syncFolder(folder);
    },
  };

  return { ops, calls, crashNext: () => (crash = true) };
}

describe('store durable writes', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let storePath: string;

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    storePath = path.join(dir, 'enrolbot.json');
  });
  afterEach(() => cleanup());

  it('writes a synced temp file and renames it; the store file is never written in place', async () => {
    const { ops, calls } = recordingOps();
    const store = await RequestStore.open(storePath, { now: fixedClock().now, writeOps: ops });
    await store.create(sampleRequest());
    await store.close();
    assert.deepEqual(calls, [
      'write enrolbot.json.tmp',
      'rename enrolbot.json.tmp -> enrolbot.json',
      'sync folder',
      'write enrolbot.json.tmp',
      'rename enrolbot.json.tmp -> enrolbot.json',
      'sync folder',
    ]);
    assert.deepEqual((await readdir(dir)).sort(), ['enrolbot.json']);
  });

  it('fsyncs the temp file before the rename and the folder after it', async () => {
    const probe = await open(path.join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const sync = sinon.spy(proto, 'sync');
    const rename = sinon.spy(nodeWriteOps, 'rename');
    try {
      const store = await RequestStore.open(storePath, { now: fixedClock().now });
      await store.close();
      assert.equal(sync.callCount, 2);
      assert.ok(sync.firstCall.calledBefore(rename.firstCall));
      assert.ok(sync.secondCall.calledAfter(rename.firstCall));
    } finally {
      sync.restore();
      rename.restore();
    }
  });

  it('leaves the old content whole when the process dies before the rename', async () => {
    const { ops, crashNext } = recordingOps();
    const logger = { warn: sinon.spy(), error: sinon.spy() };
    const store = await RequestStore.open(storePath, {
      now: fixedClock().now,
      writeOps: ops,
      logger,
    });
    const { id } = await store.create(sampleRequest());
    const before = await readFile(storePath, 'utf8');

    crashNext();
    await assert.rejects(store.transition(id, 'pending_approval', 'approved'), /simulated crash/);

    assert.equal(await readFile(storePath, 'utf8'), before);
    // The caller heard "failed", so the request must not read as approved either.
    assert.equal(store.get(id)?.state, 'pending_approval');
    assert.ok(logger.error.calledOnce);
    await store.close();

    const reopened = await RequestStore.open(storePath, { now: fixedClock().now });
    assert.equal(reopened.get(id)?.state, 'pending_approval');
    assert.equal(reopened.get(id)?.version, 1);
    await reopened.close();
  });

  it('drops a new request whose write failed, leaving nothing on disk or in memory', async () => {
    const { ops, crashNext } = recordingOps();
    const store = await RequestStore.open(storePath, { now: fixedClock().now, writeOps: ops });
    crashNext();
    await assert.rejects(store.create(sampleRequest()), /simulated crash/);
    assert.equal(store.list().length, 0);
    await store.close();

    const reopened = await RequestStore.open(storePath, { now: fixedClock().now });
    assert.equal(reopened.list().length, 0);
    assert.equal((await reopened.create(sampleRequest())).id, 'REQ-1');
    await reopened.close();
  });

  it('coalesces concurrent writes and keeps every change', async () => {
    const { ops, calls } = recordingOps();
    const store = await RequestStore.open(storePath, { now: fixedClock().now, writeOps: ops });
    calls.length = 0;
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.create(sampleRequest(`c${i}`))));
    await store.flush();

    const writes = calls.filter((c) => c.startsWith('write')).length;
    assert.ok(writes <= 2, `expected the 20 creates to share writes, saw ${writes}`);
    const saved = JSON.parse(await readFile(storePath, 'utf8'));
    assert.equal(saved.requests.length, 20);
    assert.equal(saved.nextRequestNumber, 21);
    await store.close();
  });

  it('writes one write at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const ops: WriteOps = {
      ...nodeWriteOps,
      async writeSynced(file, text) {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await nodeWriteOps.writeSynced(file, text);
        inFlight -= 1;
      },
    };
    const store = await RequestStore.open(storePath, { now: fixedClock().now, writeOps: ops });
    const { id } = await store.create(sampleRequest());
    await Promise.all([
      store.update(id, (r) => (r.reason = 'a')),
      store.setMeta('k', 1),
      store.create(sampleRequest('x')),
    ]);
    await store.update(id, (r) => (r.reason = 'b'));
    await store.close();
    assert.equal(most, 1);
  });

  it('writes exactly the compact JSON of the data, each change included, re-encoding only it', async () => {
    const store = await RequestStore.open(storePath, { now: fixedClock().now });
    const a = await store.create(sampleRequest('a'));
    await store.create(sampleRequest('b'));
    await store.saveBatch({ state: 'pending_approval', requestIds: [a.id] } as never);
    await store.setMeta('k', { n: 1 });
    await store.update(a.id, (r) => (r.reason = 'changed'));
    await store.flush();

    const text = await readFile(storePath, 'utf8');
    const data = JSON.parse(text) as Parameters<typeof encodeStore>[0];
    assert.equal(text, JSON.stringify(data) + '\n');
    assert.equal(data.requests[0]?.reason, 'changed');
    assert.equal(data.meta.k?.value && (data.meta.k.value as { n: number }).n, 1);

    const first = encodeStore(data);
    const stringify = sinon.spy(JSON, 'stringify');
    try {
      const again = encodeStore(data);
      assert.equal(Buffer.concat(again).toString(), Buffer.concat(first).toString());
      const records = stringify.getCalls().filter((c) => typeof c.args[0] === 'object');
      assert.ok(
        records.every((c) => !data.requests.includes(c.args[0] as never)),
        'an unchanged request is not serialised again',
      );
    } finally {
      stringify.restore();
    }
    await store.close();
  });
});

describe('writeAll', () => {
  /** A file handle whose writev takes at most `max` bytes per call, as a short write does. */
  function shortWriter(max: number) {
    const written: Buffer[] = [];
    const lists: number[] = [];
    const handle = {
      writev: async (buffers: Buffer[]) => {
        lists.push(buffers.length);
        const all = Buffer.concat(buffers);
        const taken = all.subarray(0, Math.min(max, all.length));
        written.push(Buffer.from(taken));

        return { bytesWritten: taken.length, buffers };
      },
    };

    return { handle, written, lists };
  }

  const pieces = ['{"requests":[', '', 'alpha', ',', 'a much longer piece of text', ']}'].map((t) =>
    Buffer.from(t),
  );

  it('writes every byte in order across short writes, resuming mid-piece', async () => {
    const { handle, written } = shortWriter(7);
    await writeAll(handle, pieces);
    assert.equal(Buffer.concat(written).toString(), Buffer.concat(pieces).toString());
  });

  it('hands the whole list to one writev when the write is not short', async () => {
    const { handle, lists } = shortWriter(Number.MAX_SAFE_INTEGER);
    await writeAll(handle, pieces);
    assert.deepEqual(lists, [pieces.length]);
  });
});
