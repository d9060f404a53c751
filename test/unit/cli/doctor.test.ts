/**
 * `npm run doctor` against local fakes: the Duo simulator for both Duo APIs, a tiny Slack Web API,
 * a Bot Framework token endpoint reached through an injected fetch, and an LDAP port nobody serves.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { runDoctor, exitCode, formatReport, type CheckResult } from '../../../src/cli/doctor.js';
import { startDuoSimulator, type DuoSimulator } from '../../../src/duo/simulator/index.js';
import { RequestStore } from '../../../src/store/requestStore.js';
import { fixedClock, sampleRequest, tempDir } from '../store/helpers.js';

const DUO = {
  DUO_API_HOST: 'api-doctor.duosecurity.test',
  DUO_IKEY: 'DIDOCTORADMIN0000001',
  DUO_SKEY: 'doctor-admin-secret-0123456789abcdefghij',
  DUO_AUTH_HOST: 'api-doctor.duosecurity.test',
  DUO_AUTH_IKEY: 'DIDOCTORAUTH00000001',
  DUO_AUTH_SKEY: 'doctor-auth-secret-0123456789abcdefghijk',
};

/** A local HTTP server answering every request with `answer(path, headers)`. */
async function fakeServer(
  answer: (path: string, auth: string) => { status: number; body: unknown },
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const { status, body } = answer(req.url ?? '/', req.headers.authorization ?? '');
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

function byName(results: CheckResult[], name: RegExp): CheckResult {
  const found = results.find((r) => name.test(r.name));
  assert.ok(found, `a ${name} check`);

  return found;
}

describe('doctor', () => {
  let sim: DuoSimulator;
  let slack: { url: string; server: Server };
  let token: { url: string; server: Server };
  let dir: string;
  let cleanup: () => Promise<void>;
  let storePath: string;

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    storePath = path.join(dir, 'enrolbot.json');
  });
  afterEach(() => cleanup());

  before(async () => {
    sim = await startDuoSimulator({
      ikey: DUO.DUO_IKEY,
      skey: DUO.DUO_SKEY,
      authIkey: DUO.DUO_AUTH_IKEY,
      authSkey: DUO.DUO_AUTH_SKEY,
      apiHost: DUO.DUO_API_HOST,
    });
    slack = await fakeServer((_path, auth) =>
      auth === 'Bearer xoxb-good'
        ? { status: 200, body: { ok: true, team: 'Example' } }
        : { status: 200, body: { ok: false, error: 'invalid_auth' } },
    );
    token = await fakeServer(() => ({ status: 401, body: { error: 'invalid_client' } }));
  });

  after(async () => {
    await sim.stop();
    slack.server.close();
    token.server.close();
  });

  const env = (extra: Record<string, string> = {}) => ({
    ...DUO,
    DUO_API_URL: sim.url,
    DUO_AUTH_API_URL: sim.url,
    STORE_PATH: storePath,
    ...extra,
  });
  /** Sends the Bot Framework token request to the local fake instead of Microsoft. */
  const localFetch: typeof fetch = (input, init) => {
    const url = String(input);
    const local = url.startsWith('https://login.microsoftonline.com/')
      ? `${token.url}${url.slice('https://login.microsoftonline.com/'.length)}`
      : url;

    return fetch(local, init);
  };

  it('passes when everything configured works and skips what is not configured', async () => {
    const results = await runDoctor(
      env({ SLACK_BOT_TOKEN: 'xoxb-good', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: slack.url }),
    );
    assert.equal(byName(results, /Duo Admin/).status, 'ok');
    assert.equal(byName(results, /Duo Auth/).status, 'ok');
    assert.equal(byName(results, /Slack/).status, 'ok');
    assert.equal(byName(results, /Bot Framework/).status, 'skipped');
    assert.equal(byName(results, /directory file/).status, 'ok');
    assert.equal(exitCode(results), 0, formatReport(results));
  });

  it('fails on a wrong Duo secret, naming the variables to check and never the secret', async () => {
    const results = await runDoctor(env({ DUO_SKEY: 'a-wrong-secret-0123456789abcdefghijklmn' }));
    const duo = byName(results, /Duo Admin/);
    assert.equal(duo.status, 'failed');
    assert.match(duo.detail, /DUO_IKEY, DUO_SKEY and DUO_API_HOST/);
    assert.doesNotMatch(formatReport(results), /a-wrong-secret/);
    assert.equal(exitCode(results), 1);
  });

  it('fails on a refused Slack token and on a refused Bot Framework token', async () => {
    const results = await runDoctor(
      env({
        SLACK_BOT_TOKEN: 'xoxb-bad',
        SLACK_SIGNING_SECRET: 's',
        SLACK_API_URL: slack.url,
        MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555',
        MICROSOFT_APP_PASSWORD: 'wrong-password',
      }),
      { fetch: localFetch },
    );
    assert.match(byName(results, /Slack/).detail, /invalid_auth.*SLACK_BOT_TOKEN/);
    const bot = byName(results, /Bot Framework/);
    assert.equal(bot.status, 'failed');
    assert.match(bot.detail, /401 invalid_client.*MICROSOFT_APP_PASSWORD/);
    assert.equal(exitCode(results), 1);
  });

  it('fails on an LDAP server nobody answers, with the variables to check', async () => {
    const results = await runDoctor(
      env({
        DIRECTORY: 'ldap',
        LDAP_URL: 'ldap://127.0.0.1:1',
        LDAP_BIND_DN: 'CN=svc,DC=corp,DC=example',
        LDAP_BIND_PASSWORD: 'x',
        LDAP_BASE_DN: 'DC=corp,DC=example',
        LDAP_TIMEOUT_MS: '300',
        CONTRACTOR_GROUP: 'CN=C,DC=corp,DC=example',
        APPROVER_GROUP: 'CN=A,DC=corp,DC=example',
      }),
    );
    const ldap = byName(results, /directory ldap/);
    assert.equal(ldap.status, 'failed');
    assert.match(ldap.detail, /LDAP_URL/);
  });

  it('skips a store that does not exist yet and creates nothing', async () => {
    const store = byName(await runDoctor(env()), /^store$/);
    assert.equal(store.status, 'skipped');
    assert.match(store.detail, /does not exist yet/);
    assert.deepEqual(await readdir(dir), []);
  });

  it('reads the store of a running bot without taking its lock or writing', async () => {
    const running = await RequestStore.open(storePath, { now: fixedClock().now });
    await running.create(sampleRequest());
    await running.flush();
    const before = await stat(storePath);

    const store = byName(await runDoctor(env()), /^store$/);
    assert.equal(store.status, 'ok', store.detail);
    assert.match(store.detail, /1 request\(s\)/);
    assert.equal((await stat(storePath)).mtimeMs, before.mtimeMs);
    await running.close();
  });

  it("fails on a damaged record with the bot's own message and changes nothing", async () => {
    const running = await RequestStore.open(storePath, { now: fixedClock().now });
    await running.create(sampleRequest());
    await running.close();
    const saved = JSON.parse(await readFile(storePath, 'utf8')) as { requests: object[] };
    delete (saved.requests[0] as { contractor?: unknown }).contractor;
    const damaged = JSON.stringify(saved);
    await writeFile(storePath, damaged);
    const before = await stat(storePath);
    const atStart = await RequestStore.open(storePath, { now: fixedClock().now }).catch(
      (e: Error) => e,
    );

    const results = await runDoctor(env());
    const store = byName(results, /^store$/);
    assert.equal(store.status, 'failed');
    assert.match(store.detail, /has REQ-1 without "contractor"\. The bot will not reset/);
    assert.equal(store.detail, (atStart as Error).message);
    assert.equal(exitCode(results), 1);
    assert.equal(await readFile(storePath, 'utf8'), damaged);
    assert.equal((await stat(storePath)).mtimeMs, before.mtimeMs);
    assert.deepEqual(await readdir(dir), ['enrolbot.json'], 'no lock or temp file left');
  });

  it('reports a bad setting by name and stops there', async () => {
    const results = await runDoctor({ PORT: 'ninety' });
    assert.equal(results.length, 1);
    assert.match(results[0]!.detail, /PORT/);
    assert.equal(exitCode(results), 1);
  });

  it('npm run doctor exits 0 on the zero-configuration run and prints the report', () => {
    const run = spawnSync('node_modules/.bin/tsx', ['src/cli/doctor.ts'], {
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Slack: skipped/);
    assert.match(run.stdout, /Everything configured works/);
  });
});
