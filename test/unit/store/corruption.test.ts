import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StoreCorruptError } from '../../../src/errors.js';
import { RequestStore } from '../../../src/store/requestStore.js';
import { BATCH_STATES } from '../../../src/store/schema.js';
import { INITIAL_STATES, nextStates } from '../../../src/workflow/stateMachine.js';
import type { Decision, EnrolmentRequest, RequestState } from '../../../src/workflow/types.js';
import { REQUEST_STATES } from '../../../src/workflow/types.js';
import { approver, fixedClock, manager, sampleRequest, tempDir } from './helpers.js';

/** A request record as the store writes it, with fields replaced (undefined drops one). */
const request = (overrides: Record<string, unknown> = {}) => ({
  ...sampleRequest(),
  id: 'REQ-1',
  version: 1,
  createdAt: 'x',
  updatedAt: 'x',
  ...overrides,
});

const contractor = sampleRequest().contractor;
const approval = { outcome: 'approved', by: approver, at: 'x' };

/** A batch record as the store writes it, with fields replaced. */
const batch = (overrides: Record<string, unknown> = {}) => ({
  id: 'BATCH-1',
  state: 'pending_approval',
  version: 1,
  createdAt: 'x',
  updatedAt: 'x',
  requester: manager,
  requestIds: ['REQ-1'],
  approvals: [],
  ...overrides,
});

const valid = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    schema: 1,
    nextRequestNumber: 2,
    nextBatchNumber: 2,
    requests: [request()],
    batches: [],
    meta: {},
    ...overrides,
  });

/** A store whose one request has `overrides`. */
const withRequest = (overrides: Record<string, unknown>) =>
  valid({ requests: [request(overrides)] });

