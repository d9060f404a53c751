/**
 * `npm run doctor` against local fakes: the Duo simulator for both Duo APIs, a tiny Slack Web API,
 * a Bot Framework token endpoint reached through an injected fetch, and an LDAP port nobody serves.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runDoctor, exitCode, formatReport, type CheckResult } from '../../../src/cli/doctor.js';
import { startDuoSimulator, type DuoSimulator } from '../../../src/duo/simulator/index.js';

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
