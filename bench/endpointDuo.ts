/**
 * The Duo simulator process of `npm run bench:endpoint` (src/duo/simulator/cli.ts), kept out of
 * the bot's process like the fake Teams connector: it stands in for Duo, so its work is not the
 * bot's.
 */
import { startBenchChild } from './child.js';
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
  const args = ['--port', '0', '--host', '127.0.0.1', ...extraArgs];
  const creds = ['--ikey', BENCH_DUO.ikey, '--skey', BENCH_DUO.skey, '--api-host', BENCH_DUO.host];
  const { child, url, exited } = await startBenchChild(
    '../src/duo/simulator/cli',
    [...args, ...creds],
    'duo_simulator_listening',
    { name: 'the simulator' },
  );

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
