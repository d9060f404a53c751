/**
 * No loss, no double send: the real bot process is killed (SIGKILL, through its test hook) right
 * after each step of the send path, then started again on the same store. The Duo simulator runs
 * as its own process and survives; it must have sent each SMS at most once, and every request
 * must end `sent` or `needs_attention`.
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { ACTION_VERBS } from '../../cards/views.js';
import { tempDataDir } from '../support/app.js';
import { startFakeConnector, textOf, type FakeConnector } from '../support/fakeConnector.js';
import { invokeActivity, messageActivity, PEOPLE, postActivity } from '../support/teams.js';
import {
  eventually,
  simulatorState,
  startBotProcess,
  startSimulatorProcess,
  storedRequests,
  type Spawned,
} from './crash-helpers.js';

/** Every named step of the SMS route for a contractor Duo does not know yet, in order. */
const STEPS = [
  'approved',
  'sending',
  'duo:findUserByUsername',
  'duo:createUser',
  'recorded:duoUserId',
  'duo:findPhoneByNumber',
  'duo:createPhone',
  'recorded:phoneId',
  'duo:attachPhone',
  'recorded:attachedPhone',
  'recorded:sendStartedAt',
  'duo:sendSmsActivation',
  'recorded:sentAt',
  'sent',
];
/**
 * Before this step nothing irreversible happened, so the restart must finish the send. From it on
 * the bot cannot know whether Duo sent the SMS, so a person must look (or Duo's state proves it).
 */
const IRREVERSIBLE_FROM = STEPS.indexOf('recorded:sendStartedAt');

describe('Crash: kill -9 at each step of the send path, then restart', function () {
  this.timeout(60_000);
  let connector: FakeConnector;
  const running: Spawned[] = [];

  before(async () => {
    connector = await startFakeConnector();
    for (const person of Object.values(PEOPLE)) connector.members.set(person.id, person);
  });

  afterEach(async () => {
    for (const p of running.splice(0)) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
      await p.exited;
    }
  });

  after(() => connector.close());

  for (const [index, step] of STEPS.entries()) {
    it(`after ${step}: at most one SMS, and the request ends sent or needs_attention`, async () => {
      const dir = tempDataDir('enrolbot-crash-');
      const storePath = path.join(dir, 'enrolbot.json');
      const sim = await startSimulatorProcess(path.join(dir, 'duo-sim.json'));
      running.push(sim);
      const env = { STORE_PATH: storePath, DUO_API_URL: sim.url };

      const doomed = await startBotProcess({ ...env, ENROLBOT_TEST_CRASH_AFTER: step });
      running.push(doomed);
      await postActivity(
        doomed.url,
        messageActivity(connector.url, PEOPLE.alex, 'enrol contractor jdoe by sms'),
      );
      const card = connector.posted().findLast((c) => textOf(c).includes('jdoe'));
      const requestId = /REQ-\d+/.exec(card ? textOf(card) : '')?.[0];
      assert.ok(requestId, 'the request was made');
      await postActivity(
        doomed.url,
        invokeActivity(connector.url, PEOPLE.megan, ACTION_VERBS.approve, { requestId }),
      ).catch(() => undefined);
      const death = await doomed.exited;
      assert.ok(
        death.signal === 'SIGKILL' || death.code === 137,
        `the bot died at ${step} (${JSON.stringify(death)}):\n${doomed.output()}`,
      );

      const revived = await startBotProcess(env);
      running.push(revived);
      const final = await eventually(() => {
        const request = storedRequests(storePath).find((r) => r.id === requestId);
        return request && ['sent', 'needs_attention', 'failed'].includes(request.state)
          ? request.state
          : undefined;
      }, `${requestId} to settle after the restart`);

      const sent = (await simulatorState(sim.url)).sms.filter((s) =>
        s.number.endsWith('7400123456'),
      );
      assert.ok(sent.length <= 1, `${sent.length} SMS after a crash at ${step}`);
      assert.ok(['sent', 'needs_attention'].includes(final), `ended ${final}`);
      if (index < IRREVERSIBLE_FROM) {
        assert.equal(final, 'sent', 'nothing irreversible had happened, so it was finished');
        assert.equal(sent.length, 1);
      }
      if (final === 'sent') assert.equal(sent.length, 1, 'sent means Duo sent it');
    });
  }
});
