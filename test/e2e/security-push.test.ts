/**
 * Step-up approval by Duo Push, over real HTTP: an Approve click only starts a push to the
 * approver's phone (the Duo simulator's Auth API), and nothing is sent until it is accepted. The
 * same holds for a batch: one push for the whole batch.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunningApp } from '../../adapters/app.js';
import { ACTION_VERBS } from '../../cards/views.js';
import { startFakeConnector, textOf, type FakeConnector } from '../support/fakeConnector.js';
import {
  invokeActivity,
  messageActivity,
  PEOPLE,
  postActivity,
  type Person,
} from '../support/teams.js';
import { askFor, click, EVERYONE, PATTI, startSecureApp } from './security-helpers.js';

const AUTH_ENV = {
  DUO_AUTH_HOST: 'api-auth.duosecurity.test',
  DUO_AUTH_IKEY: 'DIAUTHAPPLICATION001',
  DUO_AUTH_SKEY: 'auth-application-secret-key-for-tests-0001',
  // A batch's Duo look-ups are paced by this ceiling; the default would add seconds per test.
  DUO_MAX_CALLS_PER_MINUTE: '6000',
};

describe('Security: approval by Duo Push (step-up)', () => {
  let connector: FakeConnector;
  let app: RunningApp & { dataDir: string };
  let gate: (() => void)[];

  beforeEach(async () => {
    connector = await startFakeConnector();
    for (const person of EVERYONE) connector.members.set(person.id, person);
    gate = [];
    // Polling waits on the test, never on a clock: each release lets one poll go on.
    const sleep = () => new Promise<void>((resolve) => gate.push(resolve));
    app = await startSecureApp(AUTH_ENV, { stepUp: { sleep, pollMs: 1 } });
    const model = app.core.simulator!.model;
    const megan = model.addUser({ username: 'meganb' });
    const phone = model.addPhone({ number: '+15555550100', activated: true });
    model.attach(megan.user_id, phone.phone_id);
  });

  afterEach(async () => {
    for (const release of gate.splice(0)) release();
    await app.stop();
    await connector.close();
  });

  async function settle(): Promise<void> {
    await app.bot.workflow.stepUp!.idle();
    await app.bot.idle();
  }

  /** Alex asks for a bulk request; returns the batch id from the card posted for it. */
  async function askBatch(text: string): Promise<string> {
    await postActivity(app.url, messageActivity(connector.url, PEOPLE.alex, text));
    const card = connector.posted().find((c) => /Batch enrolment BATCH-\d+/.test(textOf(c)));
    const batchId = /BATCH-\d+/.exec(card ? textOf(card) : '')?.[0];
    assert.ok(batchId, 'a batch card was posted');

    return batchId;
  }

  async function clickBatch(who: Person, verb: string, batchId: string): Promise<string> {
    const res = await postActivity(app.url, invokeActivity(connector.url, who, verb, { batchId }));
    assert.equal(res.status, 200);

    return JSON.stringify(res.body ?? {});
  }

  const lastCardText = () => {
    const card = connector.updates().at(-1);

    return card ? textOf(card) : '';
  };

  it('waits for the push, then sends once; the audit log has the transaction id', async () => {
    const sim = app.core.simulator!;
    sim.setPushOutcome('allow', 1);
    const { requestId } = await askFor(app, connector);

    const answer = await click(app, connector, PEOPLE.megan, ACTION_VERBS.approve, requestId);
    assert.match(answer.text, /Duo Push on your phone/);
    const waiting = app.core.store.get(requestId)!;
    assert.equal(waiting.state, 'pending_approval', 'nothing is approved before the push');
    assert.equal(waiting.push?.by.displayName, 'Megan Bowen');
    assert.ok(waiting.push?.txid);
    assert.equal(sim.model.state.sms.length, 0);
    const card = connector.updates().at(-1);
    assert.ok(card && /Waiting for Megan Bowen to accept the Duo Push/.test(textOf(card)));

    const again = await click(app, connector, PEOPLE.megan, ACTION_VERBS.approve, requestId);
    assert.match(again.text, /already confirming a Duo Push/, 'one push at a time');

    while (gate.length > 0) gate.shift()!();
    await settle();
    assert.equal(app.core.store.get(requestId)?.state, 'sent');
    assert.equal(sim.model.state.sms.length, 1, 'one SMS, after the push');
    const audit = readFileSync(path.join(app.dataDir, 'audit.jsonl'), 'utf8');
    assert.match(audit, new RegExp(`duo push ${waiting.push!.txid}`));
  });

  for (const outcome of ['deny', 'timeout'] as const) {
    it(`a push that ends in ${outcome} sends nothing and leaves the request pending`, async () => {
      const sim = app.core.simulator!;
      sim.setPushOutcome(outcome);
      const { requestId } = await askFor(app, connector);

      await click(app, connector, PEOPLE.megan, ACTION_VERBS.approve, requestId);
      await settle();
      const request = app.core.store.get(requestId)!;
      assert.equal(request.state, 'pending_approval');
      assert.equal(request.push, undefined, 'another approver can start a new push');
      assert.equal(request.approvals.length, 0);
      assert.equal(sim.model.state.sms.length, 0);
      assert.ok(
        connector.posted().some((c) => /Duo Push was not accepted/.test(textOf(c))),
        'the requester is told',
      );
    });
  }

  it('refuses an approver Duo cannot push to, and nothing changes', async () => {
    const { requestId } = await askFor(app, connector);
    const answer = await click(app, connector, PATTI as never, ACTION_VERBS.approve, requestId);
    assert.match(answer.text, /Duo cannot push to you/);
    assert.equal(app.core.store.get(requestId)?.state, 'pending_approval');
    assert.equal(app.core.store.get(requestId)?.push, undefined);
  });

  it('a batch waits for one push, then sends once to each ready contractor', async () => {
    const sim = app.core.simulator!;
    sim.setPushOutcome('allow', 1);
    const batchId = await askBatch('enrol contractors jdoe, asmith and cdavis by email');

    const answer = await clickBatch(PEOPLE.megan, ACTION_VERBS.batchApprove, batchId);
    assert.match(answer, new RegExp(`Confirm the Duo Push on your phone to approve ${batchId}`));
    const waiting = app.core.store.getBatch(batchId)!;
    assert.equal(waiting.state, 'pending_approval', 'nothing is approved before the push');
    assert.equal(waiting.push?.by.displayName, 'Megan Bowen');
    assert.ok(waiting.push?.txid);
    assert.equal(sim.model.state.pushes.length, 1, 'one push for the whole batch');
    const members = app.core.store.list((r) => r.batchId === batchId);
    assert.ok(members.every((r) => r.state === 'pending_approval' && r.approvals.length === 0));
    assert.equal(sim.model.state.emails.length, 0);
    assert.match(lastCardText(), /Waiting for Megan Bowen to accept the Duo Push/);

    const again = await clickBatch(PEOPLE.megan, ACTION_VERBS.batchApprove, batchId);
    assert.match(again, /already confirming a Duo Push/, 'one push at a time');
    assert.equal(sim.model.state.pushes.length, 1);

    while (gate.length > 0) gate.shift()!();
    await settle();
    const emails = sim.model.state.emails.map((e) => e.username).sort();
    assert.deepEqual(emails, ['asmith', 'cdavis', 'jdoe'], 'each ready contractor exactly once');
    const approved = app.core.store.getBatch(batchId)!;
    assert.equal(approved.state, 'approved');
    assert.equal(approved.push, undefined);
    const audit = readFileSync(path.join(app.dataDir, 'audit.jsonl'), 'utf8');
    const detail = `batch ${batchId}, duo push ${waiting.push!.txid}`;
    assert.equal(audit.split('\n').filter((line) => line.includes(detail)).length, 3);
  });

  for (const outcome of ['deny', 'timeout'] as const) {
    it(`a batch push that ends in ${outcome} sends nothing and leaves it pending`, async () => {
      const sim = app.core.simulator!;
      sim.setPushOutcome(outcome);
      const batchId = await askBatch('enrol contractors jdoe, asmith and cdavis by email');

      await clickBatch(PEOPLE.megan, ACTION_VERBS.batchApprove, batchId);
      await settle();
      const batch = app.core.store.getBatch(batchId)!;
      assert.equal(batch.state, 'pending_approval');
      assert.equal(batch.push, undefined, 'another approver can start a new push');
      assert.equal((batch.approvals ?? []).length, 0);
      const members = app.core.store.list((r) => r.batchId === batchId);
      assert.ok(members.every((r) => r.state === 'pending_approval' && r.approvals.length === 0));
      assert.equal(sim.model.state.emails.length, 0);
      assert.doesNotMatch(lastCardText(), /Duo Push/, 'the card no longer says it waits');
      assert.match(lastCardText(), new RegExp(`Batch enrolment ${batchId}`));
    });
  }

  it('a push cut short by a restart is cleared at start-up, never counted', async () => {
    app.core.simulator!.setPushOutcome('allow', 100);
    const { requestId } = await askFor(app, connector);
    await click(app, connector, PEOPLE.megan, ACTION_VERBS.approve, requestId);
    const stopping = app.stop();
    while (gate.length > 0) gate.shift()!();
    await stopping;

    app = await startSecureApp(
      AUTH_ENV,
      { stepUp: { sleep: async () => {}, pollMs: 1 } },
      app.dataDir,
    );
    const request = app.core.store.get(requestId)!;
    assert.equal(request.state, 'pending_approval');
    assert.equal(request.push, undefined);
  });

  it('a batch push cut short by a restart is cleared at start-up, never counted', async () => {
    app.core.simulator!.setPushOutcome('allow', 100);
    const batchId = await askBatch('enrol contractors jdoe, asmith and cdavis by email');
    await clickBatch(PEOPLE.megan, ACTION_VERBS.batchApprove, batchId);
    assert.ok(app.core.store.getBatch(batchId)?.push?.txid);
    const stopping = app.stop();
    while (gate.length > 0) gate.shift()!();
    await stopping;
    const updatesBefore = connector.updates().length;

    app = await startSecureApp(
      AUTH_ENV,
      { stepUp: { sleep: async () => {}, pollMs: 1 } },
      app.dataDir,
    );
    const batch = app.core.store.getBatch(batchId)!;
    assert.equal(batch.state, 'pending_approval');
    assert.equal(batch.push, undefined);
    assert.equal(app.core.simulator!.model.state.emails.length, 0);
    // The card that said it waited for the push is redrawn without that note.
    const redrawn = connector.updates().slice(updatesBefore).map(textOf);
    assert.ok(redrawn.some((t) => t.includes(`Batch enrolment ${batchId}`) && !/Duo Push/.test(t)));
  });
});
