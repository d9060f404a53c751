/**
 * Slack end to end, transport and entry points: signatures and timestamps, retried events,
 * mentions, direct messages, the request form and its contractor search, attached files.
 */
import assert from 'node:assert/strict';
import { FORM_MODAL_ID } from '../../cards/blockkit/index.js';
import { SLACK_PEOPLE as P } from '../support/slackFake.js';
import {
  APPROVAL_CHANNEL,
  commandBody,
  FORM,
  interactionBody,
  SIGNING_SECRET,
  slackSignature,
  startSlackScenario,
  type SlackScenario,
} from '../support/slackSign.js';

const now = () => Math.floor(Date.now() / 1000);

function dm(text: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    channel_type: 'im',
    channel: `D${P.adelev.id}`,
    user: P.adelev.id,
    text,
    ts: `${now()}.${Math.floor(Math.random() * 1e6)}`,
    ...extra,
  };
}

describe('Slack e2e: transport and entry points', () => {
  let s: SlackScenario;

  beforeEach(async () => {
    s = await startSlackScenario();
  });
  afterEach(async () => {
    await s.close();
  });

  it('refuses a forged signature with 401 and does nothing', async () => {
    const body = commandBody({
      command: '/enrol',
      text: 'contractor jdoe by sms',
      user_id: 'UADELE',
    });
    const forged = await s.post(body, FORM, { signature: slackSignature('wrong', now(), body) });
    const altered = await s.post(body.replace('jdoe', 'asmith'), FORM, {
      signature: slackSignature(SIGNING_SECRET, now(), body),
    });
    const unsigned = await fetch(s.eventsUrl, {
      method: 'POST',
      body,
      headers: { 'content-type': FORM },
    });
    await s.settle();

    assert.deepEqual([forged.status, altered.status, unsigned.status], [401, 401, 401]);
    assert.equal(s.fake.calls.length, 0);
    assert.equal(s.running.core.store.list().length, 0);
  });

  it('acknowledges a slash command before doing the work (Slack waits 3 s at most)', async () => {
    const release = s.fake.hold('users.info');
    const answer = await s.command(P.adelev.id, 'contractor jdoe by sms');

    assert.equal(answer.status, 200);
    assert.equal(s.fake.called('chat.postMessage').length, 0, 'answered before any work');
    release();
    await s.settle();
    assert.equal(s.fake.called('chat.postMessage').length, 1);
  });

  it('refuses a request signed more than five minutes ago with 401 and does nothing', async () => {
    const body = commandBody({
      command: '/enrol',
      text: 'contractor jdoe by sms',
      user_id: 'UADELE',
    });
    const stale = await s.post(body, FORM, { timestamp: now() - 5 * 60 - 5 });
    await s.settle();

    assert.equal(stale.status, 401);
    assert.equal(s.fake.calls.length, 0);
    assert.equal(s.running.core.store.list().length, 0);
  });

  it('handles a retried event once (X-Slack-Retry-Num, same event_id), also across event types', async () => {
    const event = dm('contractor jdoe by sms');
    const first = await s.event(event, { eventId: 'EvSAME' });
    const retry = await s.event(event, {
      eventId: 'EvSAME',
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    // The same message delivered again under another event id (e.g. message and app_mention).
    const again = await s.event(event, { eventId: 'EvOTHER' });
    await s.settle();

    assert.deepEqual([first.status, retry.status, again.status], [200, 200, 200]);
    assert.equal(s.running.core.store.list().length, 1);
    const cards = s.fake
      .called('chat.postMessage')
      .filter((c) => c.args.channel === APPROVAL_CHANNEL);
    assert.equal(cards.length, 1);
  });

  it('handles a retry whose first delivery never arrived, since that work is still to do', async () => {
    await s.event(dm('help'), { eventId: 'EvLOST', headers: { 'x-slack-retry-num': '2' } });
    await s.settle();

    assert.equal(s.fake.called('chat.postMessage').length, 1);
  });

  it('answers an @-mention in a channel in its thread and posts the card for approval', async () => {
    const ts = `${now()}.000300`;
    await s.event({
      type: 'app_mention',
      user: P.adelev.id,
      channel: 'CGENERAL',
      text: '<@UBOT> contractor jdoe by sms',
      ts,
    });
    await s.settle();

    const posts = s.fake.called('chat.postMessage');
    assert.ok(posts.some((c) => c.args.channel === APPROVAL_CHANNEL));
    const reply = posts.find((c) => c.args.channel === 'CGENERAL');
    assert.equal(reply?.args.thread_ts, ts);
    assert.match(String(reply?.args.text), /REQ-1/);
  });

  it('answers a direct message, and ignores its own and edited messages', async () => {
    await s.event(dm('help'));
    await s.event(dm('help', { bot_id: 'BBOT', user: 'UBOT' }));
    await s.event(dm('help', { subtype: 'message_changed' }));
    await s.settle();

    const posts = s.fake.called('chat.postMessage');
    assert.equal(posts.length, 1);
    assert.equal(posts[0]!.args.channel, `D${P.adelev.id}`);
    assert.ok(Array.isArray(posts[0]!.args.blocks));
    assert.equal(typeof posts[0]!.args.text, 'string');
  });

  it('opens the request form for a bare /enrol, with where to answer in private_metadata', async () => {
    const answer = await s.command(P.adelev.id, '');
    await s.settle();

    assert.equal(answer.status, 200);
    const opened = s.fake.called('views.open');
    assert.equal(opened.length, 1);
    assert.match(String(opened[0]!.args.trigger_id), /^trigger-/);
    const view = opened[0]!.args.view as { callback_id: string; private_metadata: string };
    assert.equal(view.callback_id, FORM_MODAL_ID);
    assert.deepEqual(JSON.parse(view.private_metadata), { channel: 'CGENERAL', user: P.adelev.id });
  });

  it('offers contractors from the directory as the person types', async () => {
    const answer = await s.post(
      interactionBody({
        type: 'block_suggestion',
        user: { id: P.adelev.id },
        team: { id: 'T0TEST' },
        action_id: 'contractor',
        block_id: 'contractor',
        value: 'jd',
        view: { id: 'V1', callback_id: FORM_MODAL_ID },
      }),
      FORM,
    );

    assert.equal(answer.status, 200);
    const options = JSON.parse(answer.text).options as { value: string; text: { text: string } }[];
    assert.ok(options.some((o) => o.value === 'jdoe' && o.text.text.includes('John Doe')));
  });

  it('treats a form submission as the typed request and answers the requester privately', async () => {
    const submitted = await s.interact({
      type: 'view_submission',
      user: { id: P.adelev.id },
      view: {
        id: 'V1',
        callback_id: FORM_MODAL_ID,
        private_metadata: JSON.stringify({ channel: 'CGENERAL', user: P.adelev.id }),
        state: {
          values: {
            contractor: {
              contractor: { type: 'external_select', selected_option: { value: 'jdoe' } },
            },
            method: { method: { type: 'static_select', selected_option: { value: 'sms' } } },
            reason: { reason: { type: 'plain_text_input', value: 'new starter' } },
          },
        },
      },
    });
    await s.settle();

    assert.equal(submitted.status, 200);
    const request = s.running.core.store.list()[0];
    assert.equal(request?.contractor.username, 'jdoe');
    assert.equal(request?.method, 'sms');
    assert.ok(s.fake.called('chat.postMessage').some((c) => c.args.channel === APPROVAL_CHANNEL));
    const told = s.fake.called('chat.postEphemeral').find((c) => c.args.user === P.adelev.id);
    assert.equal(told?.args.channel, 'CGENERAL');
    assert.match(String(told?.args.text), /REQ-1/);
  });

  it('refuses a CSV file that is not stored on Slack, without fetching it', async () => {
    s.fake.files.set('list.csv', 'username,method\njdoe,sms\n');
    await s.event(
      dm('', {
        subtype: 'file_share',
        files: [
          {
            id: 'F1',
            name: 'list.csv',
            filetype: 'csv',
            size: 30,
            url_private: 'https://files.slack.com.evil.example/list.csv',
          },
        ],
      }),
    );
    await s.settle();

    const reply = s.fake
      .called('chat.postMessage')
      .find((c) => c.args.channel === `D${P.adelev.id}`);
    assert.match(String(reply?.args.text), /did not read list\.csv: it is not stored on Slack/);
    assert.equal(s.fake.fileRequests.length, 0);
  });
});
