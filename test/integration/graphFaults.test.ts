/**
 * The Entra ID backend when Graph misbehaves: throttling with Retry-After (honoured, bounded),
 * 5xx, refused permissions, a token that cannot be had, time limits and cut connections. Waiting
 * is injected, so no test sleeps.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import {
  GraphDirectory,
  type GraphDirectoryOptions,
} from '../../src/directory/graph/graphDirectory.js';
import { DirectoryUnavailableError } from '../../src/errors.js';
import {
  FAKE_TOKEN,
  GraphFake,
  IDS,
  fakeCredential,
  graphConfigFor,
} from '../support/graphFake.js';

describe('GraphDirectory when Graph fails', () => {
  let fake: GraphFake;
  let sleep: sinon.SinonStub<[number], Promise<void>>;
  let logs: unknown[];

  const graphFor = (options: GraphDirectoryOptions = {}, timeoutMs = 5000) =>
    new GraphDirectory(graphConfigFor(fake, timeoutMs), {
      credential: fakeCredential(),
      logger: { warn: (fields, message) => logs.push({ fields, message }) },
      ...options,
      retry: { sleep, ...options.retry },
    });
  const unavailable = (pattern: RegExp) => (error: unknown) =>
    error instanceof DirectoryUnavailableError && pattern.test(error.message);

  before(async () => {
    fake = await GraphFake.start();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.forbidden = false;
    fake.onRequest = undefined;
    sleep = sinon.stub<[number], Promise<void>>().resolves();
    logs = [];
  });
  after(() => fake.close());

  describe('throttling', () => {
    it('waits as long as Retry-After says, then succeeds', async () => {
      fake.throttle(2, '7');

      const records = await graphFor().find(IDS.contractor);

      assert.equal(records[0]?.id, IDS.contractor);
      assert.deepEqual(
        sleep.getCalls().map((c) => c.args[0]),
        [7000, 7000],
      );
      const attempts = fake.requests.slice(0, 3).map((r) => r.headers['retry-attempt']);
      assert.deepEqual(attempts, [undefined, '1', '2']);
    });

    it('reads Retry-After given as an HTTP date', async () => {
      const now = Date.parse('2030-01-01T00:00:00Z');
      fake.throttle(1, 'Tue, 01 Jan 2030 00:00:12 GMT');

      await graphFor({ retry: { now: () => now } }).ping();

      assert.deepEqual(sleep.firstCall.args, [12_000]);
    });

    it('gives up as unavailable once the retries run out', async () => {
      fake.throttle(4, '0');

      await assert.rejects(graphFor().find('Chris Lee'), unavailable(/throttling.*429/));

      assert.equal(fake.requests.length, 4);
      assert.equal(sleep.callCount, 3);
    });

    it('gives up at once when Retry-After is longer than the bound', async () => {
      fake.throttle(1, '3600');

      await assert.rejects(graphFor().ping(), unavailable(/429/));

      assert.equal(fake.requests.length, 1);
      assert.equal(sleep.callCount, 0);
    });

    it('backs off exponentially when there is no Retry-After', async () => {
      fake.throttle(3, null);

      await graphFor().ping();

      assert.deepEqual(
        sleep.getCalls().map((c) => c.args[0]),
        [1000, 2000, 4000],
      );
    });

    it('retries a 503 but not a 500', async () => {
      fake.failWith(503);
      await graphFor().ping();
      assert.equal(fake.requests.length, 2);

      fake.requests.length = 0;
      fake.failWith(500);
      await assert.rejects(graphFor().ping(), unavailable(/HTTP 500/));
      assert.equal(fake.requests.length, 1);
    });
  });

  describe('failures that are never "not found"', () => {
    it('reports a refused token (401) as unavailable, naming the permissions', async () => {
      const graph = graphFor({ credential: fakeCredential('wrong-token') });

      await assert.rejects(graph.find('Chris Lee'), unavailable(/401.*User\.Read\.All/));
    });

    it('reports a missing permission (403) as unavailable, naming the permissions', async () => {
      fake.forbidden = true;

      await assert.rejects(
        graphFor().find(IDS.contractor),
        unavailable(/403.*Authorization_RequestDenied.*GroupMember\.Read\.All/),
      );
    });

    it('reports a credential that cannot get a token, without calling Graph', async () => {
      const credential = { getToken: sinon.stub().rejects(new Error('AADSTS7000215: bad secret')) };

      await assert.rejects(
        graphFor({ credential }).ping(),
        unavailable(/GRAPH_CLIENT_SECRET.*AADSTS7000215/),
      );
      assert.equal(fake.requests.length, 0);
    });

    it('reports an attempt that runs out of time', async () => {
      const timer = new AbortController();
      fake.hangNext();
      fake.onRequest = () => timer.abort(new DOMException('time is up', 'TimeoutError'));
      const graph = graphFor({ retry: { timeoutSignal: () => timer.signal } });

      await assert.rejects(graph.find('Chris Lee'), unavailable(/could not be reached/));
    });

    it('reports a cut connection', async () => {
      fake.dropNext();

      await assert.rejects(graphFor().find('Chris Lee'), unavailable(/could not be reached/));
    });

    it('refuses a next page on another host, so the token never leaves', async () => {
      fake.nextLinkOrigin = 'https://elsewhere.invalid';
      try {
        await assert.rejects(
          graphFor({ pageSize: 10 }).expandGroup(IDS.temps),
          unavailable(/another host/),
        );
      } finally {
        fake.nextLinkOrigin = undefined;
      }
    });
  });

  it('never logs or reports the client secret or the token', async () => {
    fake.throttle(1, '0');
    fake.throttle(1, '3600');
    const errors: unknown[] = [];

    await graphFor()
      .ping()
      .catch((e: unknown) => errors.push(e));

    assert.ok(logs.length >= 2);
    const text = JSON.stringify(logs) + errors.map(String).join();
    assert.ok(!text.includes('client-secret-never-logged'));
    assert.ok(!text.includes(FAKE_TOKEN));
  });
});
