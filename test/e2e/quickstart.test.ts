/**
 * The README's first command, `npm start`, exactly: it compiles with tsc into dist/ and runs the
 * JavaScript with node on the embedded defaults (sample directory, built-in Duo simulator). The
 * compiled bot must find its card templates and the sample directory, answer a chat message, and
 * stop cleanly on SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  startFakeConnector,
  type FakeConnector,
  type TeamsMember,
} from '../support/fakeConnector.js';
import { messageActivity, PEOPLE } from '../support/teams.js';
import { eventually } from './crash-helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('npm start (the compiled build)', function () {
  this.timeout(120_000);
  let dir: string;
  let connector: FakeConnector;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'enrolbot-quickstart-'));
    connector = await startFakeConnector();
    connector.members.set(PEOPLE.alex.id, PEOPLE.alex as TeamsMember);
  });
  after(async () => {
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds, starts on the embedded defaults, answers a message and stops on SIGTERM', async () => {
    // No .env and no Duo, directory or chat variables: the zero-config demo.
    const child = spawn('npm', ['start'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: '0',
        STORE_PATH: path.join(dir, 'enrolbot.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    // 'close', not 'exit': node, which npm started, holds the pipes until it has stopped.
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));

    try {
      const url = await eventually(
        () => /listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/messages/.exec(out)?.[1],
        `the bot to listen; output so far:\n${out}`,
        90_000,
      );
      assert.match(out, /sandbox: Duo simulator/);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);

      const activity = messageActivity(connector.url, PEOPLE.alex, 'status jdoe');
      const res = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      assert.equal(res.status, 200);
      const reply = await connector.waitFor((c) => c.method === 'POST');
      // The status card, rendered from its template, about the sample directory's John Doe.
      assert.match(JSON.stringify(reply.body), /Status of John Doe/);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
    }
    // npm passes SIGTERM on to node, which stops cleanly.
    await exited;
    assert.match(out, /enrolbot_stopped/);
  });
});
