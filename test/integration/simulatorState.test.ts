import { strict as assert } from 'node:assert';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startTestApp, tempDataDir } from '../support/app.js';

describe("the sandbox Duo simulator's saved state", () => {
  it('stops the start with the file named when the state file is damaged', async () => {
    const dataDir = tempDataDir('enrolbot-simstate-');
    const file = path.join(dataDir, 'duo-simulator.json');
    writeFileSync(file, '{"users": [');

    await assert.rejects(
      startTestApp({}, dataDir),
      (err: Error) =>
        err.message.includes(`${file} cannot be read`) && /delete it/.test(err.message),
    );
  });

  it('is readable by its owner only: it holds full phone numbers', async () => {
    const app = await startTestApp();
    try {
      const user = await app.core.duo.createUser({ username: 'mode-check' });
      const phone = await app.core.duo.createPhone({
        number: '+447700900123',
        type: 'mobile',
        platform: 'generic smartphone',
      });
      await app.core.duo.attachPhone(user.user_id, phone.phone_id);
      await app.stop();
      const file = path.join(app.dataDir, 'duo-simulator.json');
      assert.equal(statSync(file).mode & 0o777, 0o600);
    } finally {
      await app.stop().catch(() => undefined);
    }
  });
});
