/**
 * The services every entry point shares, opened in one place: logger, store and audit log,
 * directory, and the Duo client (talking to the in-process simulator when DUO_API_HOST is unset).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config/index.js';
import { createDirectory } from './directory/create.js';
import type { CombinedDirectory } from './directory/types.js';
import { DuoAuthClient } from './duo/authClient.js';
import { DuoAdminClient } from './duo/client.js';
import { createDuoRateLimiter } from './duo/rateLimiter.js';
import { startDuoSimulator, type DuoSimulator, type SimState } from './duo/simulator/index.js';
import { ConfigError } from './errors.js';
import { createLogger } from './logging.js';
import { createMetrics, type Metrics } from './metrics.js';
import { AuditLog } from './store/auditLog.js';
import { RequestStore } from './store/requestStore.js';

export interface Core {
  config: Config;
  logger: Logger;
  store: RequestStore;
  auditLog: AuditLog;
  directory: CombinedDirectory;
  duo: DuoAdminClient;
  /** The Duo Auth API client for step-up approval, when DUO_AUTH_HOST is set. */
  duoAuth?: DuoAuthClient;
  metrics: Metrics;
  /** The in-process Duo simulator, when no Duo tenant is configured. */
  simulator?: DuoSimulator;
  now: () => Date;
  close(): Promise<void>;
}

export interface CoreOptions {
  logger?: Logger;
  now?: () => Date;
  /** Directory dependencies for tests (a Graph credential, say). */
  directoryDeps?: Parameters<typeof createDirectory>[1];
  /** Duo client overrides for tests (sleep, backoff). */
  duoOptions?: Partial<ConstructorParameters<typeof DuoAdminClient>[0]>;
}

/** Open everything; on any failure, whatever was opened is closed again. */
export async function openCore(config: Config, options: CoreOptions = {}): Promise<Core> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const now = options.now ?? (() => new Date());
  const closers: (() => Promise<void>)[] = [];
  try {
    mkdirSync(path.dirname(config.storePath), { recursive: true });
    const auditLog = await AuditLog.open(config.auditPath, { now, logger });
    closers.push(() => auditLog.close());
    const store = await RequestStore.open(config.storePath, { now, logger, auditLog });
    closers.unshift(() => store.close());
    const metrics = createMetrics();
    metrics.countRequests(() => store.list());
    const directory = await createDirectory(config, { logger, ...options.directoryDeps });
    closers.push(() => directory.close());

    let simulator: DuoSimulator | undefined;
    let baseUrl = config.duo.url;
    if (config.duo.simulator) {
      simulator = await startSimulator(config, logger);
      closers.unshift(() => simulator!.stop());
      baseUrl = simulator.url;
    }
    const limiter = createDuoRateLimiter(config.duo.maxCallsPerMinute);
    const duo = new DuoAdminClient({
      ikey: config.duo.ikey,
      skey: config.duo.skey,
      host: config.duo.host,
      baseUrl,
      timeoutMs: config.duo.timeoutMs,
      limiter,
      logger,
      onCall: (info) => metrics.observeDuoCall('admin', info),
      ...options.duoOptions,
    });
    const auth = config.duo.auth;
    // In the sandbox the simulator answers the Auth API too, signed against its own host.
    const duoAuth = auth
      ? new DuoAuthClient({
          ikey: auth.ikey,
          skey: auth.skey,
          host: simulator ? config.duo.host : auth.host,
          baseUrl: simulator ? simulator.url : auth.url,
          timeoutMs: config.duo.timeoutMs,
          logger,
          onCall: (info) => metrics.observeDuoCall('auth', info),
          ...options.duoOptions,
        })
      : undefined;

    return {
      config,
      logger,
      store,
      auditLog,
      directory,
      duo,
      duoAuth,
      metrics,
      simulator,
      now,
      async close() {
        for (const close of closers)
          await close().catch((err) => logger.warn({ err }, 'close_failed'));
      },
    };
  } catch (err) {
    for (const close of closers) await close().catch(() => undefined);
    throw err;
  }
}

/** The simulator keeps its state beside the store, so the sandbox survives restarts too. */
async function startSimulator(config: Config, logger: Logger): Promise<DuoSimulator> {
  const file = path.join(path.dirname(config.storePath), 'duo-simulator.json');
  const state = existsSync(file) ? readSimulatorState(file) : undefined;
  const simulator = await startDuoSimulator({
    ikey: config.duo.ikey,
    skey: config.duo.skey,
    apiHost: config.duo.host,
    authIkey: config.duo.auth?.ikey,
    authSkey: config.duo.auth?.skey,
    state,
    onChange: (next) => {
      // It holds full phone numbers and e-mail addresses, like the store: owner only.
      writeFileSync(`${file}.tmp`, JSON.stringify(next), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    },
  });
  logger.warn({ url: simulator.url }, 'duo_simulator_in_use_nothing_is_really_sent');

  return simulator;
}

/** The sandbox's saved state; a damaged file stops the start with its name, like the store. */
function readSimulatorState(file: string): SimState {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SimState;
  } catch (err) {
    throw new ConfigError(
      'STORE_PATH',
      `the Duo simulator's state file ${file} cannot be read (${(err as Error).message}); ` +
        'it only holds the sandbox (nothing real was sent): delete it to start the sandbox afresh',
    );
  }
}
