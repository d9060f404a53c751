import assert from 'node:assert/strict';
import pino from 'pino';
import sinon from 'sinon';
import { SlackUsers } from '../../../../adapters/slack/users.js';

function client(info: sinon.SinonStub) {
  return { users: { info } } as never;
}

const profile = (extra: Record<string, unknown> = {}) => ({
  user: {
    id: 'U1',
    team_id: 'T1',
    name: 'megan',
    profile: { display_name: 'Megan', email: 'meganb@example.com' },
    ...extra,
  },
});

describe('adapters/slack/users', () => {
  const logger = pino({ level: 'silent' });

  it('resolves the profile e-mail and caches the answer for a while', async () => {
    const info = sinon.stub().resolves(profile());
    let now = 0;
    const users = new SlackUsers({ client: client(info), logger, now: () => now, ttlMs: 1000 });

    const first = await users.resolve('U1', 'T1');
    await users.resolve('U1', 'T1');
    assert.deepEqual(first, {
      platform: 'slack',
      platformUserId: 'U1',
      displayName: 'Megan',
      email: 'meganb@example.com',
    });
    assert.equal(info.callCount, 1);

    now = 1001;
    await users.resolve('U1', 'T1');
    assert.equal(info.callCount, 2);
  });

  it('gives no e-mail for people of another workspace, strangers, bots or deleted accounts', async () => {
    for (const [extra, team] of [
      [{ team_id: 'T2' }, 'T1'],
      [{ is_stranger: true }, 'T1'],
      [{ is_bot: true }, 'T1'],
      [{ deleted: true }, 'T1'],
    ] as const) {
      const users = new SlackUsers({
        client: client(sinon.stub().resolves(profile(extra))),
        logger,
      });
      assert.equal((await users.resolve('U1', team)).email, undefined, JSON.stringify(extra));
    }
  });

  it('gives no e-mail when users.info fails, and asks again next time', async () => {
    const info = sinon.stub().rejects(new Error('missing_scope'));
    const users = new SlackUsers({ client: client(info), logger });

    assert.equal((await users.resolve('U1')).email, undefined);
    await users.resolve('U1');
    assert.equal(info.callCount, 2);
  });
});
