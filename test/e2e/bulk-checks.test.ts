/**
 * A bulk request's checks under Duo's rate limit: the rows that meet a 429 are not blocked for a
 * busy Duo. The checks hold every paced Duo call back, as the sending queue does, and check the
 * row again, so each contractor ends up ready or blocked for a reason of its own. And checks that
 * outlast the chat turn (Teams gives up on a turn after about 15 s) answer at once and report
 * by message when the card is ready.
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import pino from 'pino';
import { startApp, type RunningApp } from '../../adapters/app.js';
import { loadConfig } from '../../src/config/index.js';
import { Pacer } from '../../src/workflow/pacer.js';
import { startFakeConnector, textOf, type FakeConnector } from '../support/fakeConnector.js';
import { tempDataDir } from '../support/app.js';
import { ACTION_VERBS } from '../../cards/views.js';
import {
  ALEX,
  MEGAN,
  teamsConversation,
  writeBulkFixture,
  type BulkFixture,
} from './bulk-fixture.js';

describe('Bulk checks under Duo rate limits', function () {
  this.timeout(60_000);
  let connector: FakeConnector;
  let fixture: BulkFixture;
  let app: RunningApp;
  let rateLimited: number;

  before(async () => {
    connector = await startFakeConnector();
    const dataDir = tempDataDir('enrolbot-bulk-checks-');
    fixture = writeBulkFixture(dataDir, {
      ready: 40,
      disabled: 5,
      noMobile: 0,
      expired: 0,
      mismatch: 0,
      unknown: 0,
      enrolled: 0,
    });
    rateLimited = 0;
    app = await startApp(
      loadConfig({
        PORT: '0',
        STORE_PATH: path.join(dataDir, 'enrolbot.json'),
        DIRECTORY_FILE: fixture.directoryFile,
        DUO_MAX_CALLS_PER_MINUTE: '6000',
        DEMO_SELF_APPROVAL: 'false',
      }),
      {
        logger: pino({ level: process.env.LOG_TESTS ? 'debug' : 'silent' }),
        // No client retries, so every 429 reaches the checks themselves.
        duoOptions: {
          backoffMs: [],
          onCall: ({ outcome }) => {
            if (outcome === 'rate_limited') rateLimited += 1;
          },
        },
        queue: { pacer: new Pacer(2, 10), backoffMs: { first: 100, max: 400 } },
      },
    );
  });

  after(async () => {
    await app.stop();
    await connector.close();
  });

  it('checks a row again after a 429 instead of blocking it', async () => {
    // Far fewer calls per window than 45 rows need: 429s are certain.
    app.core.simulator!.setRateLimit({ calls: 10, windowMs: 100 });
    const [reply] = await app.bot.handleMessage({
      user: ALEX,
      text: 'enrol these by sms because the vendor team starts Monday',
      conversation: teamsConversation(connector.url),
      personal: true,
      files: [{ name: 'vendor-team.csv', read: async () => fixture.csv }],
    });

    assert.ok(rateLimited > 0, 'Duo answered 429 during the checks');
    assert.match(reply?.text ?? '', /40 ready, 5 blocked, 0 already enrolled/);
    assert.doesNotMatch(reply?.file?.content ?? '', /could not be asked/);
  });

  it('answers a long check at once and posts the result when it is ready', async () => {
    const waiting = await startApp(
      loadConfig({
        PORT: '0',
        STORE_PATH: path.join(tempDataDir('enrolbot-bulk-late-'), 'enrolbot.json'),
        DIRECTORY_FILE: fixture.directoryFile,
        DUO_MAX_CALLS_PER_MINUTE: '6000',
        DEMO_SELF_APPROVAL: 'false',
      }),
      {
        logger: pino({ level: 'silent' }),
        queue: { pacer: new Pacer(2, 10) },
        // Every check counts as long here.
        batchAnswerWithinMs: 0,
      },
    );
    try {
      const conversation = teamsConversation(connector.url);
      const [reply, ...more] = await waiting.bot.handleMessage({
        user: ALEX,
        text: 'enrol these by sms because the vendor team starts Monday',
        conversation,
        personal: true,
        files: [{ name: 'vendor-team.csv', read: async () => fixture.csv }],
      });
      assert.equal(more.length, 0);
      assert.match(reply?.text ?? '', /^Checking the contractors you listed/);

      await waiting.bot.idle();
      const told = await connector.waitFor((c) =>
        /BATCH-\d+: I asked the security team to approve 40 contractors/.test(textOf(c)),
      );
      assert.equal(
        told.conversationId,
        'a:personal-29:alex',
        'in the conversation it was asked in',
      );
      assert.equal(waiting.core.store.listBatches().length, 1);
    } finally {
      await waiting.stop();
    }
  });

  it('tells the requester once when the hourly send limit pauses a batch', async () => {
    const dir = tempDataDir('enrolbot-bulk-limit-');
    const five = writeBulkFixture(dir, {
      ready: 5,
      disabled: 0,
      noMobile: 0,
      expired: 0,
      mismatch: 0,
      unknown: 0,
      enrolled: 0,
    });
    const limited = await startApp(
      loadConfig({
        PORT: '0',
        STORE_PATH: path.join(dir, 'enrolbot.json'),
        DIRECTORY_FILE: five.directoryFile,
        DUO_MAX_CALLS_PER_MINUTE: '6000',
        DEMO_SELF_APPROVAL: 'false',
        MAX_SENDS_PER_HOUR: '3',
      }),
      { logger: pino({ level: 'silent' }), queue: { pacer: new Pacer(2, 10) } },
    );
    try {
      const conversation = teamsConversation(connector.url, 'a:personal-limit');
      const [reply] = await limited.bot.handleMessage({
        user: ALEX,
        text: 'enrol these by sms because the vendor team starts Monday',
        conversation,
        personal: true,
        files: [{ name: 'five.csv', read: async () => five.csv }],
      });
      const batchId = /BATCH-\d+/.exec(reply?.text ?? '')?.[0];
      assert.ok(batchId, reply?.text);
      await limited.bot.handleAction({
        user: MEGAN,
        verb: ACTION_VERBS.batchApprove,
        data: { batchId },
        conversation,
        personal: false,
      });
      await limited.bot.idle();

      assert.equal(limited.core.simulator!.model.state.sms.length, 3);
      const paused = connector
        .posted('a:personal-limit')
        .filter((c) => textOf(c).includes(`${batchId} is paused: the hourly send limit`));
      assert.equal(paused.length, 1, 'told once, not once per waiting row');
      assert.match(textOf(paused[0]!), /The 2 still waiting stay approved/);
    } finally {
      await limited.stop();
    }
  });
});
