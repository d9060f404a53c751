import { strict as assert } from 'node:assert';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../../src/config/index.js';
import type { DuoAdmin } from '../../../src/duo/types.js';
import { RequestStore } from '../../../src/store/requestStore.js';
import type { WorkflowDeps } from '../../../src/workflow/deps.js';
import { runSend } from '../../../src/workflow/sender.js';
import type { SendProgress } from '../../../src/workflow/types.js';
import { fixedClock, sampleRequest, tempDir } from '../store/helpers.js';

/** A Duo that knows nobody: the send creates the user and the phone, then attaches and sends. */
function emptyDuo(): DuoAdmin {
  const answers: Record<string, unknown> = {
    findUserByUsername: undefined,
    createUser: { user_id: 'DU1', username: 'jdoe', phones: [] },
    findPhoneByNumber: undefined,
    createPhone: { phone_id: 'DP1', number: '+447700900123', type: 'mobile', platform: 'x' },
    attachPhone: undefined,
    sendSmsActivation: { valid_secs: 3600 },
  };

  return new Proxy({} as DuoAdmin, {
    get: (_target, name) => async () => answers[String(name)],
  });
}

describe('sender progress recording', () => {
  it('writes what Duo cannot show again before going on, and sentAt with the move to sent', async () => {
    const { dir, cleanup } = await tempDir();
    const store = await RequestStore.open(path.join(dir, 'enrolbot.json'), fixedClock());
    const created = await store.create(sampleRequest('jdoe', { state: 'approved' }));
    const sending = await store.transition(created.id, 'approved', 'sending');
    const written: SendProgress[] = [];
    const update = store.update.bind(store);
    store.update = async (id, mutate, expect) => {
      const next = await update(id, mutate, expect);
      written.push(next.progress);
      return next;
    };
    const deps = {
      config: loadConfig({}),
      store,
      duo: emptyDuo(),
      now: fixedClock().now,
      logger: pino({ level: 'silent' }),
      listener: async () => undefined,
    } as unknown as WorkflowDeps;

    const result = await runSend(deps, sending);

    assert.equal(result.kind, 'sent');
    assert.deepEqual(
      written.map((p) => Object.keys(p).sort()),
      [
        ['createdUser', 'duoUserId'],
        ['attachedPhone', 'createdPhone', 'duoUserId', 'createdUser', 'phoneId'].sort(),
        ['attachedPhone', 'createdPhone', 'createdUser', 'duoUserId', 'phoneId', 'sendStartedAt'],
      ],
    );
    assert.ok(store.get(created.id)?.progress.sentAt, 'sentAt is stored with the move to sent');
    await store.close();
    await cleanup();
  });
});