/** Each damaged file, and a word its error message must contain. */
const CASES: Array<[string, string, RegExp]> = [
  ['an empty file', '', /is empty/],
  ['a file of blanks', '  \n\n', /is empty/],
  ['truncated JSON', valid().slice(0, 60), /not valid JSON/],
  ['hand-broken JSON', valid().replace('"schema":1,', 'schema: 1,,'), /not valid JSON/],
  ['{} without the schema', '{}', /no "schema" field/],
  ['a JSON array', '[]', /not.*JSON object/],
  ['JSON null', 'null', /not.*JSON object/],
  ['a newer schema', valid({ schema: 2 }), /schema 2/],
  ['requests not an array', valid({ requests: { 'REQ-1': {} } }), /"requests" that is not a list/],
  ['batches missing', valid({ batches: undefined }), /"batches" that is not a list/],
  ['meta an array', valid({ meta: [] }), /"meta" that is not an object/],
  ['a bad counter', valid({ nextRequestNumber: 'two' }), /"nextRequestNumber"/],
  ['a counter behind the ids', valid({ nextRequestNumber: 1 }), /ids would repeat/],
  ['a request without an id', valid({ requests: [{ state: 'sent', version: 1 }] }), /REQ-42/],
  [
    'a request in an unknown state',
    valid({ requests: [{ id: 'REQ-1', state: 'launched', version: 1 }] }),
    /unknown state/,
  ],
  ['a duplicated id', valid({ requests: [request(), request()] }), /twice/],
  [
    'a request without a contractor',
    withRequest({ contractor: undefined }),
    /REQ-1 without "contractor"/,
  ],
  [
    'a contractor without a display name',
    withRequest({ contractor: { ...contractor, displayName: undefined } }),
    /REQ-1 without "contractor.displayName"/,
  ],
  [
    'a contractor whose expiry is not text',
    withRequest({ contractor: { ...contractor, expiresAt: 20250301 } }),
    /REQ-1 whose "contractor.expiresAt" is a number, not text/,
  ],
  [
    'a requester without a chat user id',
    withRequest({ requester: { ...manager, platformUserId: 29 } }),
    /REQ-1 whose "requester.platformUserId" is a number, not text/,
  ],
  [
    'a numeric destination',
    withRequest({ destination: 447700900123 }),
    /REQ-1 whose "destination" is a number, not text/,
  ],
  [
    'an unknown method',
    withRequest({ method: 'fax' }),
    /REQ-1 whose "method" is "fax", not sms or email/,
  ],
  [
    'approvals that are not a list',
    withRequest({ approvals: { 0: approval } }),
    /REQ-1 whose "approvals" is an object, not a list/,
  ],
  ['checks missing', withRequest({ checks: undefined }), /REQ-1 without "checks"/],
  ['warnings null', withRequest({ warnings: null }), /REQ-1 whose "warnings" is null, not a list/],
  ['progress a list', withRequest({ progress: [] }), /REQ-1 whose "progress" is a list/],
  ['no creation time', withRequest({ createdAt: undefined }), /REQ-1 without "createdAt"/],
  ['a text sandbox flag', withRequest({ sandbox: 'yes' }), /REQ-1 whose "sandbox" is text/],
  [
    'an approval by nobody',
    withRequest({ approvals: [{ outcome: 'approved', at: 'x' }] }),
    /REQ-1 without "approvals\[0\].by"/,
  ],
  [
    'a decision that is neither approved nor denied',
    withRequest({ state: 'denied', decision: { ...approval, outcome: 'maybe' } }),
    /REQ-1 whose "decision.outcome" is "maybe", not approved or denied/,
  ],
  [
    'a request set to sending with no approval',
    withRequest({ state: 'sending' }),
    /REQ-1 in state sending but no approval is recorded; .*not send it\. .*to pending_approval/,
  ],
  [
    'a request set to approved with a denial',
    withRequest({ state: 'approved', decision: { ...approval, outcome: 'denied' } }),
    /REQ-1 in state approved but no approval is recorded/,
  ],
  [
    'a sent request with no approval',
    withRequest({ state: 'sent', progress: { sentAt: 'x' } }),
    /REQ-1 in state sent but no approval is recorded; the bot will not act on it\. A link may/,
  ],
  [
    'a failed send with no approval',
    withRequest({ state: 'failed', progress: { duoUserId: 'DU1' } }),
    /REQ-1 in state failed but no approval is recorded/,
  ],
  [
    'an unknown batch state',
    valid({ batches: [batch({ state: 'open' })] }),
    /BATCH-1 whose "state" is "open", not pending_approval, approved/,
  ],
  [
    'batch request ids that are not text',
    valid({ batches: [batch({ requestIds: ['REQ-1', 2] })] }),
    /BATCH-1 whose "requestIds\[1\]" is a number, not text/,
  ],
  [
    'batch request ids that are not a list',
    valid({ batches: [batch({ requestIds: 'REQ-1' })] }),
    /BATCH-1 whose "requestIds" is text, not a list/,
  ],
  [
    'a batch without a version',
    valid({ batches: [batch({ version: '1' })] }),
    /BATCH-1 without a version/,
  ],
  [
    'a batch naming a request the store does not hold',
    valid({ batches: [batch({ requestIds: ['REQ-1', 'REQ-99'] })] }),
    /BATCH-1 naming REQ-99, which is not in the store/,
  ],
  [
    'a batch without a requester',
    valid({ batches: [batch({ requester: undefined })] }),
    /BATCH-1 without "requester"/,
  ],
];

const approved: Decision = { outcome: 'approved', by: approver, at: '2025-03-01T09:05:00.000Z' };

/** What the workflow records on a request as it enters each state (decisions.ts, sender.ts). */
const WORKFLOW_EFFECTS: Partial<Record<RequestState, (r: EnrolmentRequest) => void>> = {
  approved: (r) => {
    r.approvals.push(approved);
    r.decision = approved;
  },
  denied: (r) => {
    r.decision = { ...approved, outcome: 'denied' };
  },
  cancelled: (r) => {
    r.decision = { ...approved, outcome: 'denied', comment: 'cancelled' };
  },
  sending: (r) => {
    r.progress = { duoUserId: 'DU1', createdUser: true, sendStartedAt: 'x' };
  },
  sent: (r) => {
    r.progress.sentAt = 'x';
  },
  failed: (r) => {
    r.failure = { code: 'duo_refused', message: 'refused' };
  },
};

