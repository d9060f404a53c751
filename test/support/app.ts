/** Start the real app for end-to-end tests: a temp store, the sample directory, the simulator. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startApp, type RunningApp } from '../../adapters/app.js';
import { loadConfig } from '../../src/config/index.js';
import type { Env } from '../../src/config/parse.js';

/** A fresh data folder for one test's store and audit log. */
export function tempDataDir(prefix = 'enrolbot-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Start the app on a free loopback port. Logs go nowhere unless LOG_TESTS is set. */
export async function startTestApp(
  env: Env = {},
  dataDir = tempDataDir(),
): Promise<RunningApp & { dataDir: string }> {
  const config = loadConfig({
    PORT: '0',
    STORE_PATH: path.join(dataDir, 'enrolbot.json'),
    DEMO_SELF_APPROVAL: 'false',
    ...env,
  });
  const logger = pino({ level: process.env.LOG_TESTS ? 'debug' : 'silent' });
  const running = await startApp(config, { logger });

  return Object.assign(running, { dataDir });
}
