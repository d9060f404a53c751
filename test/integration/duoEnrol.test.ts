import assert from 'node:assert/strict';
import type { DuoAdminClient } from '../../src/duo/client.js';
import { enrolByEmail, enrolBySms, type EnrolDeps } from '../../src/duo/enrol.js';
import type { DuoSimulator } from '../../src/duo/simulator/index.js';
import { AccountExpiringError, PhoneOwnedByOtherUserError } from '../../src/errors.js';
import type { SendProgress } from '../../src/workflow/types.js';
import { simulatorWithClient } from './duoHelpers.js';

const NOW = new Date('2030-01-10T12:00:00Z');
const UK = '+447700900123';

describe('Duo enrolment routes against the simulator', () => {
  let sim: DuoSimulator;
  let duo: DuoAdminClient;
  let recorded: SendProgress[];
  let deps: EnrolDeps;

  const start = async (extra = {}): Promise<void> => {
    ({ sim, duo } = await simulatorWithClient(extra));
    recorded = [];
    deps = {
      duo,
      now: () => NOW,
      record: async (p) => {
        // What was sent at the moment each step is persisted proves the ordering.
        recorded.push({ ...p, enrolCode: p.enrolCode ?? String(sim.model.state.sms.length) });
      },
    };
  };
  afterEach(() => sim.stop());

  describe('SMS', () => {
    beforeEach(() => start());

    it('creates an active user and a generic smartphone, then sends exactly one SMS', async () => {
      const p = await enrolBySms(deps, {
        username: 'jdoe',
        realname: 'Jane Doe',
        phone: UK,
        validSecs: 86400,
      });

      const [user] = sim.model.findUsers('jdoe');
      assert.equal(user?.status, 'active');
      const [phone] = sim.model.findPhones(UK);
      assert.deepEqual([phone?.type, phone?.platform], ['mobile', 'generic smartphone']);
      assert.deepEqual(user?.phone_ids, [phone?.phone_id]);
      assert.deepEqual(
        sim.model.state.sms.map((s) => [s.number, s.install, s.valid_secs]),
        [[UK, true, 86400]],
      );
      assert.equal(p.createdUser, true);
      assert.equal(p.createdPhone, true);
      assert.equal(p.attachedPhone, true);
      assert.equal(p.sentAt, NOW.toISOString());
      assert.equal(p.validUntil, '2030-01-11T12:00:00.000Z');
    });

    it('records sendStartedAt before the SMS and sentAt after it', async () => {
      await enrolBySms(deps, { username: 'jdoe', phone: UK, validSecs: 600 });

      const started = recorded.find((r) => r.sendStartedAt && !r.sentAt);
      assert.equal(started?.enrolCode, '0', 'no SMS had been sent when sendStartedAt was stored');
      assert.equal(recorded.at(-1)?.enrolCode, '1');
      assert.ok(recorded.findIndex((r) => r.phoneId) < recorded.indexOf(started!));
    });

    it('finds an existing user by alias and reuses their own phone, fixing an unknown platform', async () => {
      const user = sim.model.addUser({
        username: 'JDOE01',
        aliases: { alias1: 'jdoe@example.com' },
      });
      const phone = sim.model.addPhone({ number: UK, type: 'mobile', platform: 'unknown' });
      sim.model.attach(user.user_id, phone.phone_id);

      const p = await enrolBySms(deps, {
        username: 'jdoe',
        aliases: ['jdoe@example.com'],
        phone: UK,
        validSecs: 600,
        install: false,
      });

      assert.equal(sim.model.state.users.length, 1);
      assert.equal(sim.model.state.phones.length, 1);
      assert.equal(p.duoUserId, user.user_id);
      assert.equal(p.createdUser, undefined);
      assert.equal(p.attachedPhone, undefined);
      assert.equal(phone.platform, 'generic smartphone');
      assert.deepEqual(
        sim.model.state.sms.map((s) => s.install),
        [false],
      );
    });

    it('refuses a phone that belongs to another Duo user, and sends nothing', async () => {
      const other = sim.model.addUser({ username: 'someone.else' });
      const phone = sim.model.addPhone({ number: UK, type: 'mobile', platform: 'apple ios' });
      sim.model.attach(other.user_id, phone.phone_id);

      await assert.rejects(
        enrolBySms(deps, { username: 'jdoe', phone: UK, validSecs: 600 }),
        (e) => e instanceof PhoneOwnedByOtherUserError && e.ownerUsernames[0] === 'someone.else',
      );
      assert.equal(sim.model.state.sms.length, 0);
      assert.deepEqual(
        sim.model.phoneUsers(phone.phone_id).map((u) => u.username),
        ['someone.else'],
      );
      assert.ok(recorded.every((r) => !r.sendStartedAt));
    });

    it('attaches a phone that exists with no user', async () => {
      const phone = sim.model.addPhone({ number: UK, type: 'mobile', platform: 'google android' });
      const p = await enrolBySms(deps, { username: 'jdoe', phone: UK, validSecs: 600 });

      assert.equal(p.phoneId, phone.phone_id);
      assert.equal(p.attachedPhone, true);
      assert.equal(p.createdPhone, undefined);
      assert.deepEqual(
        sim.model.phoneUsers(phone.phone_id).map((u) => u.username),
        ['jdoe'],
      );
      assert.equal(sim.model.state.sms.length, 1);
    });

    it('caps the link lifetime at the account expiry', async () => {
      const expiresAt = new Date(NOW.getTime() + 3600_000);
      const p = await enrolBySms(deps, {
        username: 'jdoe',
        phone: UK,
        validSecs: 86400,
        expiresAt,
      });
      assert.equal(sim.model.state.sms[0]?.valid_secs, 3600);
      assert.equal(p.validUntil, expiresAt.toISOString());
    });

    it('refuses, before touching Duo, when the account expires within a minute', async () => {
      const expiresAt = new Date(NOW.getTime() + 59_000);
      await assert.rejects(
        enrolBySms(deps, { username: 'jdoe', phone: UK, validSecs: 86400, expiresAt }),
        AccountExpiringError,
      );
      assert.equal(sim.model.state.users.length, 0);
      assert.equal(sim.model.state.sms.length, 0);
    });

    it('refuses to run again on a send that is in doubt or done', async () => {
      for (const previous of [
        { sendStartedAt: NOW.toISOString() },
        { sentAt: NOW.toISOString() },
      ]) {
        await assert.rejects(
          enrolBySms(deps, { username: 'j', phone: UK, validSecs: 60 }, previous),
        );
      }
      assert.equal(sim.model.state.sms.length, 0);
    });
  });

  describe('SMS with DUO_DIRECTORY_KEY', () => {
    beforeEach(() =>
      start({
        directoryKey: 'DDSIMKEY',
        directory: [{ username: 'jdoe', realname: 'Jane Doe', email: 'jane@contractor.example' }],
      }),
    );

    it('syncs a missing user from the directory instead of creating it', async () => {
      const p = await enrolBySms(deps, {
        username: 'jdoe',
        phone: UK,
        validSecs: 600,
        directoryKey: 'DDSIMKEY',
      });
      assert.equal(p.syncedUser, true);
      assert.equal(p.createdUser, undefined);
      const [user] = sim.model.findUsers('jdoe');
      assert.equal(user?.email, 'jane@contractor.example');
      assert.ok(user?.last_directory_sync);
      assert.equal(sim.model.state.sms.length, 1);
    });

    it('fails without sending when the directory does not know the user', async () => {
      await assert.rejects(
        enrolBySms(deps, {
          username: 'ghost',
          phone: UK,
          validSecs: 600,
          directoryKey: 'DDSIMKEY',
        }),
      );
      assert.equal(sim.model.state.users.length, 0);
      assert.equal(sim.model.state.sms.length, 0);
    });
  });

  describe('e-mail', () => {
    beforeEach(() => start());

    it('sends one enrolment e-mail to the directory address, capped at the account expiry', async () => {
      const expiresAt = new Date(NOW.getTime() + 2 * 86400_000);
      const p = await enrolByEmail(deps, {
        username: 'jdoe',
        email: 'jane@contractor.example',
        validSecs: 7 * 86400,
        expiresAt,
      });

      assert.deepEqual(
        sim.model.state.emails.map((e) => [e.username, e.email, e.valid_secs]),
        [['jdoe', 'jane@contractor.example', 2 * 86400]],
      );
      assert.equal(p.enrolCode, sim.model.state.emails[0]?.code);
      assert.equal(p.validUntil, expiresAt.toISOString());
      assert.ok(recorded.some((r) => r.sendStartedAt && !r.sentAt));
    });

    it('enrols an existing, unenrolled user under their Duo username', async () => {
      const user = sim.model.addUser({ username: 'JDOE01', aliases: { alias1: 'jdoe' } });
      const p = await enrolByEmail(deps, {
        username: 'jdoe',
        email: 'jane@contractor.example',
        validSecs: 600,
      });
      assert.equal(p.duoUserId, user.user_id);
      assert.equal(sim.model.state.emails[0]?.username, 'JDOE01');
    });
  });
});
