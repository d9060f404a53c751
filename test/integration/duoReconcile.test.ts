import assert from 'node:assert/strict';
import type { DuoAdminClient } from '../../src/duo/client.js';
import { duoView, enrolByEmail, enrolBySms, reconcileSend } from '../../src/duo/enrol.js';
import type { DuoSimulator } from '../../src/duo/simulator/index.js';
import { DuoUnavailableError } from '../../src/errors.js';
import type { SendProgress } from '../../src/workflow/types.js';
import { simulatorWithClient } from './duoHelpers.js';

const NOW = new Date('2030-01-10T12:00:00Z');
const UK = '+447700900123';

describe('Duo reconciliation of a request stuck in sending', () => {
  let sim: DuoSimulator;
  let duo: DuoAdminClient;
  let last: SendProgress;

  const deps = () => ({
    duo,
    now: () => NOW,
    record: async (p: SendProgress) => {
      last = p;
    },
  });

  beforeEach(async () => {
    ({ sim, duo } = await simulatorWithClient());
    last = {};
  });
  afterEach(() => sim.stop());

  it('resumes when the SMS was never started, and the resumed send sends once', async () => {
    sim.injectFailure({ path: '/admin/v1/phones', method: 'POST', kind: 'http500', apply: true });
    await assert.rejects(enrolBySms(deps(), { username: 'jdoe', phone: UK, validSecs: 600 }));
    assert.equal(last.sendStartedAt, undefined);

    const verdict = await reconcileSend(duo, { method: 'sms', username: 'jdoe', phone: UK }, last);
    assert.equal(verdict.outcome, 'resume');

    const done = await enrolBySms(deps(), { username: 'jdoe', phone: UK, validSecs: 600 }, last);
    assert.equal(done.createdUser, true);
    assert.equal(done.attachedPhone, true);
    assert.equal(sim.model.state.phones.length, 1);
    assert.equal(sim.model.state.sms.length, 1);
  });

  it('needs attention when the SMS call timed out and may have gone out, and never resends', async () => {
    sim.injectFailure({ path: '/admin/v1/phones/*', method: 'POST', kind: 'hang', apply: true });
    await assert.rejects(
      enrolBySms(deps(), { username: 'jdoe', phone: UK, validSecs: 600 }),
      DuoUnavailableError,
    );
    assert.ok(last.sendStartedAt && !last.sentAt);

    const verdict = await reconcileSend(duo, { method: 'sms', username: 'jdoe', phone: UK }, last);
    assert.equal(verdict.outcome, 'needs_attention');
    await assert.rejects(enrolBySms(deps(), { username: 'jdoe', phone: UK, validSecs: 600 }, last));
    assert.equal(sim.model.state.sms.length, 1);
  });

  it('calls it activated when the in-doubt SMS was in fact used', async () => {
    sim.injectFailure({ path: '/admin/v1/phones/*', method: 'POST', kind: 'reset', apply: true });
    await assert.rejects(enrolBySms(deps(), { username: 'jdoe', phone: UK, validSecs: 600 }));
    sim.model.activatePhone(last.phoneId ?? '');

    const verdict = await reconcileSend(duo, { method: 'sms', username: 'jdoe', phone: UK }, last);
    assert.equal(verdict.outcome, 'activated');
  });

  it('does not count an activation on a phone that is not the contractor’s', async () => {
    const other = sim.model.addUser({ username: 'other' });
    const phone = sim.model.addPhone({ number: UK, type: 'mobile', platform: 'apple ios' });
    sim.model.attach(other.user_id, phone.phone_id);
    sim.model.activatePhone(phone.phone_id);

    const progress = { sendStartedAt: NOW.toISOString(), phoneId: phone.phone_id };
    const verdict = await reconcileSend(
      duo,
      { method: 'sms', username: 'jdoe', phone: UK },
      progress,
    );
    assert.equal(verdict.outcome, 'needs_attention');
  });

  it('reports sent, then activated, once sentAt was recorded', async () => {
    const done = await enrolBySms(deps(), { username: 'jdoe', phone: UK, validSecs: 600 });
    const input = { method: 'sms' as const, username: 'jdoe', phone: UK };
    assert.equal((await reconcileSend(duo, input, done)).outcome, 'sent');
    sim.model.activatePhone(done.phoneId ?? '');
    assert.equal((await reconcileSend(duo, input, done)).outcome, 'activated');
  });

  it('handles the e-mail route: in doubt needs attention unless Duo shows enrolment', async () => {
    sim.injectFailure({ path: '/admin/v1/users/enroll', kind: 'http500', apply: true });
    const input = { username: 'jdoe', email: 'jane@contractor.example', validSecs: 600 };
    await assert.rejects(enrolByEmail(deps(), input), DuoUnavailableError);
    const stuck = { ...last };
    const email = { method: 'email' as const, username: 'jdoe' };

    assert.equal((await reconcileSend(duo, email, stuck)).outcome, 'needs_attention');
    sim.model.completeEmailEnrolment('jdoe');
    assert.equal((await reconcileSend(duo, email, stuck)).outcome, 'activated');
    assert.equal(sim.model.state.emails.length, 1);
  });
});

describe('duoView', () => {
  let sim: DuoSimulator;
  let duo: DuoAdminClient;

  beforeEach(async () => {
    ({ sim, duo } = await simulatorWithClient());
  });
  afterEach(() => sim.stop());

  it('says when Duo has no user', async () => {
    const view = await duoView(duo, 'nobody');
    assert.equal(view.present, false);
    assert.equal(view.alreadyEnrolled, false);
  });

  it('reports an enrolled user with an activated phone', async () => {
    const user = sim.model.addUser({ username: 'jdoe', last_login: 1_900_000_000 });
    const phone = sim.model.addPhone({ number: UK, type: 'mobile', platform: 'apple ios' });
    sim.model.attach(user.user_id, phone.phone_id);
    sim.model.activatePhone(phone.phone_id);

    const view = await duoView(duo, 'jdoe', { directoryMobiles: [UK] });
    assert.equal(view.alreadyEnrolled, true);
    assert.equal(view.status, 'active');
    assert.deepEqual(view.phones, [{ number: UK, platform: 'apple ios', activated: true }]);
    assert.equal(view.lastLogin?.getTime(), 1_900_000_000_000);
    assert.match(view.findings[0] ?? '', /Already enrolled.*…0123/);
    assert.ok(!view.findings.join(' ').includes('7700900123'), 'numbers are masked in findings');
  });

  it('explains bypass, an unknown platform and a sync that imports no phones', async () => {
    sim.model.addUser({ username: 'bp', status: 'bypass' });
    const bypass = await duoView(duo, 'bp', { directoryMobiles: [UK] });
    assert.equal(bypass.isEnrolled, false);
    assert.match(bypass.statusWarning ?? '', /skips MFA entirely/);
    assert.ok(bypass.findings.some((f) => /not importing phones/.test(f)));

    const user = sim.model.addUser({ username: 'unk', status: 'locked out' });
    const phone = sim.model.addPhone({ number: UK });
    sim.model.attach(user.user_id, phone.phone_id);
    const unknown = await duoView(duo, 'unk');
    assert.ok(unknown.findings.some((f) => /platform "unknown".*activation would fail/.test(f)));
    assert.match(unknown.statusWarning ?? '', /locked this user out/);
  });
});
