/**
 * Bulk requests over real HTTP as Teams sends them: a typed list and a directory group, one card
 * each, approve and deny on the batch card, a double click, and the refusals (size, file size).
 */
import { strict as assert } from 'node:assert';
import type { RunningApp } from '../../adapters/app.js';
import { ACTION_VERBS } from '../../cards/views.js';
import { startFakeConnector, textOf, type FakeConnector } from '../support/fakeConnector.js';
import { startTestApp } from '../support/app.js';
import { invokeActivity, messageActivity, PEOPLE, postActivity } from '../support/teams.js';
import { ALEX, teamsConversation } from './bulk-fixture.js';

describe('Bulk requests end to end: typed lists, groups, approve, deny, refusals', () => {
  let connector: FakeConnector;
  let app: RunningApp;

  beforeEach(async () => {
    connector = await startFakeConnector();
    for (const person of Object.values(PEOPLE)) connector.members.set(person.id, person);
    app = await startTestApp({
      MAX_BATCH_SIZE: '3',
      MAX_CSV_BYTES: '2048',
      DUO_MAX_CALLS_PER_MINUTE: '6000',
    });
  });

  afterEach(async () => {
    await app.stop();
    await connector.close();
  });

  async function ask(text: string): Promise<string> {
    await postActivity(app.url, messageActivity(connector.url, PEOPLE.alex, text));
    const card = connector.posted().find((c) => /Batch enrolment BATCH-\d+/.test(textOf(c)));
    const batchId = /BATCH-\d+/.exec(card ? textOf(card) : '')?.[0];
    assert.ok(batchId, 'a batch card was posted');

    return batchId;
  }

  const click = (verb: string, batchId: string, who = PEOPLE.megan) =>
    postActivity(app.url, invokeActivity(connector.url, who, verb, { batchId }));

  it('a typed list gets one card; Approve sends to the ready ones only, once', async () => {
    const batchId = await ask('enrol contractors jdoe, asmith and cdavis by email');
    const batch = app.core.store.getBatch(batchId)!;
    assert.equal(batch.requestIds.length, 3);

    const [first, second] = await Promise.all([
      click(ACTION_VERBS.batchApprove, batchId),
      click(ACTION_VERBS.batchApprove, batchId),
    ]);
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    await app.bot.idle();
    const emails = app.core.simulator!.model.state.emails.map((e) => e.username).sort();
    assert.deepEqual(emails, ['asmith', 'cdavis', 'jdoe'], 'each ready contractor exactly once');
    await connector.waitFor((c) =>
      textOf(c).includes(`${batchId} is finished: 3 sent, 0 already enrolled, 0 failed`),
    );
  });

  it('a group is expanded through the directory; Deny sends nothing', async () => {
    const batchId = await ask('enrol group Contractors-ProjectX by sms');
    const members = app.core.store
      .list((r) => r.batchId === batchId)
      .map((r) => r.contractor.username);
    assert.deepEqual(members.sort(), ['jdoe', 'kpatel']);

    await click(ACTION_VERBS.batchDeny, batchId);
    await app.bot.idle();
    assert.equal(app.core.store.getBatch(batchId)?.state, 'denied');
    assert.equal(app.core.simulator!.model.state.sms.length, 0);
  });

  it('refuses above MAX_BATCH_SIZE and an oversize file, before asking anyone', async () => {
    await postActivity(
      app.url,
      messageActivity(
        connector.url,
        PEOPLE.alex,
        'enrol contractors jdoe, asmith, cdavis, clee by sms',
      ),
    );
    await connector.waitFor((c) => textOf(c).includes('may hold at most 3 (MAX'));

    let read = false;
    const [reply] = await app.bot.handleMessage({
      user: ALEX,
      text: 'by sms',
      conversation: teamsConversation(connector.url),
      personal: true,
      files: [{ name: 'big.csv', size: 1_000_000, read: async () => ((read = true), '') }],
    });
    assert.match(reply!.text!, /larger than 2 KB \(MAX_CSV_BYTES\)/);
    assert.equal(read, false, 'an oversize file is refused unread');
    assert.equal(app.core.store.listBatches().length, 0);
  });
});
