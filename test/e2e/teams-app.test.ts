/**
 * Issue 4: the Teams app as a security team deploys it — approval threads in a channel, Universal
 * Actions, identity checks at click time, card-update fallback, authentication, and restarts.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import type { RunningApp } from '../../adapters/app.js';
import { ACTION_VERBS } from '../../cards/views.js';
import { startTestApp, tempDataDir } from '../support/app.js';
import { startFakeConnector, textOf, type FakeConnector } from '../support/fakeConnector.js';
import {
  invokeActivity,
  messageActivity,
  PEOPLE,
  postActivity,
  type Person,
} from '../support/teams.js';

const CHANNEL = '19:security-approvals@thread.tacv2';

describe('Teams app: approvals in a channel', () => {
  let connector: FakeConnector;
  let app: RunningApp & { dataDir: string };
  let dataDir: string;

  beforeEach(async () => {
    connector = await startFakeConnector();
    for (const person of Object.values(PEOPLE)) connector.members.set(person.id, person);
    dataDir = tempDataDir();
    app = await startTestApp({ TEAMS_APPROVAL_CHANNEL_ID: CHANNEL }, dataDir);
  });

  afterEach(async () => {
    await app.stop();
    await connector.close();
  });

  /** Alex installs the app (personal chat), then asks in it. */
  async function request(who = 'jdoe') {
    await postActivity(app.url, {
      ...messageActivity(connector.url, PEOPLE.alex, ''),
      type: 'installationUpdate',
      action: 'add',
      text: undefined,
    });
    await postActivity(
      app.url,
      messageActivity(connector.url, PEOPLE.alex, `enrol contractor ${who} by sms`),
    );
    const thread = connector.created().at(-1);
    assert.ok(thread, 'a new thread was opened in the approval channel');
    const requestId = /REQ-\d+/.exec(textOf(thread))![0];
    const stored = app.core.store.get(requestId)!;
    const ref = stored.card!.ref as { activityId: string; conversation: { id: string } };

    return { requestId, cardId: ref.activityId, threadId: ref.conversation.id };
  }

  function click(
    person: Person,
    verb: string,
    requestId: string,
    cardId: string,
    threadId: string,
  ) {
    return postActivity(
      app.url,
      invokeActivity(connector.url, person, verb, { requestId }, cardId, {
        id: threadId,
        type: 'channel',
      }),
    );
  }

  it('opens a thread in the approval channel, approves in place and notifies the requester personally', async () => {
    const { requestId, cardId, threadId } = await request();
    const thread = connector.created().at(-1)!;
    assert.equal((thread.body.channelData as { channel: { id: string } }).channel.id, CHANNEL);
    assert.match(threadId, /;messageid=/);

    const res = await click(PEOPLE.megan, ACTION_VERBS.approve, requestId, cardId, threadId);
    assert.equal(res.status, 200);
    assert.equal(res.body?.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(JSON.stringify(res.body), /Approved/);
    await app.bot.idle();

    assert.equal(app.core.simulator!.model.state.sms.length, 1, 'the simulator shows the send');
    const update = connector
      .updates()
      .filter((u) => u.conversationId === threadId && u.activityId === cardId)
      .at(-1);
    assert.ok(update, 'the card in the channel was updated');
    assert.match(textOf(update), /Activation SMS sent/);
    const personal = `a:personal-${PEOPLE.alex.id}`;
    assert.ok(
      connector.posted(personal).some((c) => /Duo sent the activation SMS/.test(textOf(c))),
      "the requester's personal chat got the notice",
    );
  });

  it("refuses a non-approver's click and changes nothing", async () => {
    const { requestId, cardId, threadId } = await request();
    const res = await click(PEOPLE.adele, ACTION_VERBS.approve, requestId, cardId, threadId);
    assert.equal(res.body?.type, 'application/vnd.microsoft.activity.message');
    assert.match(String(res.body?.value), /only members of the approver group/);
    await app.bot.idle();
    assert.equal(app.core.store.get(requestId)?.state, 'pending_approval');
    assert.equal(app.core.simulator!.model.state.sms.length, 0);
    assert.equal(connector.updates().length, 0);
    // The attempt is in the audit trail, with who tried.
    const trail = readFileSync(app.core.config.auditPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { request_id: string; action: string; actor: { name: string } });
    const attempt = trail.find((e) => e.request_id === requestId && e.action === 'approve_refused');
    assert.equal(attempt?.actor.name, PEOPLE.adele.name);
  });

  it('never lets the requester approve their own request', async () => {
    // Alex is an approver too; outside the simulator-only demo switch he still cannot approve his own.
    const { requestId, cardId, threadId } = await request();
    const res = await click(PEOPLE.alex, ACTION_VERBS.approve, requestId, cardId, threadId);
    assert.match(String(res.body?.value), /another approver must decide/);
    assert.equal(app.core.store.get(requestId)?.state, 'pending_approval');
  });

  it('refuses someone the directory does not know', async () => {
    const { requestId, cardId, threadId } = await request();
    const res = await click(PEOPLE.stranger, ACTION_VERBS.approve, requestId, cardId, threadId);
    assert.match(String(res.body?.value), /cannot find you/);
    assert.equal(app.core.store.get(requestId)?.state, 'pending_approval');
  });

  it('shows the buttons to approvers and only the state to others (user-specific refresh)', async () => {
    const { requestId, cardId, threadId } = await request();
    const posted = textOf(connector.created().at(-1)!);
    assert.match(
      posted,
      new RegExp(ACTION_VERBS.refresh.replace('.', '\\.')),
      'the card asks viewers to refresh',
    );

    const forApprover = await click(
      PEOPLE.megan,
      ACTION_VERBS.refresh,
      requestId,
      cardId,
      threadId,
    );
    const forOther = await click(PEOPLE.adele, ACTION_VERBS.refresh, requestId, cardId, threadId);
    assert.match(
      JSON.stringify(forApprover.body),
      new RegExp(ACTION_VERBS.approve.replace('.', '\\.')),
    );
    assert.doesNotMatch(
      JSON.stringify(forOther.body),
      new RegExp(ACTION_VERBS.approve.replace('.', '\\.')),
    );
    assert.match(JSON.stringify(forOther.body), /Waiting for approval/);
  });

  it('posts the result as a new message in the thread when the card cannot be updated', async () => {
    const { requestId, cardId, threadId } = await request();
    connector.failUpdates(404, 10);
    await click(PEOPLE.megan, ACTION_VERBS.approve, requestId, cardId, threadId);
    await app.bot.idle();
    const inThread = connector.posted(threadId);
    assert.ok(
      inThread.some((c) => /Activation SMS sent/.test(textOf(c))),
      'the result is in the thread',
    );
    assert.equal(app.core.store.get(requestId)?.state, 'sent');
  });

  it('loses nothing across a restart between request and approval', async () => {
    const { requestId, cardId, threadId } = await request();
    await app.stop();
    app = await startTestApp({ TEAMS_APPROVAL_CHANNEL_ID: CHANNEL }, dataDir);

    await click(PEOPLE.megan, ACTION_VERBS.approve, requestId, cardId, threadId);
    await app.bot.idle();
    assert.equal(app.core.store.get(requestId)?.state, 'sent');
    assert.equal(app.core.simulator!.model.state.sms.length, 1);
    const personal = `a:personal-${PEOPLE.alex.id}`;
    assert.ok(
      connector.posted(personal).some((c) => /Duo sent the activation SMS/.test(textOf(c))),
    );
  });

  it('answers help with a card, a bare enrol with the request form, and type-ahead searches', async () => {
    await postActivity(app.url, messageActivity(connector.url, PEOPLE.alex, 'help'));
    assert.match(textOf(connector.posted().at(-1)!), /adaptive/);
    await postActivity(app.url, messageActivity(connector.url, PEOPLE.alex, 'enrol'));
    const form = textOf(connector.posted().at(-1)!);
    assert.match(form, /Data\.Query/);
    assert.match(form, /contractors/);

    const search = await postActivity(app.url, {
      ...messageActivity(connector.url, PEOPLE.alex, ''),
      type: 'invoke',
      name: 'application/search',
      value: {
        kind: 'search',
        queryText: 'chr',
        queryOptions: { top: 10, skip: 0 },
        dataset: 'contractors',
      },
    });
    assert.equal(search.status, 200);
    assert.match(JSON.stringify(search.body), /clee2/);

    const staff = await postActivity(app.url, {
      ...messageActivity(connector.url, PEOPLE.alex, ''),
      type: 'invoke',
      name: 'application/search',
      value: {
        kind: 'search',
        queryText: 'me',
        queryOptions: { top: 10, skip: 0 },
        dataset: 'contractors',
      },
    });
    assert.doesNotMatch(JSON.stringify(staff.body), /meganb/, 'only contractors are offered');
    assert.doesNotMatch(form, /alexw/, 'the form offers contractors only');
  });

  it('treats a form submission as the typed request', async () => {
    await postActivity(
      app.url,
      invokeActivity(connector.url, PEOPLE.alex, ACTION_VERBS.submitForm, {
        contractor: 'jdoe',
        method: 'sms',
        reason: 'new vendor',
      }),
    );
    const [stored] = app.core.store.byContractor('jdoe');
    assert.equal(stored?.state, 'pending_approval');
    assert.equal(stored?.reason, 'new vendor');
  });
});

describe('Teams app: authentication', () => {
  it('rejects an unauthenticated request with 401 when an app id is set', async () => {
    const connector = await startFakeConnector();
    const app = await startTestApp({
      MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555',
      MICROSOFT_APP_PASSWORD: 'not-used',
    });
    try {
      const res = await postActivity(
        app.url,
        messageActivity(connector.url, PEOPLE.alex, 'enrol contractor jdoe by sms'),
      );
      assert.equal(res.status, 401);
      assert.equal(app.core.store.list().length, 0, 'nothing was requested');
      assert.equal(connector.calls.length, 0, 'nothing was sent anywhere');
    } finally {
      await app.stop();
      await connector.close();
    }
  });

  it('in anonymous mode refuses an activity whose serviceUrl is not loopback', async () => {
    const app = await startTestApp();
    try {
      const res = await postActivity(
        app.url,
        messageActivity('https://smba.trafficmanager.net/emea/', PEOPLE.alex, 'help'),
      );
      assert.equal(res.status, 403);
    } finally {
      await app.stop();
    }
  });
});
