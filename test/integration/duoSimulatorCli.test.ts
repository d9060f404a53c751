import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuoAdminClient } from '../../src/duo/client.js';
import type { SimState } from '../../src/duo/simulator/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(repoRoot, 'src/duo/simulator/cli.ts');
const creds = { ikey: 'DICLICLICLICLICLICLI', skey: 'cli-secret-cli-secret-cli-secret-cli-000' };

/** Start the CLI and wait for its "listening" line. */
function startCli(statePath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, '--state', statePath, '--ikey', creds.ikey, '--skey', creds.skey],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('duo_simulator_listening'));
      if (line) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.on('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
}

function stopCli(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function recorded(url: string): Promise<SimState> {
  return (await (await fetch(`${url}/__simulator/state`)).json()) as SimState;
}

describe('Duo simulator CLI', function () {
  this.timeout(30_000);
  let dir: string;
  let child: ChildProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'duo-sim-'));
  });
  afterEach(async () => {
    if (child && child.exitCode === null) await stopCli(child);
    rmSync(dir, { recursive: true, force: true });
  });

  it('records sends for /__simulator/state and keeps them across a restart', async () => {
    const statePath = path.join(dir, 'state.json');
    const first = await startCli(statePath);
    child = first.child;
    const duo = new DuoAdminClient({
      ...creds,
      host: 'api-sim.duosecurity.test',
      baseUrl: first.url,
    });
    const phone = await duo.createPhone({
      number: '+447700900321',
      type: 'mobile',
      platform: 'generic smartphone',
    });
    await duo.sendSmsActivation(phone.phone_id, { validSecs: 600, install: true });
    assert.deepEqual(
      (await recorded(first.url)).sms.map((s) => s.number),
      ['+447700900321'],
    );
    await stopCli(first.child);

    const second = await startCli(statePath);
    child = second.child;
    assert.equal((await recorded(second.url)).sms.length, 1);
    const again = new DuoAdminClient({
      ...creds,
      host: 'api-sim.duosecurity.test',
      baseUrl: second.url,
    });
    assert.equal((await again.findPhoneByNumber('+447700900321'))?.phone_id, phone.phone_id);
  });
});
