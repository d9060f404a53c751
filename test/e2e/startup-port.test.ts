/**
 * Start-up on a taken port: a clear error naming host and port, and everything opened before the
 * bind (store and its lock, audit log, Duo simulator) closed again, so the next start succeeds.
 */
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { EnrolBotError } from '../../src/errors.js';
import { startTestApp, tempDataDir } from '../support/app.js';

describe('Start-up when the port is taken', () => {
  let blocker: Server;
  let port: number;

  beforeEach(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as AddressInfo).port;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  });

  it('refuses with the host and port, then starts on a free port with the same store', async () => {
    const dataDir = tempDataDir();

    const failure = await startTestApp({ PORT: String(port) }, dataDir).then(
      async (app) => {
        await app.stop();
        assert.fail('the app started on a taken port');
      },
      (err: unknown) => err,
    );
    assert.ok(failure instanceof EnrolBotError, String(failure));
    assert.equal(failure.code, 'port_in_use');
    assert.equal(
      failure.message,
      `port ${port} on 127.0.0.1 is already in use (is another enrolbot running?); ` +
        'set PORT to another port',
    );

    // Same store path: this start would fail on the store's lock if the first had left it.
    const app = await startTestApp({}, dataDir);
    try {
      assert.notEqual(new URL(app.url).port, String(port));
      assert.equal((await fetch(`${app.url}/healthz`)).status, 200);
    } finally {
      await app.stop();
    }
  });
});
