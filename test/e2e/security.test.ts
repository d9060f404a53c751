/**
 * Attacks on the approval guarantees over real HTTP: quorum, the requester approving their own
 * request, hourly limits, hostile and oversized input, forged and replayed Bot Framework calls,
 * and fifty simultaneous Approve clicks.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import type { RunningApp } from '../../adapters/app.js';
import { ACTION_VERBS } from '../../cards/views.js';
import { startFakeConnector, textOf, type FakeConnector } from '../support/fakeConnector.js';
import { invokeActivity, messageActivity, PEOPLE, postActivity } from '../support/teams.js';
import { askFor, click, EVERYONE, lastPosted, PATTI, startSecureApp } from './security-helpers.js';

describe('Security: attacks on approval, limits and input', () => {
  let connector: FakeConnector;
  let app: RunningApp | undefined;

  beforeEach(async () => {
    connector = await startFakeConnector();
    for (const person of EVERYONE) connector.members.set(person.id, person);
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await connector.close();
  });

  const sms = () => app!.core.simulator!.model.state.sms.length;

  describe('quorum (APPROVALS_REQUIRED=2)', () => {
    it('needs two different approvers; the requester and a second click by one never count', async () => {
      app = await startSecureApp({ APPROVALS_REQUIRED: '2' });
      const { requestId } = await askFor(app, connector);

      const own = await click(app, connector, PEOPLE.alex, ACTION_VERBS.approve, requestId);
      assert.match(own.text, /you asked for this enrolment/);
      const first = await click(app, connector, PEOPLE.megan, ACTION_VERBS.approve, requestId);
      assert.match(first.text, /1 more needed/);
      const twice = await click(app, connector, PEOPLE.megan, ACTION_VERBS.approve, requestId);
      assert.match(twice.text, /already approved REQ-\d+; another approver is needed/);
      assert.equal(app.core.store.get(requestId)?.state, 'pending_approval');
      assert.equal(sms(), 0);

      await click(app, connector, PATTI as never, ACTION_VERBS.approve, requestId);
      await app.bot.idle();
      const done = app.core.store.get(requestId)!;
      assert.equal(done.state, 'sent');
      assert.deepEqual(
        done.approvals.map((a) => a.by.displayName),
        ['Megan Bowen', 'Patti Fernandez'],
      );
      assert.equal(sms(), 1);
      // Both approvers are in the audit trail, the first one too (hers was not a state change).
      const trail = readFileSync(app.core.config.auditPath, 'utf8')
        .trim()
        .split('\n')
        .map(
          (l) => JSON.parse(l) as { request_id: string; action: string; actor: { name: string } },
        )
        .filter((e) => e.request_id === requestId);
      assert.deepEqual(
        trail
          .filter((e) => ['approve_refused', 'approval_recorded', 'approved'].includes(e.action))
          .map((e) => [e.action, e.actor.name]),
        [
          ['approve_refused', 'Alex Wilber'],
          ['approval_recorded', 'Megan Bowen'],
          ['approved', 'Patti Fernandez'],
        ],
      );
    });
  });

  describe('hourly limits', () => {
    it('MAX_REQUESTS_PER_HOUR: the next request is refused with the reason', async () => {
      app = await startSecureApp({ MAX_REQUESTS_PER_HOUR: '2' });
      await askFor(app, connector, 'enrol contractor jdoe by sms');
      await askFor(app, connector, 'enrol contractor clee by sms');
      await postActivity(
        app.url,
        messageActivity(connector.url, PEOPLE.alex, 'enrol contractor clee2 by sms'),
      );
      // Teams escapes markdown, so the underscores arrive as \_.
      const said = lastPosted(connector).replace(/\\/g, '');
      assert.match(said, /2 requests in the last hour.*MAX_REQUESTS_PER_HOUR/);
      assert.equal(app.core.store.byContractor('clee2').length, 0, 'nothing was stored');
    });

    it('MAX_SENDS_PER_HOUR: an approval past the limit is deferred, not sent, and the requester told', async () => {
      app = await startSecureApp({ MAX_SENDS_PER_HOUR: '1' });
      const one = await askFor(app, connector, 'enrol contractor jdoe by sms');
      const two = await askFor(app, connector, 'enrol contractor clee by sms');
      await click(app, connector, PEOPLE.megan, ACTION_VERBS.approve, one.requestId);
      await app.bot.idle();
      await click(app, connector, PEOPLE.megan, ACTION_VERBS.approve, two.requestId);
      await app.bot.idle();

      assert.equal(app.core.store.get(one.requestId)?.state, 'sent');
      assert.equal(app.core.store.get(two.requestId)?.state, 'approved', 'kept for later');
      assert.equal(sms(), 1);
      assert.ok(
        connector.posted().some((c) => /MAX_SENDS_PER_HOUR/.test(textOf(c).replace(/\\/g, ''))),
      );
    });
  });

  describe('hostile input in chat', () => {
    const hostile = [
      'enrol contractor *)(uid=* by sms',
      'enrol contractor admin)(|(objectClass=*) by sms',
      "enrol contractor x' or startswith(mail,'a') by sms",
      '<at>x</at>',
      '<at>Duo Enrol</at> <script>alert(1)</script>',
      'enrol contractor j\u0000*)(doe by sms',
      'status REQ-1; drop table',
      'x'.repeat(10_000),
      `enrol contractor ${'a '.repeat(3000)} by sms`,
      '🙂'.repeat(3000),
    ];

    it('answers every hostile message clearly, stores nothing and keeps working', async () => {
      app = await startSecureApp();
      for (const text of hostile) {
        const before = connector.posted().length;
        const res = await postActivity(app.url, messageActivity(connector.url, PEOPLE.alex, text));
        assert.equal(res.status, 200, text.slice(0, 40));
        const replies = connector.posted().slice(before);
        assert.ok(replies.length >= 1, `an answer to ${text.slice(0, 40)}`);
        assert.doesNotMatch(textOf(replies[0]!), /Something went wrong/, text.slice(0, 40));
        assert.ok(textOf(replies[0]!).length < 20_000, 'the answer does not echo a flood');
      }
      const stored = app.core.store.list().map((r) => r.contractor.username);
      assert.ok(
        stored.every((name) => /^[a-z0-9]+$/.test(name)),
        'only real records matched',
      );
      await askFor(app, connector);
    });

    it('refuses a body over the limit early with 413 and a short JSON answer', async () => {
      app = await startSecureApp();
      const activity = messageActivity(connector.url, PEOPLE.alex, 'y'.repeat(300_000));
      const raw = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      assert.equal(raw.status, 413);
      assert.deepEqual(await raw.json(), { error: 'request too large' });
      assert.equal(connector.posted().length, 0);
    });
  });

  describe('forged and replayed Bot Framework calls', () => {
    it('with MICROSOFT_APP_ID set, a call without a token is 401 and does nothing', async () => {
      app = await startSecureApp({
        MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555',
        MICROSOFT_APP_PASSWORD: 'bot-framework-password-for-tests',
      });
      const res = await postActivity(
        app.url,
        messageActivity(connector.url, PEOPLE.alex, 'enrol contractor jdoe by sms'),
      );
      assert.equal(res.status, 401);
      assert.equal(connector.calls.length, 0);
      assert.equal(app.core.store.list().length, 0);
    });

    it('anonymous mode refuses a serviceUrl that is not loopback, so replies cannot be steered', async () => {
      app = await startSecureApp();
      const res = await postActivity(
        app.url,
        messageActivity('https://attacker.example', PEOPLE.alex, 'enrol contractor jdoe by sms'),
      );
      assert.equal(res.status, 403);
      assert.equal(app.core.store.list().length, 0);
    });

    it('a replayed Approve invoke after the send changes nothing and sends nothing', async () => {
      app = await startSecureApp();
      const { requestId } = await askFor(app, connector);
      const invoke = invokeActivity(connector.url, PEOPLE.megan, ACTION_VERBS.approve, {
        requestId,
      });
      await postActivity(app.url, invoke);
      await app.bot.idle();
      const replay = await postActivity(app.url, invoke);
      await app.bot.idle();
      assert.equal(replay.status, 200);
      assert.match(JSON.stringify(replay.body), /already sent/);
      assert.equal(sms(), 1);
    });
  });

  describe('the fifty-click race', () => {
    it('fifty simultaneous Approve clicks send one SMS and refuse forty-nine politely', async () => {
      app = await startSecureApp();
      const { requestId } = await askFor(app, connector);
      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          click(app!, connector, PEOPLE.megan, ACTION_VERBS.approve, requestId),
        ),
      );
      await app.bot.idle();

      assert.ok(answers.every((a) => a.status === 200));
      const refusals = answers.filter((a) => /already/.test(a.text));
      assert.equal(refusals.length, 49);
      assert.equal(sms(), 1);
      assert.equal(app.core.store.get(requestId)?.state, 'sent');
    });
  });
});
