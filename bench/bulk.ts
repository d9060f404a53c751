/**
 * `npm run bench:bulk [-- --count 1000] [-- --concurrency N]`: enrol contractors in bulk against
 * the Duo simulator limited to 50 calls per second, with DUO_MAX_CALLS_PER_MINUTE=3000 so the
 * bot's ceiling matches, and print the wall time next to the floor the limit allows (successful Duo
 * calls ÷ 50), the 429s seen and whether any was left unhandled, and the bot's peak memory. The
 * simulator runs as its own process, so the memory figures are the bot's (with the small fake
 * Teams connector, which stands in for the platform). Without --concurrency the product's own
 * SEND_CONCURRENCY default is used. Everything runs on loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { startApp } from '../adapters/app.js';
import { BENCH_DUO, startDuoSimulatorProcess } from './endpointDuo.js';
import { ACTION_VERBS } from '../cards/views.js';
import { loadConfig } from '../src/config/index.js';
import { ALEX, MEGAN, teamsConversation, writeBulkFixture } from '../test/e2e/bulk-fixture.js';
import { startFakeConnector } from '../test/support/fakeConnector.js';

const PER_SECOND = 50;
const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    concurrency: { type: 'string' },
  },
});
const count = Number(values.count);
const dir = mkdtempSync(path.join(tmpdir(), 'enrolbot-bench-'));
const creds = BENCH_DUO;
const apiHost = BENCH_DUO.host;
// The simulator runs as its own process, so its memory is not the bot's.
const simulator = await startDuoSimulatorProcess(['--rate-limit', String(PER_SECOND)]);
const connector = await startFakeConnector();
const fixture = writeBulkFixture(dir, {
  ready: count,
  disabled: 0,
  noMobile: 0,
  expired: 0,
  mismatch: 0,
  unknown: 0,
  enrolled: 0,
});

const calls = { ok: 0, rateLimited: 0, other: 0 };
let peakRss = 0;
let peakHeap = 0;
/** process.memoryUsage() when RSS was highest, to tell heap from buffers and code. */
let atPeak: NodeJS.MemoryUsage | undefined;
const sampler = setInterval(() => {
  const memory = process.memoryUsage();
  if (memory.rss > peakRss) atPeak = memory;
  peakRss = Math.max(peakRss, memory.rss);
  peakHeap = Math.max(peakHeap, memory.heapUsed);
}, 50);
const baseRss = process.memoryUsage().rss;
const config = loadConfig({
  PORT: '0',
  STORE_PATH: path.join(dir, 'enrolbot.json'),
  DIRECTORY_FILE: fixture.directoryFile,
  DUO_API_HOST: apiHost,
  DUO_API_URL: simulator.url,
  DUO_IKEY: creds.ikey,
  DUO_SKEY: creds.skey,
  DUO_MAX_CALLS_PER_MINUTE: String(PER_SECOND * 60),
  MAX_BATCH_SIZE: String(Math.max(count, 1)),
  MAX_SENDS_PER_HOUR: String(count * 2),
  ...(values.concurrency !== undefined && { SEND_CONCURRENCY: values.concurrency }),
});
const app = await startApp(config, {
  logger: pino({ level: 'silent' }),
  duoOptions: {
    onCall: ({ outcome }) => {
      if (outcome === 'ok') calls.ok += 1;
      else if (outcome === 'rate_limited') calls.rateLimited += 1;
      else calls.other += 1;
    },
  },
});

const started = performance.now();
const conversation = teamsConversation(connector.url);
const [reply] = await app.bot.handleMessage({
  user: ALEX,
  text: 'enrol these by sms because benchmark',
  conversation,
  personal: true,
  files: [{ name: 'bench.csv', read: async () => fixture.csv }],
});
// A thousand rows outlast the chat turn: the bot answers "Checking…" and posts the card later.
await app.bot.idle();
const batchId = /BATCH-\d+/.exec(reply?.text ?? '')?.[0] ?? app.core.store.listBatches()[0]?.id;
if (!batchId) throw new Error(`no batch: ${reply?.text}`);
const checked = performance.now();
await app.bot.handleAction({
  user: MEGAN,
  verb: ACTION_VERBS.batchApprove,
  data: { batchId },
  conversation,
  personal: false,
});
await app.bot.idle();
const wall = (performance.now() - started) / 1000;
clearInterval(sampler);

const states = new Map<string, number>();
for (const r of app.core.store.list()) states.set(r.state, (states.get(r.state) ?? 0) + 1);
const sms = (await simulator.state()).sms.length;
peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
const floor = calls.ok / PER_SECOND;
const unhandled = count - (states.get('sent') ?? 0);
console.log(`contractors            ${count}`);
console.log(
  `settings               SEND_CONCURRENCY=${config.limits.sendConcurrency}` +
    `${values.concurrency === undefined ? ' (default)' : ''}, ` +
    `DUO_MAX_CALLS_PER_MINUTE=${config.duo.maxCallsPerMinute}, simulator ${PER_SECOND}/s`,
);
console.log(`SMS sent               ${sms}`);
console.log(`request states         ${JSON.stringify(Object.fromEntries(states))}`);
console.log(`Duo calls (ok)         ${calls.ok}`);
console.log(`429 answers seen       ${calls.rateLimited} (requests not sent: ${unhandled})`);
console.log(`checks phase           ${((checked - started) / 1000).toFixed(1)} s`);
console.log(`wall time              ${wall.toFixed(1)} s`);
console.log(`floor (calls / ${PER_SECOND})    ${floor.toFixed(1)} s`);
console.log(
  `over the floor         ${((wall / floor - 1) * 100).toFixed(1)} % (target: within 15 %)`,
);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
console.log(
  `peak memory (bot)      RSS ${mb(peakRss)} (${mb(baseRss)} at start), heap ${mb(peakHeap)}`,
);
if (atPeak) {
  console.log(
    `  at the RSS peak       heap ${mb(atPeak.heapUsed)} used of ${mb(atPeak.heapTotal)}, ` +
      `buffers ${mb(atPeak.arrayBuffers)}, other external ${mb(atPeak.external - atPeak.arrayBuffers)}`,
  );
}
console.log('                       (target: under 200 MB; the simulator runs in its own process)');

await app.stop();
await simulator.stop();
await connector.close();
rmSync(dir, { recursive: true, force: true });
process.exitCode = unhandled === 0 && sms === count ? 0 : 1;
