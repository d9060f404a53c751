/**
 * What operators rely on: /metrics, readiness while stopping, SIGTERM on the real process, and a
 * store that cannot be trusted or is already in use stopping the bot with a clear message.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ACTION_VERBS } from '../../cards/views.js';
import { tempDataDir } from '../support/app.js';
import { startFakeConnector, type FakeConnector } from '../support/fakeConnector.js';
import { PEOPLE } from '../support/teams.js';
import { eventually, startBotProcess } from './crash-helpers.js';
import { askFor, click, startSecureApp } from './security-helpers.js';

describe('Operations', function () {
  this.timeout(30_000);
  let connector: FakeConnector;

  before(async () => {
    connector = await startFakeConnector();
    for (const person of Object.values(PEOPLE)) connector.members.set(person.id, person);
  });

  after(() => connector.close());

  it('GET /metrics: requests by state, Duo calls by outcome and latency histograms', async () => {
    const app = await startSecureApp();
    try {
      await askFor(app, connector);
      const res = await fetch(`${app.url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      assert.match(text, /^enrolbot_requests\{state="pending_approval"\} 1$/m);
      assert.match(text, /^enrolbot_requests\{state="sent"\} 0$/m);
      assert.match(
        text,
        /^enrolbot_duo_calls_total\{api="admin",method="GET",outcome="ok"\} \d+$/m,
      );
      assert.match(text, /^enrolbot_duo_call_duration_seconds_bucket\{le="0\.1",api="admin"/m);
      assert.match(
        text,
        /^enrolbot_http_request_duration_seconds_count\{route="\/api\/messages",status="200"\} 1$/m,
      );
    } finally {
      await app.stop();
    }
  });

  it('while stopping, readyz answers 503 and the send in flight is settled before the store closes', async () => {
    const app = await startSecureApp({ DUO_TIMEOUT_MS: '400' });
    const { requestId } = await askFor(app, connector);
    app.core.simulator!.injectFailure({ path: '/admin/v1/users', method: 'POST', kind: 'hang' });
    await click(app, connector, PEOPLE.megan, ACTION_VERBS.approve, requestId);
    await eventually(
      () => (app.core.store.get(requestId)?.state === 'sending' ? true : undefined),
      'the send to begin',
    );

    const stopped = app.stop();
    const ready = await fetch(`${app.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal(((await ready.json()) as { shutting_down: boolean }).shutting_down, true);
    await stopped;

    const stored = JSON.parse(readFileSync(path.join(app.dataDir, 'enrolbot.json'), 'utf8')) as {
      requests: { id: string; state: string }[];
    };
    assert.equal(stored.requests.find((r) => r.id === requestId)?.state, 'failed');
  });

  it('SIGTERM stops the real process cleanly and frees the store', async () => {
    const dir = tempDataDir('enrolbot-term-');
    const storePath = path.join(dir, 'enrolbot.json');
    const bot = await startBotProcess({ STORE_PATH: storePath, LOG_LEVEL: 'info' });
    assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
    bot.child.kill('SIGTERM');
    const exit = await bot.exited;
    assert.equal(exit.code, 0, bot.output());
    assert.match(bot.output(), /enrolbot_stopped/);

    const again = await startSecureApp({}, {}, dir);
    await again.stop();
  });

  describe('a store that cannot be trusted or is in use', () => {
    const cases: [string, string][] = [
      ['empty', ''],
      ['truncated', '{"version":1,"requests":[{"id":"REQ-1","sta'],
      ['hand-broken', '{"requests": "yes please"}'],
    ];
    for (const [name, content] of cases) {
      it(`refuses to start on an ${name} store file and leaves it as it was`, async () => {
        const dir = tempDataDir('enrolbot-corrupt-');
        const storePath = path.join(dir, 'enrolbot.json');
        writeFileSync(storePath, content);
        const refused = startBotProcess({ STORE_PATH: storePath });
        await assert.rejects(refused, (err: Error) => {
          assert.match(err.message, /enrolbot cannot start: .*enrolbot\.json/);
          return true;
        });
        assert.equal(readFileSync(storePath, 'utf8'), content, 'never silently reset');
      });
    }

    it('refuses a second process on the same store', async () => {
      const app = await startSecureApp();
      try {
        const refused = startBotProcess({ STORE_PATH: path.join(app.dataDir, 'enrolbot.json') });
        await assert.rejects(refused, /enrolbot cannot start: .*(in use|lock)/i);
      } finally {
        await app.stop();
      }
    });
  });
});
