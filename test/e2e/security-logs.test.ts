/**
 * Everything the running app logs, captured while it goes through failure paths (Duo 500, HTML
 * pages, hangs, resets and 429 storms, a wrong Duo secret, both directories down, a refused Bot
 * Framework call), then searched for every configured secret and for readable numbers or e-mails.
 */
import { strict as assert } from 'node:assert';
import type { RunningApp } from '../../adapters/app.js';
import { ACTION_VERBS } from '../../cards/views.js';
import { startDuoSimulator } from '../../src/duo/simulator/index.js';
import { startFakeConnector, type FakeConnector } from '../support/fakeConnector.js';
import { messageActivity, PEOPLE, postActivity } from '../support/teams.js';
import {
  askFor,
  capturingLogger,
  click,
  EVERYONE,
  lastPosted,
  startSecureApp,
} from './security-helpers.js';

const SECRETS = {
  DUO_SKEY: 'duo-admin-secret-0123456789abcdefghijklmnop',
  DUO_AUTH_SKEY: 'duo-auth-secret-0123456789abcdefghijklmnopq',
  LDAP_BIND_PASSWORD: 'ldap-bind-P4ssw0rd-never-logged',
  GRAPH_CLIENT_SECRET: 'graph~client~secret~never~logged~42',
  MICROSOFT_APP_PASSWORD: 'bot-framework-app-password-never-logged',
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-never-logged-slack-token',
  SLACK_SIGNING_SECRET: 'slack-signing-secret-never-logged-0001',
};
const SLACK = {
  SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN,
  SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET,
};
/** Numbers and addresses of the sample directory that the flows below touch. */
const PERSONAL = [
  '7400123456',
  '7400 123456',
  '07400 123456',
  'jdoe@contractorco.example',
  'alexw@example.com',
  'meganb@example.com',
];

