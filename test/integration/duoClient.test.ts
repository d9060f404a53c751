import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pino } from 'pino';
import { DuoAdminClient, type DuoClientOptions } from '../../src/duo/client.js';
import { startDuoSimulator, type DuoSimulator } from '../../src/duo/simulator/index.js';
import {
  DuoAuthError,
  DuoBadRequestError,
  DuoNotFoundError,
  DuoRateLimitError,
  DuoUnavailableError,
} from '../../src/errors.js';

const IKEY = 'DIXXXXXXXXXXXXXXXXXX';
const SKEY = 'sim-secret-key-0123456789abcdefghijklmnopq';
const API_HOST = 'api-sim.duosecurity.test';

describe('DuoAdminClient against the simulator', () => {
  let sim: DuoSimulator;
  let sleeps: number[];
  let calls: { method: string; path: string; outcome: string }[];

  const client = (extra: Partial<DuoClientOptions> = {}): DuoAdminClient =>
    new DuoAdminClient({
      ikey: IKEY,
      skey: SKEY,
      host: API_HOST,
      baseUrl: sim.url,
      timeoutMs: 2000,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      onCall: (c) => calls.push(c),
      ...extra,
    });

  beforeEach(async () => {
    sim = await startDuoSimulator({ ikey: IKEY, skey: SKEY, apiHost: API_HOST });
    sleeps = [];
    calls = [];
  });
  afterEach(() => sim.stop());

  it('creates and finds a user by username and alias (v5)', async () => {
    const duo = client();
    const created = await duo.createUser({ username: 'jdoe', realname: 'Jane Doe' });
    assert.equal(created.status, 'active');
    sim.model.user(created.user_id).aliases.alias1 = 'jane.doe@example.com';

    assert.equal((await duo.findUserByUsername('jdoe'))?.user_id, created.user_id);
    assert.equal((await duo.findUserByUsername('jane.doe@example.com'))?.user_id, created.user_id);
    assert.equal(await duo.findUserByUsername('nobody'), undefined);
    await duo.check();
    assert.ok(calls.every((c) => c.outcome === 'ok'));
  });

  it('works with v2 signatures and form bodies too', async () => {
    for (const v2Digest of ['sha1', 'sha512'] as const) {
      const duo = client({ signatureVersion: 2, v2Digest });
      const phone = await duo.createPhone({
        number: v2Digest === 'sha1' ? '+447700900001' : '+447700900002',
        type: 'mobile',
        platform: 'generic smartphone',
      });
      assert.equal((await duo.getPhone(phone.phone_id)).platform, 'generic smartphone');
    }
  });

  it('sends values as strings and records the SMS', async () => {
    const duo = client();
    const phone = await duo.createPhone({
      number: '+447700900123',
      type: 'mobile',
      platform: 'generic smartphone',
    });
    const answer = await duo.sendSmsActivation(phone.phone_id, { validSecs: 3600, install: true });
    assert.equal(answer.valid_secs, 3600);
    assert.deepEqual(
      sim.model.state.sms.map((s) => [s.number, s.install, s.valid_secs]),
      [['+447700900123', true, 3600]],
    );
  });

  it('maps a wrong ikey to DuoAuthError 40102 and a wrong skey to 40103, without secrets', async () => {
    const badIkey = client({ ikey: 'DIWRONGWRONGWRONGWRO' });
    const badSkey = client({ skey: 'not-the-secret-key-at-all-000000000000000' });
    await assert.rejects(
      badIkey.check(),
      (e: unknown) => e instanceof DuoAuthError && e.duoCode === 40102,
    );
    const err = await badSkey.check().catch((e: unknown) => e);
    assert.ok(err instanceof DuoAuthError);
    assert.equal(err.duoCode, 40103);
    const text = `${err.message} ${JSON.stringify(err)} ${String(err.stack)}`;
    assert.ok(!text.includes('not-the-secret-key'));
    assert.ok(!text.includes('Basic '));
  });

  it('maps 404 to DuoNotFoundError and 400 to DuoBadRequestError', async () => {
    const duo = client();
    await assert.rejects(duo.getUser('DUNOPE'), DuoNotFoundError);
    await assert.rejects(
      duo.createPhone({ number: '07700900123', type: 'mobile', platform: 'x' }),
      (e) => {
        return e instanceof DuoBadRequestError && e.duoCode === 40002;
      },
    );
  });

  it('backs off three times on 429 through the injected sleep, then throws DuoRateLimitError', async () => {
    sim.setRateLimit({ calls: 1, windowMs: 60_000 });
    const duo = client();
    await duo.check();

    await assert.rejects(duo.check(), (e) => e instanceof DuoRateLimitError && e.duoCode === 42901);
    assert.deepEqual(sleeps, [1500, 2500, 4500]);
    assert.equal(calls.filter((c) => c.outcome === 'rate_limited').length, 4);
  });

  it('succeeds when the rate limit clears during the back-off', async () => {
    sim.setRateLimit({ calls: 1, windowMs: 60_000 });
    const duo = client({
      sleep: async (ms) => {
        sleeps.push(ms);
        sim.setRateLimit(null);
      },
    });
    await duo.check();
    await duo.check();
    assert.equal(sleeps.length, 1);
  });

  it('does not retry a POST after a timeout, and the operation may have happened', async () => {
    const duo = client({ timeoutMs: 200 });
    const phone = await duo.createPhone({
      number: '+447700900555',
      type: 'mobile',
      platform: 'generic smartphone',
    });
    sim.injectFailure({
      path: `/admin/v1/phones/${phone.phone_id}/send_sms_activation`,
      kind: 'hang',
      apply: true,
    });

    await assert.rejects(
      duo.sendSmsActivation(phone.phone_id, { validSecs: 60, install: false }),
      DuoUnavailableError,
    );
    assert.equal(sim.model.state.sms.length, 1);
    assert.equal(calls.at(-1)?.outcome, 'timeout');
    assert.deepEqual(sleeps, []);
  });

  it('does not retry a POST after a 500', async () => {
    const duo = client();
    sim.injectFailure({ path: '/admin/v1/users', method: 'POST', kind: 'http500', count: 5 });
    await assert.rejects(duo.createUser({ username: 'x' }), DuoUnavailableError);
    assert.equal(calls.length, 1);
  });

  it('maps an HTML gateway page and a reset connection to DuoUnavailableError', async () => {
    const duo = client();
    sim.injectFailure({ path: '/admin/v1/users', kind: 'html' });
    await assert.rejects(duo.check(), DuoUnavailableError);
    sim.injectFailure({ path: '/admin/v1/*', kind: 'reset', count: 2 });
    await assert.rejects(duo.check(), /could not be reached .*ECONNRESET/);
    await duo.check();
  });

  it('tries a GET once more when its kept-alive connection was reset, but never a POST', async () => {
    const duo = client();
    await duo.check(); // leaves a kept-alive connection to reuse
    sim.injectFailure({ path: '/admin/v1/users', method: 'GET', kind: 'reset' });
    await duo.check();
    assert.deepEqual(
      calls.map((c) => c.outcome),
      ['ok', 'ok'],
    );

    sim.injectFailure({ path: '/admin/v1/users', method: 'POST', kind: 'reset' });
    await assert.rejects(duo.createUser({ username: 'reset-once' }), DuoUnavailableError);
    assert.equal(calls.at(-1)?.outcome, 'error');
    // The simulator saw the POST once and did not act on it; nothing was repeated.
    assert.equal(await duo.findUserByUsername('reset-once'), undefined);
  });

  it('reaches Duo over HTTPS, trusting the system CAs plus NODE_EXTRA_CA_CERTS', async () => {
    const tls = path.join(import.meta.dirname, '../fixtures/tls');
    const server = createHttpsServer(
      {
        cert: readFileSync(path.join(tls, 'cert.pem')),
        key: readFileSync(path.join(tls, 'key.pem')),
      },
      (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ stat: 'OK', response: [] }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const duo = client({ baseUrl: `https://localhost:${port}` });
      assert.equal(await duo.findUserByUsername('nobody'), undefined);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('attaches, detaches, changes status and deletes', async () => {
    const duo = client();
    const user = await duo.createUser({ username: 'c1' });
    const phone = await duo.createPhone({
      number: '+15555550100',
      type: 'mobile',
      platform: 'apple ios',
    });
    await duo.attachPhone(user.user_id, phone.phone_id);
    assert.equal((await duo.getUser(user.user_id)).phones.length, 1);
    assert.equal((await duo.findPhoneByNumber('+15555550100'))?.users?.[0]?.username, 'c1');
    await duo.detachPhone(user.user_id, phone.phone_id);
    assert.equal((await duo.getUser(user.user_id)).phones.length, 0);
    assert.equal((await duo.setUserStatus(user.user_id, 'disabled')).status, 'disabled');
    await duo.deleteUser(user.user_id);
    await assert.rejects(duo.getUser(user.user_id), DuoNotFoundError);
  });
});

describe('DuoAdminClient limiter and logging', () => {
  let sim: DuoSimulator;
  beforeEach(async () => {
    sim = await startDuoSimulator({ ikey: IKEY, skey: SKEY, apiHost: API_HOST });
  });
  afterEach(() => sim.stop());

  it('waits on the limiter before every HTTP call, retries included', async () => {
    let acquired = 0;
    sim.setRateLimit({ calls: 1, windowMs: 60_000 });
    const duo = new DuoAdminClient({
      ikey: IKEY,
      skey: SKEY,
      host: API_HOST,
      baseUrl: sim.url,
      sleep: async () => sim.setRateLimit(null),
      limiter: {
        acquire: async () => {
          acquired += 1;
        },
      },
    });
    await duo.check();
    await duo.check();
    assert.equal(acquired, 3);
  });

  it('never logs the secret key, the signature or the phone number', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (s: string) => lines.push(s) });
    const duo = new DuoAdminClient({
      ikey: IKEY,
      skey: SKEY,
      host: API_HOST,
      baseUrl: sim.url,
      logger,
      sleep: async () => undefined,
    });
    sim.setRateLimit({ calls: 1, windowMs: 60_000 });
    await duo.findPhoneByNumber('+447700900777');
    await duo.findPhoneByNumber('+447700900777').catch(() => undefined);

    const text = lines.join('');
    assert.ok(lines.length >= 2);
    assert.ok(!text.includes(SKEY));
    assert.ok(!text.includes('Basic'));
    assert.ok(!text.includes('7700900777'));
  });
});

describe('Duo simulator safety', () => {
  it('refuses to listen anywhere but loopback', async () => {
    await assert.rejects(
      startDuoSimulator({ ikey: IKEY, skey: SKEY, apiHost: API_HOST, host: '0.0.0.0' }),
      /loopback/,
    );
  });

  it('answers the unsigned state endpoint on loopback with the recorded sends', async () => {
    const sim = await startDuoSimulator({ ikey: IKEY, skey: SKEY, apiHost: API_HOST });
    try {
      const state = (await (await fetch(`${sim.url}/__simulator/state`)).json()) as {
        sms: unknown[];
        emails: unknown[];
      };
      assert.deepEqual([state.sms, state.emails], [[], []]);
      const unsigned = await fetch(`${sim.url}/admin/v1/users`);
      assert.equal(unsigned.status, 401);
    } finally {
      await sim.stop();
    }
  });
});
