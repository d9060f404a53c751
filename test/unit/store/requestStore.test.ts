import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sinon from 'sinon';
import {
  InvalidTransitionError,
  RequestNotFoundError,
  StaleRequestError,
} from '../../../src/errors.js';
import { AuditLog, readAuditFile, type AuditEvent } from '../../../src/store/auditLog.js';
import { RequestStore } from '../../../src/store/requestStore.js';
import { approver, fixedClock, manager, sampleRequest, tempDir } from './helpers.js';

describe('store/RequestStore', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let storePath: string;
  const open = (clock = fixedClock()) => RequestStore.open(storePath, { now: clock.now });

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    storePath = path.join(dir, 'nested', 'data', 'enrolbot.json');
  });
  afterEach(() => cleanup());

  it('creates the folder and a fresh file when none exists', async () => {
    const store = await open();
    const saved = JSON.parse(await readFile(storePath, 'utf8'));
    assert.deepEqual(saved, {
      schema: 1,
      nextRequestNumber: 1,
      nextBatchNumber: 1,
      requests: [],
      batches: [],
      meta: {},
    });
    await store.close();
  });

  it('assigns REQ-<n>, version 1 and the injected time', async () => {
    const clock = fixedClock('2025-03-01T09:00:00.000Z');
    const store = await open(clock);
    const first = await store.create(sampleRequest('jdoe'));
    clock.advance(1000);
    const second = await store.create(sampleRequest('asmith'));
    assert.equal(first.id, 'REQ-1');
    assert.equal(second.id, 'REQ-2');
    assert.equal(first.version, 1);
    assert.equal(first.createdAt, '2025-03-01T09:00:00.000Z');
    assert.equal(second.updatedAt, '2025-03-01T09:00:01.000Z');
    await store.close();
  });

  it('keeps ids monotonic and data intact across close and reopen', async () => {
    let store = await open();
    await store.create(sampleRequest('jdoe'));
    const second = await store.create(sampleRequest('asmith'));
    await store.transition(second.id, 'pending_approval', 'approved', (r) => {
      r.decision = { outcome: 'approved', by: approver, at: '2025-03-01T09:05:00.000Z' };
    });
    await store.close();

    store = await open();
    assert.equal(store.get('REQ-2')?.state, 'approved');
    assert.equal(store.get('REQ-2')?.decision?.by.displayName, 'Alex Wilber');
    assert.equal((await store.create(sampleRequest('bwayne'))).id, 'REQ-3');
    await store.close();
  });

  it('finds requests by contractor, case-insensitively, and by predicate', async () => {
    const store = await open();
    await store.create(sampleRequest('jdoe'));
    await store.create(sampleRequest('asmith'));
    await store.create(sampleRequest('JDoe', { method: 'email' }));
    assert.deepEqual(
      store.byContractor('jdoe').map((r) => r.id),
      ['REQ-1', 'REQ-3'],
    );
    assert.deepEqual(
      store.list((r) => r.method === 'email').map((r) => r.id),
      ['REQ-3'],
    );
    assert.equal(store.get('REQ-99'), undefined);
    await store.close();
  });

  it('refuses to create a request past approval, so nothing is born sent', async () => {
    const store = await open();
    for (const state of ['sending', 'sent', 'activated', 'needs_attention'] as const) {
      await assert.rejects(store.create(sampleRequest('x', { state })), InvalidTransitionError);
    }
    assert.equal(store.list().length, 0);
    assert.equal((await store.create(sampleRequest('x', { state: 'rejected' }))).id, 'REQ-1');
    await store.close();
  });

  it('hands out copies, so a caller cannot change a stored request without a CAS', async () => {
    const store = await open();
    const created = await store.create(sampleRequest());
    created.state = 'sent';
    store.get(created.id)!.state = 'sent';
    store.list()[0]!.state = 'sent';
    assert.equal(store.get(created.id)?.state, 'pending_approval');
    await store.close();
  });

  describe('transition (compare-and-set)', () => {
    it('moves, bumps the version and persists before resolving', async () => {
      const clock = fixedClock();
      const store = await open(clock);
      const { id } = await store.create(sampleRequest());
      clock.advance(60_000);
      const moved = await store.transition(id, 'pending_approval', 'approved');
      assert.equal(moved.state, 'approved');
      assert.equal(moved.version, 2);
      assert.equal(moved.updatedAt, '2025-03-01T09:01:00.000Z');
      const onDisk = JSON.parse(await readFile(storePath, 'utf8'));
      assert.equal(onDisk.requests[0].state, 'approved');
      assert.equal(onDisk.requests[0].version, 2);
      await store.close();
    });

    it('lets exactly one of two Approve clicks win', async () => {
      const store = await open();
      const { id } = await store.create(sampleRequest());
      const results = await Promise.allSettled([
        store.transition(id, 'pending_approval', 'approved'),
        store.transition(id, 'pending_approval', 'approved'),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const loser = results.find((r) => r.status === 'rejected');
      assert.ok(loser?.status === 'rejected' && loser.reason instanceof StaleRequestError);
      assert.equal(store.get(id)?.version, 2);
      await store.close();
    });

    it('gives fifty concurrent transitions one winner and 49 StaleRequestErrors', async () => {
      const store = await open();
      const { id } = await store.create(sampleRequest());
      await store.transition(id, 'pending_approval', 'approved');
      let sends = 0;
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () =>
          store.transition(id, 'approved', 'sending').then(() => (sends += 1)),
        ),
      );
      const rejected = results.filter((r) => r.status === 'rejected');
      assert.equal(sends, 1);
      assert.equal(rejected.length, 49);
      for (const r of rejected) assert.ok(r.reason instanceof StaleRequestError);
      assert.equal(store.get(id)?.version, 3);
      await store.close();
    });

    it('lets an Approve racing a Cancel produce one outcome', async () => {
      const store = await open();
      const { id } = await store.create(sampleRequest());
      const results = await Promise.allSettled([
        store.transition(id, 'pending_approval', 'cancelled'),
        store.transition(id, 'pending_approval', 'approved'),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected'],
      );
      assert.equal(store.get(id)?.state, 'cancelled');
      await assert.rejects(store.transition(id, 'approved', 'sending'), StaleRequestError);
      await store.close();
    });

    it('accepts a list of source states', async () => {
      const store = await open();
      const { id } = await store.create(sampleRequest());
      await store.transition(id, 'pending_approval', 'approved');
      const cancelled = await store.transition(id, ['pending_approval', 'approved'], 'cancelled');
      assert.equal(cancelled.state, 'cancelled');
      await store.close();
    });

    it('refuses edges the lifecycle does not have, and leaves the request alone', async () => {
      const store = await open();
      const { id } = await store.create(sampleRequest());
      await assert.rejects(
        store.transition(id, 'pending_approval', 'sent'),
        InvalidTransitionError,
      );
      await assert.rejects(
        store.transition(id, 'pending_approval', 'pending_approval'),
        InvalidTransitionError,
      );
      // Checked even when the request is elsewhere: a wrong edge is a bug, not a race.
      await assert.rejects(store.transition(id, 'failed', 'sending'), InvalidTransitionError);
      assert.equal(store.get(id)?.version, 1);
      await store.close();
    });

    it('takes operator-only edges only when the audit entry says operator', async () => {
      const store = await open();
      const { id } = await store.create(sampleRequest());
      await store.transition(id, 'pending_approval', 'approved');
      await store.transition(id, 'approved', 'sending');
      await store.transition(id, 'sending', 'needs_attention');
      const actor = { platform: 'cli' as const, id: 'ops', name: 'Operator' };
      await assert.rejects(
        store.transition(id, 'needs_attention', 'sending', undefined, { actor }),
        InvalidTransitionError,
      );
      const retried = await store.transition(id, 'needs_attention', 'sending', undefined, {
        actor,
        operator: true,
      });
      assert.equal(retried.state, 'sending');
      await store.close();
    });

    it('does not change the request when mutate throws', async () => {
      const store = await open();
      const { id } = await store.create(sampleRequest());
      await assert.rejects(
        store.transition(id, 'pending_approval', 'approved', (r) => {
          r.reason = 'half done';
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(store.get(id)?.state, 'pending_approval');
      assert.equal(store.get(id)?.reason, undefined);
      await store.close();
    });

    it('reports an unknown id as RequestNotFoundError', async () => {
      const store = await open();
      await assert.rejects(
        store.transition('REQ-7', 'pending_approval', 'approved'),
        RequestNotFoundError,
      );
      await store.close();
    });

    it('appends one audit event per transition, after the write', async () => {
      const clock = fixedClock();
      const auditPath = path.join(dir, 'audit.jsonl');
      const auditLog = await AuditLog.open(auditPath, { now: clock.now });
      const store = await RequestStore.open(storePath, { now: clock.now, auditLog });
      const { id } = await store.create(sampleRequest(), { actor: manager });
      await store.transition(id, 'pending_approval', 'approved', undefined, {
        actor: approver,
        detail: 'to +44 •••• ••0123',
      });
      await Promise.allSettled([1, 2, 3].map(() => store.transition(id, 'approved', 'sending')));
      await store.close();
      await auditLog.close();

      const events: AuditEvent[] = [];
      for await (const event of readAuditFile(auditPath)) events.push(event);
      assert.deepEqual(
        events.map((e) => [e.request_id, e.action, e.from, e.to, e.actor.platform, e.actor.id]),
        [
          ['REQ-1', 'created', undefined, 'pending_approval', 'teams', '29:manager'],
          ['REQ-1', 'approved', 'pending_approval', 'approved', 'slack', 'U0APPROVER'],
          ['REQ-1', 'sending', 'approved', 'sending', 'system', 'enrolbot'],
        ],
      );
      assert.equal(events[1]?.detail, 'to +44 •••• ••0123');
    });
  });

  it('keeps a transition that is on disk when only its audit append fails, and logs it', async () => {
    const auditLog = await AuditLog.open(path.join(dir, 'audit.jsonl'));
    await auditLog.close();
    const logger = { warn: sinon.spy(), error: sinon.spy() };
    const store = await RequestStore.open(storePath, { now: fixedClock().now, auditLog, logger });
    const { id } = await store.create(sampleRequest());
    const moved = await store.transition(id, 'pending_approval', 'denied', undefined, {
      actor: approver,
    });
    assert.equal(moved.state, 'denied');
    assert.ok(logger.error.calledOnce);
    assert.equal(logger.error.firstCall.args[0].event.to, 'denied');
    await store.close();
  });

  describe('update (compare-and-set without a state change)', () => {
    it('records progress and bumps the version', async () => {
      const store = await open();
      const { id } = await store.create(sampleRequest());
      const updated = await store.update(id, (r) => (r.progress.phoneId = 'DP123'), {
        expectVersion: 1,
        expectState: 'pending_approval',
      });
      assert.equal(updated.version, 2);
      assert.equal(store.get(id)?.progress.phoneId, 'DP123');
      await store.close();
    });

    it('refuses a stale version or state', async () => {
      const store = await open();
      const { id } = await store.create(sampleRequest());
      await store.update(id, (r) =>
        r.approvals.push({ outcome: 'approved', by: approver, at: 'x' }),
      );
      await assert.rejects(
        store.update(id, () => {}, { expectVersion: 1 }),
        StaleRequestError,
      );
      await assert.rejects(
        store.update(id, () => {}, { expectState: 'sending' }),
        StaleRequestError,
      );
      assert.equal(store.get(id)?.approvals.length, 1);
      await store.close();
    });

    it('refuses to change the state behind the state machine', async () => {
      const store = await open();
      const { id } = await store.create(sampleRequest());
      await assert.rejects(
        store.update(id, (r) => (r.state = 'sent')),
        InvalidTransitionError,
      );
      assert.equal(store.get(id)?.state, 'pending_approval');
      await store.close();
    });
  });

  it('refuses use after close', async () => {
    const store = await open();
    await store.close();
    await assert.rejects(store.create(sampleRequest()), /closed/);
  });
});
