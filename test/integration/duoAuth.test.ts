import assert from 'node:assert/strict';
import { DuoAuthClient } from '../../src/duo/authClient.js';
import { startDuoSimulator, type DuoSimulator } from '../../src/duo/simulator/index.js';
import { DuoAuthError, DuoBadRequestError } from '../../src/errors.js';

const API_HOST = 'api-sim.duosecurity.test';
const creds = { ikey: 'DIADMINADMINADMINADM', skey: 'admin-secret-admin-secret-admin-secret-00' };
const authCreds = {
  ikey: 'DIAUTHAUTHAUTHAUTHAU',
  skey: 'auth-secret-auth-secret-auth-secret-0000',
};

describe('DuoAuthClient push approval against the simulator', () => {
  let sim: DuoSimulator;
  let duo: DuoAuthClient;

  beforeEach(async () => {
    sim = await startDuoSimulator({
      ...creds,
      authIkey: authCreds.ikey,
      authSkey: authCreds.skey,
      apiHost: API_HOST,
    });
    const user = sim.model.addUser({ username: 'approver1' });
    const phone = sim.model.addPhone({
      number: '+447700900999',
      type: 'mobile',
      platform: 'apple ios',
    });
    sim.model.attach(user.user_id, phone.phone_id);
    sim.model.activatePhone(phone.phone_id);
    duo = new DuoAuthClient({ ...authCreds, host: API_HOST, baseUrl: sim.url, timeoutMs: 2000 });
  });
  afterEach(() => sim.stop());

  it('preauth says auth for an activated user and enroll for an unknown one', async () => {
    await duo.check();
    const pre = await duo.preauth('approver1');
    assert.equal(pre.result, 'auth');
    assert.equal(pre.devices?.length, 1);
    assert.equal((await duo.preauth('stranger')).result, 'enroll');
  });

  for (const [outcome, result, status] of [
    ['allow', 'allow', 'allow'],
    ['deny', 'deny', 'deny'],
    ['timeout', 'deny', 'timeout'],
  ] as const) {
    it(`reports a push that ends in ${outcome}`, async () => {
      sim.setPushOutcome(outcome, 1);
      const txid = await duo.auth({ username: 'approver1', factor: 'push', async: true });

      assert.deepEqual(await duo.authStatus(txid).then((s) => s.result), 'waiting');
      const final = await duo.authStatus(txid);
      assert.equal(final.result, result);
      assert.equal(final.status, status);
    });
  }

  it('refuses a push to someone without a device', async () => {
    sim.model.addUser({ username: 'nodevice' });
    await assert.rejects(
      duo.auth({ username: 'nodevice', factor: 'push', async: true }),
      DuoBadRequestError,
    );
  });

  it('refuses the Admin credentials on the Auth API', async () => {
    const wrong = new DuoAuthClient({ ...creds, host: API_HOST, baseUrl: sim.url });
    await assert.rejects(wrong.preauth('approver1'), DuoAuthError);
  });
});
