/**
 * Real processes for the crash tests: the Duo simulator CLI with a state file (it outlives the bot)
 * and the bot itself through `tsx adapters/start.ts`, as `npm start` runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

export const SIM_KEYS = {
  DUO_IKEY: 'DICRASHTEST000000001',
  DUO_SKEY: 'crash-test-secret-key-0123456789abcdefghij',
  DUO_API_HOST: 'api-sim.duosecurity.test',
};

/** A spawned process and the first line of its output that matched. */
export interface Spawned {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[], env: Record<string, string>, urlPattern: RegExp): Promise<Spawned> {
  const child = spawn(tsx, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const match = urlPattern.exec(out);
      if (match) resolve({ child, url: match[1]!, output: () => out, exited });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code, signal }) =>
      reject(new Error(`exited (${code ?? signal}) before listening:\n${out}`)),
    );
  });
}

/** The simulator CLI, saving its state to `stateFile` after every change. */
export function startSimulatorProcess(stateFile: string): Promise<Spawned> {
  return start(
    ['src/duo/simulator/cli.ts', '--state', stateFile],
    SIM_KEYS,
    /"url":"(http:\/\/127\.0\.0\.1:\d+)"/,
  );
}

/** The bot, on a free port, with the given store and extra variables. */
export function startBotProcess(env: Record<string, string>): Promise<Spawned> {
  return start(
    ['adapters/start.ts'],
    { PORT: '0', LOG_LEVEL: 'warn', DEMO_SELF_APPROVAL: 'false', ...SIM_KEYS, ...env },
    /listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/messages/,
  );
}

/** What the simulator has done, from its own state endpoint. */
export async function simulatorState(url: string): Promise<{ sms: { number: string }[] }> {
  const res = await fetch(`${url}/__simulator/state`);

  return (await res.json()) as { sms: { number: string }[] };
}

/** The requests in a store file, as written to disk. */
export function storedRequests(storePath: string): { id: string; state: string }[] {
  return (
    JSON.parse(readFileSync(storePath, 'utf8')) as { requests: { id: string; state: string }[] }
  ).requests;
}

/** Wait (bounded) for a condition about another process; such waits are polls, not sleeps. */
export async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
