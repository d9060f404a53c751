/**
 * The Duo simulator process of `npm run bench:endpoint` (src/duo/simulator/cli.ts), kept out of
 * the bot's process like the fake Teams connector: it stands in for Duo, so its work is not the
 * bot's.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { SimState } from '../src/duo/simulator/index.js';

/** Credentials the bench's simulator is started with; loopback only, not secrets. */
export const BENCH_DUO = {
  ikey: 'DIBENCH0000000000000',
  skey: 'bench-secret-key-not-a-real-secret-000000',
  host: 'api-bench.duosecurity.test',
};

/**
 * Start the simulator on 127.0.0.1:0 and wait for the URL it prints. `extraArgs` are more CLI
 * options, e.g. `['--rate-limit', '50']`.
 */
export async function startDuoSimulatorProcess(extraArgs: string[] = []): Promise<{
  url: string;
  state: () => Promise<SimState>;
  stop: () => Promise<void>;
}> {
  // Run as TypeScript through tsx, or from JavaScript that tsc wrote (bench:bulk), alike.
  const compiled = import.meta.filename.endsWith('.js');
  const cli = path.join(import.meta.dirname, `../src/duo/simulator/cli.${compiled ? 'js' : 'ts'}`);
  const loader = compiled ? [] : ['--import', 'tsx'];
  const args = [...loader, cli, '--port', '0', '--host', '127.0.0.1', ...extraArgs];
  const creds = ['--ikey', BENCH_DUO.ikey, '--skey', BENCH_DUO.skey, '--api-host', BENCH_DUO.host];
  const child = spawn(process.execPath, [...args, ...creds], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Should this script die of an error, the simulator goes with it rather than linger.
  process.once('exit', () => child.kill());
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.includes('duo_simulator_listening'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`the simulator exited (${code}): ${out}`)));
  });

  return {
    url,
    async state() {
      return (await (await fetch(`${url}/__simulator/state`)).json()) as SimState;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
