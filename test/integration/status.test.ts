/**
 * "status <contractor>" on the running app: the in-process Duo simulator and the sample directory.
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import pino from 'pino';
import sinon from 'sinon';
import { startApp, type RunningApp } from '../../adapters/app.js';
import type { ChatUser } from '../../bot/ports.js';
import { loadConfig } from '../../src/config/index.js';
import { ALEX, teamsConversation } from '../e2e/bulk-fixture.js';
import { startFakeConnector, type FakeConnector } from '../support/fakeConnector.js';
import { tempDataDir } from '../support/app.js';

describe('Status of a contractor', () => {
  let connector: FakeConnector;
  let app: RunningApp;

  beforeEach(async () => {
    connector = await startFakeConnector();
    const config = loadConfig({
      PORT: '0',
      STORE_PATH: path.join(tempDataDir(), 'enrolbot.json'),
      DUO_MAX_CALLS_PER_MINUTE: '6000',
    });
    app = await startApp(config, { logger: pino({ level: 'silent' }) });
  });

  afterEach(async () => {
    sinon.restore();
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

  it('lists each request once and reads the store once when the name is the username', async () => {
    const [made] = await say(ALEX, 'enrol contractor jdoe by sms');
    const id = /REQ-\d+/.exec(made?.text ?? JSON.stringify(made))?.[0] ?? assert.fail('no id');
    const byContractor = sinon.spy(app.core.store, 'byContractor');

    const [reply] = await say(ALEX, 'status JDoe');

    const sections = reply?.card?.kind === 'info' ? reply.card.sections : assert.fail('no card');
    assert.deepEqual(
      sections.filter((s) => s.heading === id).map((s) => s.heading),
      [id],
    );
    assert.equal(byContractor.callCount, 1);
  });

  it("shows Duo's view to approvers and to the requester, not to any colleague", async () => {
    const adele: ChatUser = {
      platform: 'teams',
      platformUserId: '29:adele',
      displayName: 'Adele Vance',
      userPrincipalName: 'adelev@example.com',
    };
    const duoLines = async (user: ChatUser, who: string) => {
      const [reply] = await say(user, `status ${who}`);
      const card = reply?.card?.kind === 'info' ? reply.card : assert.fail('no card');

      return card.sections.find((s) => s.heading === "Duo's live view")?.lines.join(' ') ?? '';
    };

    // Alex is an approver: he sees Duo's view of anyone.
    assert.match(await duoLines(ALEX, 'bwong'), /Duo has no user bwong|Duo user bwong/);
    // Adele is neither an approver nor bwong's requester.
    const seen = await duoLines(adele, 'bwong');
    assert.doesNotMatch(seen, /Duo (has no )?user/);
    assert.match(seen, /Shown to approvers, and to whoever asked for this contractor/);

    // Once she has asked for a contractor, she sees that one's view.
    await say(adele, 'enrol contractor cdavis by email');
    assert.match(await duoLines(adele, 'cdavis'), /Duo has no user cdavis|Duo user cdavis/);
  });
});
