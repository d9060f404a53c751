/**
 * `npm run bench:endpoint`: messages per second and p50/p99 latency of the Bot Framework endpoint
 * for `status` and `enrol` under 20 concurrent conversations, against the fake Teams connector and
 * the Duo simulator, next to a minimal botbuilder echo bot measured in the same run.
 * Targets: at least half the echo bot's throughput, and p99 under 100 ms.
 *
 * The script runs from tsc's output, as `npm start` runs the bot (no tsx at run time).
 * Each bot runs in its own child process (bench/endpointBot.ts), measured one at a time in
 * alternating rounds, and the Duo simulator in a third (bench/endpointDuo.ts); the load generator
 * and the fake connector stay in this process, so none of them shares the bot's event loop or
 * inflates its latencies. The load
 * generator posts with node:http over kept-alive connections, which costs less CPU than fetch on
 * a machine the bots share. BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the enrolbot
 * child there; BENCH_MESSAGES sets the measured messages per scenario (default 2000); BENCH_ONLY
 * keeps only the enrolbot scenarios whose name contains it (the echo bot is always measured).
 */
import { Agent, request } from 'node:http';
import { startFakeConnector, type TeamsMember } from '../test/support/fakeConnector.js';
import { messageActivity, PEOPLE, type Person } from '../test/support/teams.js';
import { startBenchChild } from './child.js';
import { startDuoSimulatorProcess } from './endpointDuo.js';

const CONVERSATIONS = 20;
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);
const WARMUP = 200;
/** The measured messages are sent in this many rounds, the scenarios taking turns. */
const ROUNDS = 4;

interface Row {
  name: string;
  perSecond: number;
  p50: number;
  p99: number;
}

/** Twenty chat users, each one of the sample directory's requesters. */
function benchUsers(): Person[] {
  return Array.from({ length: CONVERSATIONS }, (_, i) => {
    const base = i % 2 === 0 ? PEOPLE.alex : PEOPLE.adele;

    return { ...base, id: `29:bench-${i}` };
  });
}

/** Start bench/endpointBot.ts as a child process and wait for the URL it prints. */
async function startBotProcess(
  args: string[],
  nodeFlags: string[] = [],
): Promise<{ url: string; stop: () => Promise<void> }> {
  const { child, url, exited } = await startBenchChild('endpointBot', args, '{"url"', {
    nodeFlags,
    stdin: 'pipe',
    name: `the ${args[0]} bot`,
  });

  return {
    url,
    async stop() {
      // Closing stdin lets the child stop cleanly (and write its CPU profile, if asked to).
      child.stdin!.end();
      await exited;
    },
  };
}

/** One kept-alive connection per conversation, as the Bot Framework service keeps them open. */
const agent = new Agent({ keepAlive: true, maxSockets: CONVERSATIONS });

/** POST a JSON body and read the whole answer; resolves with the HTTP status. */
function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Post `total` messages over 20 conversations at once; latencies in milliseconds. */
async function drive(
  botUrl: string,
  serviceUrl: string,
  users: Person[],
  text: (i: number) => string,
  total: number,
): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    users.map(async (user) => {
      for (let i = next++; i < total; i = next++) {
        const body = JSON.stringify(messageActivity(serviceUrl, user, text(i)));
        const t0 = performance.now();
        const status = await post(`${botUrl}/api/messages`, body);
        if (status < 200 || status > 299) throw new Error(`HTTP ${status} for "${text(i)}"`);
        latencies.push(performance.now() - t0);
      }
    }),
  );

  return { seconds: (performance.now() - started) / 1000, latencies };
}

/** Messages per second and percentiles over every round of one scenario. */
function summarise(name: string, runs: { seconds: number; latencies: number[] }[]): Row {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;

  return { name, perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}

async function main(): Promise<void> {
  const connector = await startFakeConnector();
  const duo = await startDuoSimulatorProcess();
  const users = benchUsers();
  for (const u of users) connector.members.set(u.id, u as TeamsMember);
  const profileDir = process.env.BENCH_CPU_PROF;
  const contractors = ['jdoe', 'clee', 'clee2', 'asmith', 'cdavis'];
  const only = process.env.BENCH_ONLY;
  const bots = await Promise.all([
    startBotProcess(['echo']),
    startBotProcess(
      ['enrolbot', duo.url],
      profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
    ),
  ]);
  const [echo, enrolbot] = bots;
  const scenarios = [
    { name: 'echo bot (botbuilder)', url: echo.url, text: (i: number) => `hello ${i}` },
    { name: 'enrolbot: status', url: enrolbot.url, text: () => 'status jdoe' },
    {
      name: 'enrolbot: enrol',
      url: enrolbot.url,
      text: (i: number) => `enrol contractor ${contractors[i % contractors.length]} by sms`,
    },
  ].filter((s, i) => i === 0 || !only || s.name.includes(only));

  // Rounds take turns, so a burst of load from elsewhere on the machine falls on every scenario
  // rather than on whichever happened to be measured at that moment.
  const runs = scenarios.map(() => [] as { seconds: number; latencies: number[] }[]);
  try {
    for (const s of scenarios) {
      process.stderr.write(`warming up ${s.name}...\n`);
      await drive(s.url, connector.url, users, s.text, WARMUP);
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      process.stderr.write(`round ${round + 1} of ${ROUNDS}...\n`);
      for (const [i, s] of scenarios.entries()) {
        const count = Math.ceil(MESSAGES / ROUNDS);
        runs[i]!.push(await drive(s.url, connector.url, users, s.text, count));
        connector.calls.length = 0;
      }
    }
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    agent.destroy();
    await duo.stop();
    await connector.close();
  }
  const rows = scenarios.map((s, i) => summarise(s.name, runs[i]!));

  const echoRate = rows[0]!.perSecond;
  process.stdout.write(
    `Bot Framework endpoint, ${MESSAGES} messages over ${CONVERSATIONS} concurrent conversations` +
      ` in ${ROUNDS} alternating rounds (each bot in its own process, Duo simulator in another;` +
      ' Duo call ceiling lifted; enrol repeats five contractors, so most answers are' +
      ' "already requested")\n',
  );
  process.stdout.write('scenario                  msg/s   p50 ms   p99 ms   vs echo\n');
  for (const r of rows) {
    const cells = [
      r.name.padEnd(24),
      r.perSecond.toFixed(0).padStart(6),
      r.p50.toFixed(1).padStart(8),
      r.p99.toFixed(1).padStart(8),
      `${((100 * r.perSecond) / echoRate).toFixed(0).padStart(8)}%`,
    ];
    process.stdout.write(`${cells.join(' ')}\n`);
  }
  const ok = rows.slice(1).every((r) => r.perSecond >= echoRate / 2 && r.p99 < 100);
  process.stdout.write(
    ok
      ? "Targets met: at least 50% of the echo bot's throughput and p99 under 100 ms.\n"
      : 'Targets missed: see the rows above (target: >= 50% of echo throughput, p99 < 100 ms).\n',
  );
}

await main();
