/**
 * The composition root: core services from src/, the bot, and every configured chat platform on
 * one HTTP server. It lives in adapters/ because it is the one place that knows them all.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnrolBot } from '../bot/bot.js';
import { createNotifier } from '../bot/notifier.js';
import type { ChatGateway } from '../bot/ports.js';
import type { Config } from '../src/config/index.js';
import { openCore, type Core, type CoreOptions } from '../src/runtime.js';
import { createHttpApp, listen } from '../src/server/http.js';
import { reconcileStuck } from '../src/workflow/sender.js';
import type { Platform } from '../src/workflow/types.js';
import { createTeams } from './teams/index.js';

export interface RunningApp {
  url: string;
  core: Core;
  bot: EnrolBot;
  server: Server;
  /** Stop taking work, finish sends in flight, flush and close the store. */
  stop(): Promise<void>;
}

/** Start everything; `config.port` 0 picks a free port (tests). */
export async function startApp(config: Config, options: CoreOptions = {}): Promise<RunningApp> {
  const core = await openCore(config, options);
  const { logger, store } = core;
  let shuttingDown = false;

  const gateways: Partial<Record<Platform, ChatGateway>> = {};
  const teams = createTeams({ config, store, logger });
  gateways.teams = teams.gateway;

  const settings = {
    sandbox: config.duo.simulator,
    approvalsRequired: config.limits.approvalsRequired,
    directoryNames: { file: 'the sample directory', ldap: 'Active Directory', graph: 'Entra ID' },
  };
  const bot = new EnrolBot({
    config,
    store,
    directory: core.directory,
    duo: core.duo,
    now: core.now,
    logger,
    settings,
    listener: createNotifier({ store, gateways, settings, logger }),
  });

  const app = createHttpApp(core, () => shuttingDown);
  teams.mount(app, bot);
  const server = await listen(app, config.port, config.host);
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;

  const reconciled = await reconcileStuck(bot.workflow);
  for (const request of store.list((r) => r.state === 'approved')) bot.startSend(request.id);
  logger.info(
    { url, sandbox: config.duo.simulator, directories: config.directories, ...reconciled },
    'enrolbot_started',
  );

  return {
    url,
    core,
    bot,
    server,
    async stop() {
      shuttingDown = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await bot.close();
      await core.close();
      logger.info('enrolbot_stopped');
    },
  };
}
