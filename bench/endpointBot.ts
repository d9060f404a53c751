/**
 * The bot under test for `npm run bench:endpoint`, run as its own process so the load generator
 * and the fake Teams connector (in the parent) do not share its event loop or its CPU time.
 * `node --import tsx bench/endpointBot.ts echo` or `... enrolbot <Duo simulator URL>` listens on
 * 127.0.0.1:0, prints `{"url": "..."}` as one JSON line on stdout, and stops on SIGTERM or when
 * stdin closes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import express from 'express';
import pino from 'pino';
import { startApp } from '../adapters/app.js';
import { loadConfig } from '../src/config/index.js';
import { BENCH_DUO } from './endpointDuo.js';

/** The smallest botbuilder bot: CloudAdapter and an ActivityHandler that echoes. */
async function startEchoBot(): Promise<{ url: string; stop: () => Promise<void> }> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`echo: ${context.activity.text}`);
    await next();
  });
  const app = express();
  app.post('/api/messages', express.json(), (req, res) => {
    void adapter.process(req, res, (context) => bot.run(context));
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The enrolbot with the sample directory on a scratch store, talking to the Duo simulator process
 * at `duoUrl` as it would to a Duo tenant.
 */
async function startEnrolbot(duoUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'enrolbot-bench-'));
  const config = loadConfig({
    PORT: '0',
    STORE_PATH: path.join(dir, 'enrolbot.json'),
    MAX_REQUESTS_PER_HOUR: '1000000',
    DUO_API_HOST: BENCH_DUO.host,
    DUO_API_URL: duoUrl,
    DUO_IKEY: BENCH_DUO.ikey,
    DUO_SKEY: BENCH_DUO.skey,
  });
  // The bot's own Duo ceiling (DUO_MAX_CALLS_PER_MINUTE, at most 6000) would make this a benchmark
  // of that limit; it is lifted here so the endpoint itself is measured.
  const app = await startApp(config, {
    logger: pino({ level: 'silent' }),
    duoOptions: { limiter: { acquire: async () => undefined } },
  });

  return {
    url: app.url,
    async stop() {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const [which, duoUrl] = process.argv.slice(2);
if (which !== 'echo' && !(which === 'enrolbot' && duoUrl)) {
  process.stderr.write('usage: endpointBot.ts echo | enrolbot <Duo simulator URL>\n');
  process.exit(2);
}
const running = which === 'echo' ? await startEchoBot() : await startEnrolbot(duoUrl!);
let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await running.stop();
  // A plain exit (not a signal death) so that --cpu-prof writes its profile.
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.stdin.once('end', () => void stop());
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
