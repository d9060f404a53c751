import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
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
});
