/**
 * Runs the Duo simulator as its own process, for tests and demos that spawn processes:
 *   tsx src/duo/simulator/cli.ts --port 8900 --state ./data/duo-sim.json
 * With --state, everything is saved after each change and loaded at start, so the simulator
 * survives a restart. Prints one JSON line with its URL once it listens.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { SimDirectoryEntry, SimState } from './model.js';
import { startDuoSimulator } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    state: { type: 'string' },
    ikey: { type: 'string', default: process.env.DUO_IKEY ?? 'DISIMULATOR000000000' },
    skey: {
      type: 'string',
      default: process.env.DUO_SKEY ?? 'simulator-secret-key-not-for-production',
    },
    'api-host': { type: 'string', default: process.env.DUO_API_HOST ?? 'api-sim.duosecurity.test' },
    'directory-key': { type: 'string', default: process.env.DUO_DIRECTORY_KEY },
    directory: { type: 'string' },
    'import-phones': { type: 'boolean', default: false },
    'rate-limit': { type: 'string' },
  },
});

const statePath = values.state;

/** Write to a temporary file, then rename, so a crash never leaves half a state file. */
function save(state: SimState): void {
  if (!statePath) return;
  writeFileSync(`${statePath}.tmp`, JSON.stringify(state, null, 2));
  renameSync(`${statePath}.tmp`, statePath);
}

const state =
  statePath && existsSync(statePath)
    ? (JSON.parse(readFileSync(statePath, 'utf8')) as SimState)
    : undefined;
const directory = values.directory
  ? (JSON.parse(readFileSync(values.directory, 'utf8')) as SimDirectoryEntry[])
  : [];

const sim = await startDuoSimulator({
  port: Number(values.port),
  host: values.host,
  ikey: values.ikey,
  skey: values.skey,
  apiHost: values['api-host'],
  directoryKey: values['directory-key'],
  directory,
  importPhones: values['import-phones'],
  state,
  onChange: save,
});
if (values['rate-limit']) sim.setRateLimit({ calls: Number(values['rate-limit']) });

process.stdout.write(`${JSON.stringify({ event: 'duo_simulator_listening', url: sim.url })}\n`);

const shutdown = (): void => {
  save(sim.model.state);
  void sim.stop().then(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