/** Every path through the lifecycle's own edges, from each state a request may start in. */
function lifecyclePaths(): RequestState[][] {
  const paths: RequestState[][] = [];
  const walk = (path: RequestState[]): void => {
    paths.push(path);
    for (const next of nextStates(path.at(-1)!)) walk([...path, next]);
  };
  for (const start of INITIAL_STATES) walk([start]);

  return paths;
}

describe('store/RequestStore with a damaged file', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let storePath: string;

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    storePath = path.join(dir, 'enrolbot.json');
  });
  afterEach(() => cleanup());

  for (const [name, content, reason] of CASES) {
    it(`stops on ${name} and leaves the file byte for byte`, async () => {
      await writeFile(storePath, content);
      const before = await stat(storePath);

      const error = await RequestStore.open(storePath, { now: fixedClock().now }).then(
        () => assert.fail('opened a damaged store'),
        (e: unknown) => e,
      );

      assert.ok(error instanceof StoreCorruptError, String(error));
      assert.equal(error.path, storePath);
      assert.match(error.message, reason);
      assert.ok(error.message.includes(storePath), error.message);
      assert.match(error.message, /will not reset or overwrite it/);
      assert.equal(await readFile(storePath, 'utf8'), content);
      assert.equal((await stat(storePath)).mtimeMs, before.mtimeMs);
      // No temp file was written and the lock was given back.
      assert.deepEqual(await readdir(dir), ['enrolbot.json']);
    });
  }

  it('opens the file again once it is repaired', async () => {
    await writeFile(storePath, '{');
    await assert.rejects(
      RequestStore.open(storePath, { now: fixedClock().now }),
      StoreCorruptError,
    );
    await writeFile(storePath, valid());
    const store = await RequestStore.open(storePath, { now: fixedClock().now });
    assert.equal(store.get('REQ-1')?.state, 'pending_approval');
    assert.equal((await store.create(sampleRequest())).id, 'REQ-2');
    await store.close();
  });

  it('loads a store the current code wrote, with requests along every lifecycle path', async () => {
    const store = await RequestStore.open(storePath, { now: fixedClock().now });
    const paths = lifecyclePaths();
    for (const states of paths) {
      const [first, ...rest] = states as [RequestState, ...RequestState[]];
      const preApproved = first === 'approved';
      let { id } = await store.create(
        sampleRequest('jdoe', {
          state: first,
          ...(preApproved && { approvals: [approved], decision: approved }),
        }),
      );
      let from = first;
      for (const to of rest) {
        ({ id } = await store.transition(id, from, to, (r) => WORKFLOW_EFFECTS[to]?.(r)));
        from = to;
      }
    }
    for (const state of BATCH_STATES) {
      const saved = await store.saveBatch({
        state: 'pending_approval',
        requester: manager,
        requestIds: ['REQ-1'],
        approvals: [],
      });
      await store.updateBatch(saved.id, (b) => {
        b.state = state;
        if (state !== 'pending_approval') b.decision = approved;
      });
    }
    await store.close();

    const reopened = await RequestStore.open(storePath, { now: fixedClock().now });
    assert.equal(reopened.list().length, paths.length);
    for (const state of REQUEST_STATES) {
      assert.ok(
        reopened.some((r) => r.state === state),
        `a request in ${state}`,
      );
    }
    assert.equal(reopened.listBatches().length, BATCH_STATES.length);
    await reopened.close();
  });

  it('reports a store path that is a folder as an error, not as a fresh store', async () => {
    await mkdir(storePath);
    await assert.rejects(RequestStore.open(storePath, { now: fixedClock().now }), /EISDIR/);
  });
});