describe('Security: logs never carry secrets or readable personal data', () => {
  const capture = capturingLogger();
  let connector: FakeConnector;
  let app: RunningApp | undefined;

  before(async () => {
    connector = await startFakeConnector();
    for (const person of EVERYONE) connector.members.set(person.id, person);
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  after(async () => {
    await connector.close();
    const text = capture.text();
    assert.ok(text.length > 2000, 'the failure paths were logged');
    for (const [name, secret] of Object.entries(SECRETS)) {
      assert.ok(!text.includes(secret), `${name} appears in the log`);
      assert.ok(!text.includes(secret.slice(0, 16)), `part of ${name} appears in the log`);
    }
    for (const value of PERSONAL) assert.ok(!text.includes(value), `${value} appears in the log`);
    const emails = text.match(/[A-Za-z0-9._%+-]{2,}@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+/g) ?? [];
    assert.deepEqual(emails, [], 'unmasked e-mail addresses');
    const withoutNumbers = text
      .replace(/"(pid|time|ms|wait_ms|version|port)":[\d.]+/g, '')
      .replace(/\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?/g, '');
    const numbers = withoutNumbers.match(/(?<![A-Za-z0-9])\+?\d(?:[ -]?\d){7,}/g) ?? [];
    assert.deepEqual(numbers, [], 'phone-like digit runs');
  });

  it('Duo failing in every way on the sandbox (500, HTML, hang, reset, 429 storm)', async () => {
    app = await startSecureApp(
      {
        DUO_AUTH_HOST: 'api-auth.duosecurity.test',
        DUO_AUTH_IKEY: 'DIAUTHAPPLICATION001',
        DUO_AUTH_SKEY: SECRETS.DUO_AUTH_SKEY,
        DUO_TIMEOUT_MS: '200',
        ...SLACK,
      },
      {
        logger: capture.logger,
        duoOptions: { backoffMs: [0, 0], sleep: async () => {} },
        stepUp: { sleep: async () => {}, pollMs: 1 },
      },
    );
    const sim = app.core.simulator!;
    const megan = sim.model.addUser({ username: 'meganb' });
    const phone = sim.model.addPhone({ number: '+15555550100', activated: true });
    sim.model.attach(megan.user_id, phone.phone_id);

    for (const kind of ['http500', 'html', 'hang', 'reset'] as const) {
      sim.injectFailure({ path: '/admin/v1/users', method: 'GET', kind });
      await postActivity(
        app.url,
        messageActivity(connector.url, PEOPLE.alex, 'enrol contractor jdoe by sms'),
      );
      assert.match(lastPosted(connector), /Duo could not be asked/);
    }

    const { requestId } = await askFor(app, connector);
    sim.injectFailure({ path: '/auth/v2/preauth', kind: 'html' });
    const refused = await click(app, connector, PEOPLE.megan, ACTION_VERBS.approve, requestId);
    assert.match(refused.text, /Duo could not start the push/);

    sim.injectFailure({ path: '/admin/v1/phones/*', method: 'POST', kind: 'reset', apply: true });
    await click(app, connector, PEOPLE.megan, ACTION_VERBS.approve, requestId);
    await app.bot.workflow.stepUp!.idle();
    await app.bot.idle();
    assert.match(app.core.store.get(requestId)!.state, /needs_attention|failed|sent/);

    sim.setRateLimit({ calls: 0 });
    await postActivity(
      app.url,
      messageActivity(connector.url, PEOPLE.alex, 'enrol contractor clee by sms'),
    );
    assert.match(lastPosted(connector), /Duo could not be asked/);
    sim.setRateLimit(null);
  });

  it('a wrong Duo secret key', async () => {
    const sim = await startDuoSimulator({
      ikey: 'DIWRONGSKEYTEST00001',
      skey: 'the-right-secret-key-0123456789abcdefghij',
      apiHost: 'api-sim.duosecurity.test',
    });
    try {
      app = await startSecureApp(
        {
          DUO_API_HOST: 'api-sim.duosecurity.test',
          DUO_API_URL: sim.url,
          DUO_IKEY: 'DIWRONGSKEYTEST00001',
          DUO_SKEY: SECRETS.DUO_SKEY,
          ...SLACK,
        },
        { logger: capture.logger },
      );
      await postActivity(
        app.url,
        messageActivity(connector.url, PEOPLE.alex, 'enrol contractor jdoe by sms'),
      );
      assert.match(lastPosted(connector), /Duo could not be asked/);
      const ready = await fetch(`${app.url}/readyz`);
      assert.equal(ready.status, 503);
    } finally {
      await app?.stop();
      app = undefined;
      await sim.stop();
    }
  });

  it('both directories down', async function () {
    // The real Graph credential retries its token request for several seconds before giving up.
    this.timeout(60_000);
    app = await startSecureApp(
      {
        DIRECTORY: 'ldap,graph',
        LDAP_URL: 'ldap://127.0.0.1:1',
        LDAP_BIND_DN: 'CN=svc-enrolbot,OU=Service,DC=corp,DC=example',
        LDAP_BIND_PASSWORD: SECRETS.LDAP_BIND_PASSWORD,
        LDAP_BASE_DN: 'DC=corp,DC=example',
        LDAP_TIMEOUT_MS: '300',
        GRAPH_TENANT_ID: 'tenant-1',
        GRAPH_CLIENT_ID: 'client-1',
        GRAPH_CLIENT_SECRET: SECRETS.GRAPH_CLIENT_SECRET,
        GRAPH_BASE_URL: 'https://127.0.0.1:1',
        GRAPH_AUTHORITY_HOST: 'https://127.0.0.1:1',
        GRAPH_TIMEOUT_MS: '300',
        CONTRACTOR_GROUP: 'CN=Contractors,DC=corp,DC=example;group-1',
        APPROVER_GROUP: 'CN=Approvers,DC=corp,DC=example;group-2',
        ...SLACK,
      },
      { logger: capture.logger },
    );
    await postActivity(
      app.url,
      messageActivity(connector.url, PEOPLE.alex, 'enrol contractor jdoe by sms'),
    );
    assert.match(lastPosted(connector), /directory|reach/i);
    const click1 = await click(app, connector, PEOPLE.megan, ACTION_VERBS.approve, 'REQ-1');
    assert.equal(click1.status, 200);
    assert.equal((await fetch(`${app.url}/readyz`)).status, 503);
  });

  it('a Bot Framework call refused for want of a token', async () => {
    app = await startSecureApp(
      {
        MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555',
        MICROSOFT_APP_PASSWORD: SECRETS.MICROSOFT_APP_PASSWORD,
        ...SLACK,
      },
      { logger: capture.logger },
    );
    const res = await postActivity(
      app.url,
      messageActivity(connector.url, PEOPLE.alex, 'enrol contractor jdoe by sms'),
    );
    assert.equal(res.status, 401);
  });
});
