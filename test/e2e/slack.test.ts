/**
 * Slack end to end, approvals: signed requests to the running bot's /slack/events, the Web API
 * answered by a local fake, Duo by the in-process simulator.
 */
import assert from 'node:assert/strict';
import { DENY_MODAL_ID } from '../../cards/blockkit/index.js';
import { ACTION_VERBS } from '../../cards/views.js';
import { FAKE_TEAM, SLACK_PEOPLE as P } from '../support/slackFake.js';
import {
  APPROVAL_CHANNEL,
  clickPayload,
  startSlackScenario,
  type SlackScenario,
} from '../support/slackSign.js';

interface Card {
  channel: string;
  ts: string;
  id: string;
}

/** Ask for jdoe by SMS as adelev; returns the approval message the bot posted. */
async function requestJdoe(s: SlackScenario): Promise<Card> {
  const answer = await s.command(P.adelev.id, 'contractor jdoe by sms because new starter');
  assert.equal(answer.status, 200);
  await s.settle();

  const posted = s.fake.called('chat.postMessage').find((c) => c.args.channel === APPROVAL_CHANNEL);
  assert.ok(posted, 'approval card posted in the approval channel');
  const id = /REQ-\d+/.exec(String(posted.args.text))?.[0];
  assert.ok(id);

  return { channel: APPROVAL_CHANNEL, ts: String(posted.result.ts), id };
}

function click(s: SlackScenario, user: string, verb: string, card: Card) {
  return s.interact(clickPayload(user, verb, card.id, card, s.fake.responseUrl('click')));
}

function updatesOf(s: SlackScenario, card: Card) {
  return s.fake.called('chat.update').filter((c) => c.args.ts === card.ts);
}

function sms(s: SlackScenario) {
  return s.running.core.simulator!.model.state.sms;
}

