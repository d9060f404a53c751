/**
 * Issue 6's bulk test: 200 contractors from a CSV (ready and blocked rows), one batch card, the
 * Duo simulator rate-limiting, and the process stopped half-way and started again on the same data:
 * every ready contractor gets exactly one SMS, blocked ones none, and the tally is right.
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import pino from 'pino';
import { startApp, type RunningApp } from '../../adapters/app.js';
import { ACTION_VERBS, type BatchView } from '../../cards/views.js';
import { loadConfig } from '../../src/config/index.js';
import { Pacer } from '../../src/workflow/pacer.js';
import { batchMembers } from '../../src/workflow/batch.js';
import { summariseBatch } from '../../src/workflow/batchSummary.js';
import { startFakeConnector, textOf, type FakeConnector } from '../support/fakeConnector.js';
import { tempDataDir } from '../support/app.js';
import {
  ALEX,
  MEGAN,
  teamsConversation,
  writeBulkFixture,
  type BulkFixture,
} from './bulk-fixture.js';

describe('Bulk enrolment end to end: 200 contractors, rate limits and a restart', function () {
  this.timeout(120_000);
  let connector: FakeConnector;
  let dataDir: string;
  let fixture: BulkFixture;
  const apps: RunningApp[] = [];

  before(async () => {
    connector = await startFakeConnector();
    dataDir = tempDataDir('enrolbot-bulk-');
    const mix = {
      ready: 145,
      disabled: 10,
      noMobile: 10,
      expired: 10,
      mismatch: 10,
      unknown: 10,
      enrolled: 5,
    };
    fixture = writeBulkFixture(dataDir, mix, path.join(dataDir, 'duo-simulator.json'));
  });

  after(async () => {
    for (const app of apps) await app.stop().catch(() => undefined);
    await connector.close();
  });

  /** The app on the shared data folder; `onSent` hears of each send the queue finishes. */
  let rateLimited = 0;

  async function start(onSent: () => void = () => undefined): Promise<RunningApp> {
    const config = loadConfig({
      PORT: '0',
      STORE_PATH: path.join(dataDir, 'enrolbot.json'),
      DIRECTORY_FILE: fixture.directoryFile,
      MAX_SENDS_PER_HOUR: '1000',
      MAX_REQUESTS_PER_HOUR: '5',
      SEND_CONCURRENCY: '4',
      DUO_MAX_CALLS_PER_MINUTE: '6000',
      DEMO_SELF_APPROVAL: 'false',
    });
    const app = await startApp(config, {
      logger: pino({ level: process.env.LOG_TESTS ? 'debug' : 'silent' }),
      // No client retries: every 429 reaches the queue, which must hold and resume the request.
      duoOptions: { backoffMs: [] },
      queue: {
        pacer: new Pacer(2, 10),
        // Never shorter than Duo's window here (100 ms), as in production (5 s to 60 s).
        backoffMs: { first: 100, max: 400 },
        onResult: (_id, result) => {
          if (result.kind === 'sent') onSent();
          if (result.kind === 'rate_limited') rateLimited += 1;
        },
      },
      batchThrottleMs: 50,
    });
    apps.push(app);

    return app;
  }

  function smsPerNumber(app: RunningApp): Map<string, number> {
    const counts = new Map<string, number>();
    for (const sms of app.core.simulator!.model.state.sms) {
      const number = `+${sms.number.replace(/\D/g, '')}`;
      counts.set(number, (counts.get(number) ?? 0) + 1);
    }
    return counts;
  }

  it('sends one SMS to each ready contractor across a restart, none to blocked ones', async () => {
    let sent = 0;
    let halfway!: () => void;
    const reachedHalfway = new Promise<void>((resolve) => (halfway = resolve));
    const first = await start(() => {
      sent += 1;
      if (sent === 60) halfway();
    });

    const conversation = teamsConversation(connector.url);
    const replies = await first.bot.handleMessage({
      user: ALEX,
      text: 'enrol these by sms because the vendor team starts Monday',
      conversation,
      personal: true,
      files: [{ name: 'vendor-team.csv', read: async () => fixture.csv }],
    });
    const batchId = /BATCH-\d+/.exec(replies[0]?.text ?? '')?.[0];
    assert.ok(batchId, replies[0]?.text);
    assert.match(replies[0]!.text!, /145 ready, 50 blocked, 5 already enrolled/);
    assert.equal(replies[0]!.file?.contentType, 'text/csv');
    assert.equal(
      replies[0]!.file!.content.trim().split('\n').length,
      201,
      'the CSV lists every row',
    );
    const cards = connector
      .posted()
      .filter((c) => textOf(c).includes(`Batch enrolment ${batchId}`));
    assert.equal(cards.length, 1, 'one approval card for the whole batch');
    assert.match(textOf(cards[0]!), /Ready.*145|145/s);
    assert.match(replies[0]!.file!.content, /cmismatch\d+,.*is not the directory's mobile/);

    first.core.simulator!.setRateLimit({ calls: 8, windowMs: 100 });
    const answer = await first.bot.handleAction({
      user: MEGAN,
      verb: ACTION_VERBS.batchApprove,
      data: { batchId },
      conversation,
      personal: false,
    });
    assert.equal((answer.card as BatchView | undefined)?.kind, 'batch', answer.notice);
    await reachedHalfway;
    await first.stop();
    apps.pop();
    const sentBeforeRestart = first.core.simulator!.model.state.sms.length;
    assert.ok(sentBeforeRestart < 145, `stopped half-way (${sentBeforeRestart} sent)`);
    assert.ok(rateLimited > 0, 'Duo answered 429 and the queue held those requests');

    const second = await start();
    second.core.simulator!.setRateLimit({ calls: 8, windowMs: 100 });
    await second.bot.idle();

    const counts = smsPerNumber(second);
    for (const number of fixture.readyNumbers)
      assert.equal(counts.get(number), 1, `one SMS to ${number}`);
    for (const number of fixture.blockedNumbers) assert.equal(counts.get(number), undefined);

    const batch = second.core.store.getBatch(batchId)!;
    const summary = summariseBatch(batch, batchMembers(second.core, batch));
    assert.deepEqual(
      { ...summary.tally, failures: summary.tally.failures.length },
      { sent: 145, alreadyEnrolled: 5, failed: 0, failures: 0 },
    );
    await connector.waitFor((c) =>
      textOf(c).includes(`${batchId} is finished: 145 sent, 5 already enrolled, 0 failed`),
    );
  });
});
