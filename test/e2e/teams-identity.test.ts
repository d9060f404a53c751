/**
 * Without MICROSOFT_APP_ID (the local demo, or ALLOW_ANONYMOUS), requests are not authenticated,
 * so an activity's own `from.aadObjectId` proves nothing: the person is who the connector's member
 * look-up says, or nobody. A caller who points serviceUrl at a loopback port with no connector
 * behind it must not be able to act as an approver.
 */
import { strict as assert } from 'node:assert';
import type { RunningApp } from '../../adapters/app.js';
import { ACTION_VERBS } from '../../cards/views.js';
import { startTestApp } from '../support/app.js';
import { startFakeConnector, textOf, type FakeConnector } from '../support/fakeConnector.js';
import { invokeActivity, messageActivity, PEOPLE, postActivity } from '../support/teams.js';

describe('Teams identity without authentication', () => {
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

  /** Someone the connector does not know, claiming another person's directory object id. */
  const impostor = (claimed: (typeof PEOPLE)[keyof typeof PEOPLE]) => ({
    ...claimed,
    id: '29:nobody-knows-me',
    name: 'Nobody',
  });

  it('does not take an unconfirmed aadObjectId for the person', async () => {
    const res = await postActivity(
      app.url,
      messageActivity(connector.url, impostor(PEOPLE.alex), 'enrol contractor bwong by sms'),
    );
    assert.equal(res.status, 200);
    assert.equal(app.core.store.list().length, 0, 'nothing was requested');
    assert.match(textOf(connector.posted().at(-1)!), /will not act for you/);
  });

  it('does not let a claimed approver id approve, and nothing is sent', async () => {
    await postActivity(
      app.url,
      messageActivity(connector.url, PEOPLE.alex, 'enrol contractor jdoe by sms'),
    );
    const requestId = app.core.store.list()[0]?.id;
    assert.ok(requestId);

    const res = await postActivity(
      app.url,
      invokeActivity(connector.url, impostor(PEOPLE.megan), ACTION_VERBS.approve, { requestId }),
    );
    assert.equal(res.status, 200);
    assert.match(
      String((res.body as { value?: unknown } | undefined)?.value),
      /will not act for you/,
    );
    await app.bot.idle();
    assert.equal(app.core.store.get(requestId)?.state, 'pending_approval');
    assert.equal(app.core.simulator!.model.state.sms.length, 0);
  });
});
