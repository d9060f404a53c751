/**
 * Malformed Bot Framework requests against the real app over HTTP: each is answered 400 with a
 * short reason (a bad invoke with Teams' invoke error), nothing reaches the connector, and the log
 * has one warning per request, no error and none of the body.
 */
import { strict as assert } from 'node:assert';
import type { RunningApp } from '../../adapters/app.js';
import { startFakeConnector, type FakeConnector } from '../support/fakeConnector.js';
import { invokeActivity, messageActivity, PEOPLE, postActivity } from '../support/teams.js';
import { capturingLogger, startSecureApp } from './security-helpers.js';

/** Text no log line may carry: it only ever travels in the request bodies below. */
const MARKER = 'body-text-that-must-not-be-logged';

interface LogLine {
  level: number;
  msg: string;
  reason?: string;
}

/** Post a raw body with the given content type; returns status and parsed JSON (if any). */
async function postRaw(url: string, body: string, contentType = 'application/json') {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  const text = await res.text();

  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('Teams: malformed activities are refused with 400 before the adapter runs', () => {
  let connector: FakeConnector;
  let app: RunningApp;
  let capture: ReturnType<typeof capturingLogger>;

  beforeEach(async () => {
    connector = await startFakeConnector();
    connector.members.set(PEOPLE.alex.id, PEOPLE.alex);
    capture = capturingLogger();
    app = await startSecureApp({}, { logger: capture.logger });
  });

  afterEach(async () => {
    await app.stop();
    await connector.close();
  });

  it('says at start that Teams requests are not authenticated (no MICROSOFT_APP_ID)', () => {
    assert.ok(
      logLines().some((l) => l.level === 40 && l.msg === 'teams_requests_not_authenticated'),
    );
  });

  function logLines(): LogLine[] {
    return capture
      .text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogLine);
  }

  /** One warning naming the reason, no error-level line, no body text, no connector call. */
  function assertRefusedQuietly(reason: RegExp): void {
    const lines = logLines();
    const refusals = lines.filter((l) => l.msg === 'teams_activity_malformed');
    assert.equal(refusals.length, 1, 'one warning per refused request');
    assert.equal(refusals[0]!.level, 40, 'logged at warn level');
    assert.match(refusals[0]!.reason ?? '', reason);
    assert.deepEqual(
      lines.filter((l) => l.level >= 50).map((l) => l.msg),
      [],
      'no error-level log line',
    );
    assert.ok(!capture.text().includes(MARKER), 'the body is not logged');
    assert.ok(!capture.text().includes('"stack"'), 'no stack trace is logged');
    assert.equal(connector.calls.length, 0, 'nothing was sent to the connector');
    assert.equal(app.core.store.list().length, 0, 'nothing was requested');
  }

  function message(): Record<string, unknown> {
    return messageActivity(connector.url, PEOPLE.alex, `enrol contractor jdoe ${MARKER}`);
  }

  const cases: [string, () => Record<string, unknown>, RegExp][] = [
    ['an activity without from', () => ({ ...message(), from: undefined }), /from\.id/],
    ['an activity whose from has no id', () => ({ ...message(), from: { name: 'x' } }), /from\.id/],
    [
      'an activity without conversation',
      () => ({ ...message(), conversation: undefined }),
      /conversation\.id/,
    ],
    ['an activity without type', () => ({ ...message(), type: undefined }), /no type/],
    ['an activity with a numeric type', () => ({ ...message(), type: 7 }), /no type/],
    ['a message without serviceUrl', () => ({ ...message(), serviceUrl: undefined }), /serviceUrl/],
    [
      'a message to an IPv6 loopback serviceUrl',
      () => ({ ...message(), serviceUrl: 'http://[::1]:4999/' }),
      /IPv6 address cannot be answered; use 127\.0\.0\.1 or localhost/,
    ],
  ];
  for (const [name, build, reason] of cases) {
    it(`answers 400 to ${name}`, async () => {
      const res = await postActivity(app.url, build());
      assert.equal(res.status, 400);
      assert.match(String(res.body?.error), reason);
      assertRefusedQuietly(reason);
    });
  }

  const rawBodies: [string, string, string][] = [
    ['an empty body', '', 'application/json'],
    ['a JSON array', '[]', 'application/json'],
    ['a text/plain body', `type=message ${MARKER}`, 'text/plain'],
  ];
  for (const [name, body, contentType] of rawBodies) {
    it(`answers 400 to ${name}, not the loopback refusal`, async () => {
      const res = await postRaw(app.url, body, contentType);
      assert.equal(res.status, 400);
      assert.equal(typeof res.body.error, 'string');
      assert.doesNotMatch(String(res.body.error), /loopback/);
      assertRefusedQuietly(/JSON object|no type/);
    });
  }

  it('answers 400 to JSON that is not an object (refused by the body parser)', async () => {
    for (const body of [`"${MARKER}"`, `{"type": "message", "text": "${MARKER}"`]) {
      const res = await postRaw(app.url, body);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { error: 'malformed request body' });
    }
    const refusals = logLines().filter((l) => l.msg === 'http_request_refused');
    assert.equal(refusals.length, 2);
    assert.ok(refusals.every((l) => l.level === 40));
    assert.ok(!capture.text().includes(MARKER), 'the body is not logged');
    assert.equal(connector.calls.length, 0);
  });

  it('answers an invoke whose value is a string with a Teams invoke error (400)', async () => {
    const activity = {
      ...invokeActivity(connector.url, PEOPLE.alex, 'x', {}),
      value: MARKER,
    };
    const res = await postActivity(app.url, activity);
    assert.equal(res.status, 400);
    assert.equal(res.body?.statusCode, 400);
    assert.equal(res.body?.type, 'application/vnd.microsoft.error');
    assert.deepEqual(res.body?.value, {
      code: 'BadRequest',
      message: 'the invoke value is not an object',
    });
    assertRefusedQuietly(/invoke value is not an object/);
  });

  it('answers a card action invoke without an action object with a Teams invoke error', async () => {
    const activity = { ...invokeActivity(connector.url, PEOPLE.alex, 'x', {}), value: {} };
    const res = await postActivity(app.url, activity);
    assert.equal(res.status, 400);
    assert.equal(res.body?.type, 'application/vnd.microsoft.error');
    assertRefusedQuietly(/no action object/);
  });

  it('still answers a valid message as before', async () => {
    const res = await postActivity(app.url, messageActivity(connector.url, PEOPLE.alex, 'help'));
    assert.equal(res.status, 200);
    assert.ok(connector.posted().length > 0, 'the bot replied');
    assert.equal(logLines().filter((l) => l.msg === 'teams_activity_malformed').length, 0);
  });

  it('still refuses a well-formed activity with a foreign serviceUrl (403)', async () => {
    const res = await postActivity(
      app.url,
      messageActivity('https://smba.trafficmanager.net/emea/', PEOPLE.alex, 'help'),
    );
    assert.equal(res.status, 403);
  });
});

describe('Teams: with an app id, authentication comes before the shape check', () => {
  it('answers 401, not 400, to unauthenticated malformed requests', async () => {
    const connector = await startFakeConnector();
    const capture = capturingLogger();
    const app = await startSecureApp(
      { MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555', MICROSOFT_APP_PASSWORD: 'x' },
      { logger: capture.logger },
    );
    try {
      const noFrom = { ...messageActivity(connector.url, PEOPLE.alex, 'help'), from: undefined };
      for (const body of [JSON.stringify(noFrom), '[]', '{}', '']) {
        const res = await postRaw(app.url, body);
        assert.equal(res.status, 401, `401 for ${body.slice(0, 20) || 'an empty body'}`);
      }
      assert.equal((await postRaw(app.url, 'x', 'text/plain')).status, 401);
      assert.equal(connector.calls.length, 0);
      assert.ok(!capture.text().includes('teams_activity_malformed'), 'the shape was not judged');
      assert.ok(capture.text().includes('teams_request_unauthenticated'));
      assert.doesNotMatch(capture.text(), /"level":(50|60)/, 'no error-level log line');
    } finally {
      await app.stop();
      await connector.close();
    }
  });
});
