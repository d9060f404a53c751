/**
 * Issue 3: the end-to-end flow of issue 2 with DIRECTORY=ldap against the Samba AD domain
 * controller the tests start: people are resolved by their Teams UPN, groups and the manager of
 * record come from AD.
 */
import { strict as assert } from 'node:assert';
import type { RunningApp } from '../../adapters/app.js';
import { ACTION_VERBS } from '../../cards/views.js';
import { startTestApp } from '../support/app.js';
import { startFakeConnector, textOf, type FakeConnector } from '../support/fakeConnector.js';
import { startSamba, type SambaDc } from '../support/samba.js';
import { invokeActivity, messageActivity, postActivity, type Person } from '../support/teams.js';

const JANE: Person = {
  id: '29:jane',
  name: 'Jane Smith',
  aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000001',
  userPrincipalName: 'jsmith@corp.test',
  email: 'jane.smith@corp.test',
};
const ZOE: Person = {
  id: '29:zoe',
  name: 'Zoë Ødegård',
  aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000002',
  userPrincipalName: 'zodegard@corp.test',
  email: 'zoe@corp.test',
};

describe('Teams end to end with DIRECTORY=ldap (Samba AD)', function () {
  this.timeout(120_000);
  let dc: SambaDc;
  let connector: FakeConnector;
  let app: RunningApp;

  before(async () => {
    dc = await startSamba();
  });

  beforeEach(async () => {
    connector = await startFakeConnector();
    for (const p of [JANE, ZOE]) connector.members.set(p.id, p);
    app = await startTestApp({
      DIRECTORY: 'ldap',
      LDAP_URL: dc.url,
      LDAP_BIND_DN: dc.bindDn,
      LDAP_BIND_PASSWORD: dc.bindPassword,
      LDAP_BASE_DN: dc.baseDn,
      CONTRACTOR_GROUP: dc.seeded.groups.contractors,
      APPROVER_GROUP: dc.seeded.groups.approvers,
      REQUESTER_GROUP: dc.seeded.groups.managers,
    });
  });

  afterEach(async () => {
    await app.stop();
    await connector.close();
  });

  it('enrols an AD contractor by SMS after approval by an AD approver', async () => {
    await postActivity(
      app.url,
      messageActivity(connector.url, JANE, 'enrol contractor c.active by sms', { mention: true }),
    );
    const [request] = app.core.store.byContractor('c.active');
    assert.equal(request?.state, 'pending_approval', JSON.stringify(request?.checks));
    assert.equal(request.contractor.directory, 'ldap');
    assert.match(JSON.stringify(request.checks), /manager of record/);
    const cardId = (request.card!.ref as { activityId: string }).activityId;
    const convId = (request.card!.ref as { conversation: { id: string } }).conversation.id;

    const res = await postActivity(
      app.url,
      invokeActivity(connector.url, ZOE, ACTION_VERBS.approve, { requestId: request.id }, cardId, {
        id: convId,
        type: 'personal',
      }),
    );
    assert.equal(res.body?.type, 'application/vnd.microsoft.card.adaptive');
    await app.bot.idle();

    const model = app.core.simulator!.model;
    assert.equal(model.state.sms.length, 1);
    assert.equal(model.state.sms[0]!.number.replace(/^\+?/, '+'), '+447400123456');
    assert.equal(model.findUsers('c.active').length, 1, 'the Duo username is the sAMAccountName');
    assert.equal(app.core.store.get(request.id)?.state, 'sent');
    assert.ok(connector.posted().some((c) => /Duo sent the activation SMS/.test(textOf(c))));
  });

  for (const [who, reason] of [
    ['c.disabled', /disabled/],
    ['c.expired', /expired on 2020-01-01/],
    ['c.landline', /no mobile number.*telephoneNumber has a number/],
    ['jsmith', /not in the contractor group Contractors/],
  ] as const) {
    it(`refuses ${who} from AD with the reason`, async () => {
      await postActivity(
        app.url,
        messageActivity(connector.url, JANE, `enrol contractor ${who} by sms`),
      );
      assert.match(textOf(connector.posted().at(-1)!), reason);
      assert.equal(app.core.store.byContractor(who)[0]?.state, 'rejected');
    });
  }

  it('refuses a click by an AD user outside the approver group', async () => {
    await postActivity(
      app.url,
      messageActivity(connector.url, JANE, 'enrol contractor c.active by sms'),
    );
    const [request] = app.core.store.byContractor('c.active');
    const res = await postActivity(
      app.url,
      invokeActivity(connector.url, JANE, ACTION_VERBS.approve, { requestId: request!.id }),
    );
    assert.match(String(res.body?.value), /approver group/);
    assert.equal(app.core.store.get(request!.id)?.state, 'pending_approval');
  });
});
