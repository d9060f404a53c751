/**
 * Issue 2's end-to-end flow over real HTTP: Teams-shaped activities to the running bot, a fake Bot
 * Framework connector, and the Duo simulator in-process, on the embedded sample directory.
 */
import { strict as assert } from 'node:assert';
import { ACTION_VERBS } from '../../cards/views.js';
import type { RunningApp } from '../../adapters/app.js';
import { startFakeConnector, textOf, type FakeConnector } from '../support/fakeConnector.js';
import { startTestApp } from '../support/app.js';
import { invokeActivity, messageActivity, PEOPLE, postActivity } from '../support/teams.js';

describe('Teams end to end: enrol a contractor on the embedded defaults', () => {
  let connector: FakeConnector;
  let app: RunningApp;

  beforeEach(async () => {
    connector = await startFakeConnector();
    for (const person of Object.values(PEOPLE)) connector.members.set(person.id, person);
    app = await startTestApp();
  });

  afterEach(async () => {
    await app.stop();
    await connector.close();
  });

  /** Alex asks (with an @-mention, as in a chat); returns the request id and the card's activity id. */
  async function requestJdoe(text = 'enrol contractor jdoe by SMS because starts Monday') {
    const res = await postActivity(
      app.url,
      messageActivity(connector.url, PEOPLE.alex, text, { mention: true }),
    );
    assert.equal(res.status, 200);
    const card = connector
      .posted()
      .find((c) => textOf(c).includes('application/vnd.microsoft.card.adaptive'));
    assert.ok(card, 'an approval card was posted');
    const requestId = /REQ-\d+/.exec(textOf(card))?.[0];
    assert.ok(requestId);
    const cardId = await cardActivityId(card.conversationId!, requestId);

    return { requestId, cardId, conversationId: card.conversationId! };
  }

  /** The activity id the connector gave the approval card (the fake numbers its answers). */
  async function cardActivityId(conversationId: string, requestId: string): Promise<string> {
    const stored = app.core.store.get(requestId);
    const id = (stored?.card?.ref as { activityId?: string } | undefined)?.activityId;
    assert.ok(id, `the card of ${requestId} in ${conversationId} has an activity id`);

    return id;
  }

  it('takes a request from chat to one activation SMS, updates the card and tells the requester', async () => {
    const { requestId, cardId, conversationId } = await requestJdoe();
    const pendingCard = textOf(connector.posted().find((c) => textOf(c).includes(requestId))!);
    assert.match(pendingCard, /Alex Wilber/);
    assert.match(pendingCard, /\+44 •••• ••3456/, 'the destination is masked');
    assert.doesNotMatch(pendingCard, /7400123456/, 'the full number never reaches the channel');
    assert.match(pendingCard, /sandbox/i, 'the card says nothing was really sent');
    assert.match(pendingCard, new RegExp(ACTION_VERBS.approve.replace('.', '\\.')));

    const click = await postActivity(
      app.url,
      invokeActivity(connector.url, PEOPLE.megan, ACTION_VERBS.approve, { requestId }, cardId, {
        id: conversationId,
        type: 'personal',
      }),
    );
    assert.equal(click.status, 200);
    assert.equal(
      click.body?.type,
      'application/vnd.microsoft.card.adaptive',
      'the invoke answers with the updated card',
    );
    assert.match(JSON.stringify(click.body), /Megan Bowen/);
    await app.bot.idle();

    const model = app.core.simulator!.model;
    const users = model.findUsers('jdoe');
    assert.equal(users.length, 1, 'Duo holds the contractor');
    const phones = model.findPhones('+447400123456');
    assert.equal(phones.length, 1, 'one phone at the E.164 number');
    assert.deepEqual(users[0]!.phone_ids, [phones[0]!.phone_id], 'attached to the contractor');
    assert.equal(model.state.sms.length, 1, 'exactly one SMS');
    assert.equal(model.state.sms[0]!.number.replace(/^\+?/, '+'), '+447400123456');
    assert.equal(model.state.sms[0]!.install, true, 'with the Duo Mobile install link');

    const updates = connector.updates().filter((u) => u.activityId === cardId);
    assert.ok(updates.length >= 1, 'the card was replaced');
    assert.match(textOf(updates.at(-1)!), /Activation SMS sent/);
    assert.match(textOf(updates.at(-1)!), /Megan Bowen/);
    const told = connector
      .posted()
      .find(
        (c) =>
          /activation SMS/.test(textOf(c)) && c !== undefined && !textOf(c).includes('adaptive'),
      );
    assert.ok(told, 'the requester was told');
    assert.equal(app.core.store.get(requestId)?.state, 'sent');

    await postActivity(app.url, messageActivity(connector.url, PEOPLE.alex, `status ${requestId}`));
    const status = connector.posted().at(-1)!;
    assert.match(textOf(status), /Activation SMS sent/);
  });

  it('does not ask again while a sent link may still be used: no second SMS', async () => {
    const { requestId, cardId, conversationId } = await requestJdoe();
    await postActivity(
      app.url,
      invokeActivity(connector.url, PEOPLE.megan, ACTION_VERBS.approve, { requestId }, cardId, {
        id: conversationId,
        type: 'personal',
      }),
    );
    await app.bot.idle();
    assert.equal(app.core.store.get(requestId)?.state, 'sent');
    const requestsBefore = app.core.store.list().length;

    await postActivity(
      app.url,
      messageActivity(connector.url, PEOPLE.alex, 'enrol contractor jdoe by sms'),
    );
    const answer = textOf(connector.posted().at(-1)!);
    assert.match(answer, new RegExp(`already sent an activation SMS by ${requestId}`));
    assert.match(answer, new RegExp(`resend ${requestId}`));
    assert.equal(app.core.store.list().length, requestsBefore, 'no new request');
    assert.equal(app.core.simulator!.model.state.sms.length, 1);
  });

  it('a deny updates the card, tells the requester and sends nothing', async () => {
    const { requestId, cardId, conversationId } = await requestJdoe();
    const click = await postActivity(
      app.url,
      invokeActivity(
        connector.url,
        PEOPLE.megan,
        ACTION_VERBS.deny,
        { requestId, comment: 'not this vendor' },
        cardId,
        { id: conversationId, type: 'personal' },
      ),
    );
    assert.equal(click.status, 200);
    await app.bot.idle();
    assert.equal(app.core.store.get(requestId)?.state, 'denied');
    assert.equal(app.core.simulator!.model.state.sms.length, 0);
    assert.match(textOf(connector.updates().at(-1)!), /not this vendor/);
    assert.ok(
      connector.posted().some((c) => /denied/.test(textOf(c)) && /not this vendor/.test(textOf(c))),
    );
  });

  it('cleans a deny comment: no control characters, cut without halving an emoji', async () => {
    const { requestId, cardId, conversationId } = await requestJdoe();
    const hostile = `no\u0000 way\u0007 \u001b[31m\u202e ${'😀'.repeat(3000)}`;
    await postActivity(
      app.url,
      invokeActivity(
        connector.url,
        PEOPLE.megan,
        ACTION_VERBS.deny,
        { requestId, comment: hostile },
        cardId,
        { id: conversationId, type: 'personal' },
      ),
    );
    await app.bot.idle();
    const comment = app.core.store.get(requestId)?.decision?.comment ?? '';
    assert.match(comment, /^no way \[31m 😀/);
    assert.doesNotMatch(comment, /[\p{Cc}\u202e]/u);
    assert.equal([...comment].length, 500);
    assert.doesNotMatch(
      comment,
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/,
      'no half of a surrogate pair',
    );
  });

  it('a double Approve sends once and the second click is told politely', async () => {
    const { requestId, cardId, conversationId } = await requestJdoe();
    const click = () =>
      postActivity(
        app.url,
        invokeActivity(connector.url, PEOPLE.megan, ACTION_VERBS.approve, { requestId }, cardId, {
          id: conversationId,
          type: 'personal',
        }),
      );
    const [first, second] = await Promise.all([click(), click()]);
    await app.bot.idle();
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(app.core.simulator!.model.state.sms.length, 1);
    assert.match(JSON.stringify([first.body, second.body]), /already/);
  });

  for (const [who, reason] of [
    ['dgreen', /disabled/],
    ['eold', /expired on 2024-01-31/],
    ['fland', /fixed line/],
    ['gdesk', /no mobile number in the directory's mobile attribute/],
    ['hstaff', /not in the contractor group/],
  ] as const) {
    it(`refuses ${who} with the reason and posts no card`, async () => {
      await postActivity(
        app.url,
        messageActivity(connector.url, PEOPLE.alex, `enrol contractor ${who} by sms`),
      );
      const answer = connector.posted().at(-1)!;
      assert.match(textOf(answer), reason);
      assert.ok(
        !connector.posted().some((c) => textOf(c).includes('adaptive')),
        'no approval card',
      );
      const [request] = app.core.store.byContractor(who);
      assert.equal(request?.state, 'rejected', 'the refusal is recorded');
    });
  }
});

describe('Teams end to end: the zero-configuration demo', () => {
  it('lets the one Playground user approve their own request, saying so on the card', async () => {
    const connector = await startFakeConnector();
    connector.members.set(PEOPLE.alex.id, PEOPLE.alex);
    const app = await startTestApp({ DEMO_SELF_APPROVAL: '' });
    try {
      await postActivity(
        app.url,
        messageActivity(connector.url, PEOPLE.alex, 'enrol contractor jdoe by sms'),
      );
      const [request] = app.core.store.byContractor('jdoe');
      assert.match(
        textOf(connector.posted().find((c) => textOf(c).includes('adaptive'))!),
        /Demo mode/,
      );
      const cardId = (request!.card!.ref as { activityId: string }).activityId;
      const res = await postActivity(
        app.url,
        invokeActivity(
          connector.url,
          PEOPLE.alex,
          ACTION_VERBS.approve,
          { requestId: request!.id },
          cardId,
        ),
      );
      assert.match(JSON.stringify(res.body), /requester approved their own request/);
      await app.bot.idle();
      assert.equal(app.core.store.get(request!.id)?.state, 'sent');
      assert.equal(app.core.simulator!.model.state.sms.length, 1);
    } finally {
      await app.stop();
      await connector.close();
    }
  });
});
