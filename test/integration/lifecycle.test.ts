/**
 * The lifecycle timers and the commands about sent requests, on the running app with an injected
 * clock (no sleeping): the in-process Duo simulator, the sample directory, a fake Teams connector.
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import pino from 'pino';
import { startApp, type RunningApp } from '../../adapters/app.js';
import type { ChatUser } from '../../bot/ports.js';
import { ACTION_VERBS } from '../../cards/views.js';
import { loadConfig } from '../../src/config/index.js';
import type { DirectoryRecord } from '../../src/directory/types.js';
import { readAuditFile } from '../../src/store/auditLog.js';
import { Lifecycle } from '../../src/workflow/lifecycle.js';
import { SendQueue } from '../../src/workflow/queue.js';
import { ALEX, MEGAN, teamsConversation } from '../e2e/bulk-fixture.js';
import { startFakeConnector, textOf, type FakeConnector } from '../support/fakeConnector.js';
import { tempDataDir } from '../support/app.js';

const HOUR = 3_600_000;

describe('Lifecycle: expiry, reminder, follow-up, offboarding, resend, retry, revoke, audit', () => {
  let connector: FakeConnector;
  let app: RunningApp;
  let clock: number;

  beforeEach(async () => {
    connector = await startFakeConnector();
    clock = Date.parse('2026-12-01T09:00:00Z');
    const config = loadConfig({
      PORT: '0',
      STORE_PATH: path.join(tempDataDir(), 'enrolbot.json'),
      DEMO_SELF_APPROVAL: 'false',
      DUO_MAX_CALLS_PER_MINUTE: '6000',
      PENDING_EXPIRY_HOURS: '72',
      REMINDER_HOURS: '24',
      FOLLOW_UP_MINUTES: '60',
      OFFBOARDING_MINUTES: '60',
    });
    app = await startApp(config, {
      logger: pino({ level: 'silent' }),
      now: () => new Date(clock),
      duoOptions: { now: () => new Date() },
    });
  });

  afterEach(async () => {
    await app.stop();
    await connector.close();
  });

  const say = (user: ChatUser, text: string) =>
    app.bot.handleMessage({
      user,
      text,
      conversation: teamsConversation(connector.url),
      personal: true,
    });
  const idOf = (text: string | undefined) => /REQ-\d+/.exec(text ?? '')?.[0] ?? assert.fail(text);

  async function sentRequest(who: string): Promise<string> {
    const id = idOf((await say(ALEX, `enrol contractor ${who} by sms`))[0]?.text);
    await app.bot.handleAction({
      user: MEGAN,
      verb: ACTION_VERBS.approve,
      data: { requestId: id },
      conversation: teamsConversation(connector.url),
      personal: false,
    });
    await app.bot.idle();
    assert.equal(app.core.store.get(id)?.state, 'sent');

    return id;
  }

  it('reminds approvers once after REMINDER_HOURS and expires after PENDING_EXPIRY_HOURS', async () => {
    const id = idOf((await say(ALEX, 'enrol contractor jdoe by sms'))[0]?.text);

    clock += 23 * HOUR;
    assert.equal((await app.lifecycle.tick()).reminded, 0);
    clock += 2 * HOUR;
    assert.equal((await app.lifecycle.tick()).reminded, 1);
    assert.equal((await app.lifecycle.tick()).reminded, 0, 'one reminder only');
    assert.ok(app.core.store.get(id)?.remindedAt);

    clock += 48 * HOUR;
    assert.equal((await app.lifecycle.tick()).expired, 1);
    assert.equal(app.core.store.get(id)?.state, 'expired');
    await connector.waitFor((c) =>
      textOf(c).includes(`${id}: nobody approved enrolling John Doe in time`),
    );
    const card = connector.updates().at(-1);
    assert.match(textOf(card!), /Expired/);
  });

  it('follows up: not yet, then activated; an unused link expires and resend asks again', async () => {
    const jdoe = await sentRequest('jdoe');
    const clee = await sentRequest('clee');

    clock += 30 * 60_000;
    let report = await app.lifecycle.tick();
    assert.equal(report.activated + report.linkExpired, 0, 'not due before FOLLOW_UP_MINUTES');
    clock += 40 * 60_000;
    report = await app.lifecycle.tick();
    assert.equal(report.activated, 0);
    assert.ok(app.core.store.get(jdoe)?.checkedAt, 'the check is recorded, so the next waits');

    app.core.simulator!.model.activatePhone(app.core.store.get(jdoe)!.progress.phoneId!);
    clock += 61 * 60_000;
    report = await app.lifecycle.tick();
    assert.equal(report.activated, 1);
    assert.equal(app.core.store.get(jdoe)?.state, 'activated');
    await connector.waitFor((c) => textOf(c).includes(`${jdoe}: John Doe has finished enrolling`));

    clock += 24 * HOUR;
    report = await app.lifecycle.tick();
    assert.equal(report.linkExpired, 1);
    assert.equal(app.core.store.get(clee)?.state, 'link_expired');

    const [answer] = await say(ALEX, `resend ${clee}`);
    const fresh = idOf(answer?.text);
    assert.notEqual(fresh, clee);
    assert.equal(
      app.core.store.get(fresh)?.state,
      'pending_approval',
      'a resend is approved again',
    );
    assert.equal(app.core.store.get(fresh)?.resendOf, clee);
  });

  it('revoke detaches the phone and deletes the Duo user the bot created; audit gives a CSV', async () => {
    const id = await sentRequest('jdoe');
    const { duoUserId, phoneId } = app.core.store.get(id)!.progress;

    assert.match((await say(ALEX, `revoke ${id}`))[0]!.text!, /Sorry/, 'the requester may not');
    const [answer] = await say(MEGAN, `revoke ${id}`);
    assert.match(answer!.text!, /revoked: detached the phone.*deleted the Duo user/);
    const model = app.core.simulator!.model;
    assert.equal(
      model.state.users.some((u) => u.user_id === duoUserId),
      false,
    );
    assert.ok(
      model.state.phones.some((p) => p.phone_id === phoneId),
      'the phone itself stays',
    );

    const events = [];
    for await (const e of readAuditFile(app.core.config.auditPath)) events.push(e);
    assert.ok(events.some((e) => e.request_id === id && e.action === 'revoked'));
    // Who approved, as the directory knows them: chat ids are opaque and names repeat.
    const approved = events.find((e) => e.request_id === id && e.action === 'approved');
    assert.equal(approved?.actor.name, MEGAN.displayName);
    assert.ok(approved?.actor.login && approved.actor.directory_id, JSON.stringify(approved));

    const [audit] = await say(MEGAN, 'audit 7');
    assert.equal(audit!.file?.contentType, 'text/csv');
    assert.match(audit!.file!.content, new RegExp(`${id},revoked`));
    // Never into a channel, where everyone would read the names and comments.
    const [inChannel] = await app.bot.handleMessage({
      user: MEGAN,
      text: 'audit 7',
      conversation: teamsConversation(connector.url, '19:approvers@thread.tacv2'),
      personal: false,
    });
    assert.equal(inChannel!.file, undefined);
    assert.match(inChannel!.text!, /only in a personal chat/);
    assert.match(
      (
        await say(
          { ...ALEX, userPrincipalName: 'adelev@example.com', platformUserId: '29:adele' },
          'audit',
        )
      )[0]!.text!,
      /Only approvers/,
    );
  });

  it('retry sends a failed request again after Duo failed', async () => {
    app.core.simulator!.injectFailure({
      path: '/admin/v1/phones',
      method: 'POST',
      kind: 'http500',
    });
    const id = idOf((await say(ALEX, 'enrol contractor clee by sms'))[0]?.text);
    await app.bot.handleAction({
      user: MEGAN,
      verb: ACTION_VERBS.approve,
      data: { requestId: id },
      conversation: teamsConversation(connector.url),
      personal: false,
    });
    await app.bot.idle();
    assert.equal(app.core.store.get(id)?.state, 'failed');

    assert.match((await say(MEGAN, `retry ${id}`))[0]!.text!, /trying the send again/);
    await app.bot.idle();
    assert.equal(app.core.store.get(id)?.state, 'sent');
    assert.equal(app.core.simulator!.model.state.sms.length, 1);
  });

  for (const action of ['disable', 'report'] as const) {
    it(`offboarding (${action}): a bot-created Duo user whose account was disabled`, async () => {
      const id = await sentRequest('jdoe');
      const workflow = app.bot.workflow;
      const directory = Object.create(workflow.directory) as typeof workflow.directory;
      directory.find = async (who: string): Promise<DirectoryRecord[]> =>
        (await workflow.directory.find(who)).map((r) => ({ ...r, enabled: r.username !== 'jdoe' }));
      const config = {
        ...workflow.config,
        lifecycle: { ...workflow.config.lifecycle, offboardingAction: action },
      };
      const lifecycle = new Lifecycle(new SendQueue({ ...workflow, directory, config }));

      assert.equal((await lifecycle.tick()).offboarded, 1);
      assert.equal((await lifecycle.tick()).offboarded, 0, 'not before OFFBOARDING_MINUTES');
      clock += 2 * HOUR;
      assert.equal((await lifecycle.tick()).offboarded, 0, 'once per Duo user');
      const user = app.core.simulator!.model.state.users.find((u) => u.username === 'jdoe');
      assert.equal(user?.status, action === 'disable' ? 'disabled' : 'active');
      assert.equal(
        app.core.store.get(id)?.offboarded?.action,
        action === 'disable' ? 'disabled' : 'reported',
      );
    });
  }
});