describe('Slack e2e: approvals', () => {
  let s: SlackScenario;

  beforeEach(async () => {
    s = await startSlackScenario();
  });
  afterEach(async () => {
    await s.close();
  });

  it('approve: card in the approval channel, decision then result on it, one SMS, a DM', async () => {
    const card = await requestJdoe(s);
    const told = s.fake.responses.find((r) => String(r.body.text).includes(card.id));
    assert.equal(told?.body.response_type, 'ephemeral');
    const posted = s.fake.called('chat.postMessage')[0]!;
    const blocks = posted.args.blocks as { type: string; elements?: Record<string, unknown>[] }[];
    const buttons = blocks.find((b) => b.type === 'actions')?.elements ?? [];
    assert.deepEqual(
      buttons.map((b) => [b.action_id, b.value]),
      [
        [ACTION_VERBS.approve, card.id],
        [ACTION_VERBS.deny, card.id],
      ],
    );

    const answer = await click(s, P.meganb.id, ACTION_VERBS.approve, card);
    assert.equal(answer.status, 200);
    await s.settle();

    const updates = updatesOf(s, card).map((c) => String(c.args.text));
    assert.ok(updates.length >= 2, `decision and result shown: ${updates.join(' | ')}`);
    assert.match(updates[0]!, /Approved/);
    assert.match(JSON.stringify(updatesOf(s, card)[0]!.args.blocks), /Megan Bowen/);
    assert.match(updates.at(-1)!, /SMS sent/);
    assert.ok(updatesOf(s, card).every((c) => typeof c.args.text === 'string' && c.args.blocks));

    assert.deepEqual(
      sms(s).map((m) => m.number),
      ['+447400123456'],
    );
    assert.ok(s.fake.called('conversations.open').some((c) => c.args.users === P.adelev.id));
    const dm = s.fake.called('chat.postMessage').find((c) => c.args.channel === `D${P.adelev.id}`);
    assert.match(String(dm?.args.text), /approved by Megan Bowen; Duo sent the activation SMS/);

    // A second click (a double click, or another approver late) sends nothing more.
    await click(s, P.meganb.id, ACTION_VERBS.approve, card);
    await s.settle();
    assert.equal(sms(s).length, 1);
  });

  it('deny: the modal asks for a reason, the card shows it, the requester is told', async () => {
    const card = await requestJdoe(s);

    await click(s, P.meganb.id, ACTION_VERBS.deny, card);
    await s.settle();
    const opened = s.fake.called('views.open')[0];
    assert.equal(opened?.args.trigger_id, `trigger-click-${P.meganb.id}`);
    const view = opened!.args.view as { callback_id: string; private_metadata: string };
    assert.equal(view.callback_id, DENY_MODAL_ID);
    assert.equal(JSON.parse(view.private_metadata).requestId, card.id);
    assert.equal(updatesOf(s, card).length, 0, 'opening the modal decides nothing');

    const submitted = await s.interact({
      type: 'view_submission',
      user: { id: P.meganb.id },
      view: {
        id: 'V1',
        callback_id: DENY_MODAL_ID,
        private_metadata: view.private_metadata,
        state: {
          values: { reason: { reason: { type: 'plain_text_input', value: 'not <!here> on it' } } },
        },
      },
    });
    assert.equal(submitted.status, 200);
    await s.settle();

    const last = updatesOf(s, card).at(-1);
    assert.match(String(last?.args.text), /Denied/);
    assert.match(JSON.stringify(last?.args.blocks), /not &lt;!here&gt; on it/);
    assert.doesNotMatch(JSON.stringify(last?.args.blocks), /enrol\.approve/);
    assert.equal(sms(s).length, 0);
    const dm = s.fake.called('chat.postMessage').find((c) => c.args.channel === `D${P.adelev.id}`);
    assert.match(String(dm?.args.text), /Megan Bowen denied enrolling John Doe/);
    assert.equal(s.running.core.store.get(card.id)?.state, 'denied');
  });

  it("refuses a non-approver's click: ephemeral refusal, card unchanged, nothing sent", async () => {
    const card = await requestJdoe(s);

    for (const person of [P.isaiahl, P.adelev]) {
      const answer = await click(s, person.id, ACTION_VERBS.approve, card);
      assert.equal(answer.status, 200);
      await s.settle();
      const refusal = s.fake.called('chat.postEphemeral').find((c) => c.args.user === person.id);
      assert.equal(refusal?.args.channel, APPROVAL_CHANNEL);
      assert.ok(String(refusal?.args.text).length > 0);
    }
    assert.equal(updatesOf(s, card).length, 0);
    assert.equal(sms(s).length, 0);
    assert.equal(s.running.core.store.get(card.id)?.state, 'pending_approval');
  });

  it('refuses a user whose e-mail Slack does not give, saying why', async () => {
    await s.command(P.nomail.id, 'contractor jdoe by sms');
    await s.settle();

    const told = s.fake.responses.map((r) => String(r.body.text)).join('\n');
    assert.match(told, /users:read\.email/);
    assert.match(told, /will not act for you/);
    assert.equal(s.fake.called('chat.postMessage').length, 0);
    assert.equal(s.running.core.store.list().length, 0);
  });

  it("does not match a person from another workspace to our directory, even with an approver's e-mail", async () => {
    const card = await requestJdoe(s);
    s.fake.users.set('UOUTSIDER', {
      id: 'UOUTSIDER',
      name: 'Megan Bowen',
      email: P.meganb.email,
      team_id: 'TOTHER',
    });

    await click(s, 'UOUTSIDER', ACTION_VERBS.approve, card);
    await s.settle();

    const refusal = s.fake.called('chat.postEphemeral').find((c) => c.args.user === 'UOUTSIDER');
    assert.match(String(refusal?.args.text), /e-mail/);
    assert.equal(s.running.core.store.get(card.id)?.state, 'pending_approval');
    assert.notEqual(FAKE_TEAM, 'TOTHER');
  });
});
