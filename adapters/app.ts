/**
 * The composition root: core services from src/, the bot, and every configured chat platform on
 * one HTTP server. It lives in adapters/ because it is the one place that knows them all.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchCards } from '../bot/batchCards.js';
import { EnrolBot } from '../bot/bot.js';
import { createNotifier } from '../bot/notifier.js';
import type { ChatGateway } from '../bot/ports.js';
import type { Config } from '../src/config/index.js';
import { openCore, type Core, type CoreOptions } from '../src/runtime.js';
import { createHttpApp, finishHttpApp, listen } from '../src/server/http.js';
import { PushStepUp, type PushStepUpOptions } from '../src/workflow/push.js';
import { resumeBatches } from '../src/workflow/batch.js';
import { Lifecycle } from '../src/workflow/lifecycle.js';
import { recoverSends, type SendQueueOptions } from '../src/workflow/queue.js';
import type { Platform } from '../src/workflow/types.js';
import type { SlackChannel } from './slack/index.js';
import { createTeams } from './teams/index.js';

export interface RunningApp {
  url: string;
  core: Core;
  bot: EnrolBot;
  server: Server;
  /** The Slack side, when SLACK_BOT_TOKEN is set; tests wait on its idle(). */
  slack?: SlackChannel;
  /** The lifecycle timers; the app ticks them on an interval, tests call tick(now) themselves. */
  lifecycle: Lifecycle;
  /** Stop taking work, finish sends in flight, flush and close the store. */
  stop(): Promise<void>;
}

/** Core options plus the step-up's polling (tests make its sleep instant). */
export interface AppOptions extends CoreOptions {
  stepUp?: Omit<PushStepUpOptions, 'auth'>;
  /** The sending queue's pacing and back-off (tests make them instant). */
  queue?: SendQueueOptions;
  /** Least time between two updates of a batch card (default 2 s). */
  batchThrottleMs?: number;
  /** How long a bulk request's checks may hold the chat turn (default 3 s). */
  batchAnswerWithinMs?: number;
}

/**
 * Start everything; `config.port` 0 picks a free port (tests). When a step fails (a taken port,
 * say) what was opened is closed again, so the store's lock is released for the next start.
 */
export async function startApp(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const core = await openCore(config, options);
  try {
    return await startOnCore(core, config, options);
  } catch (err) {
    await core.close();
    throw err;
  }
}

async function startOnCore(core: Core, config: Config, options: AppOptions): Promise<RunningApp> {
  const { logger, store } = core;
  let shuttingDown = false;

  const gateways: Partial<Record<Platform, ChatGateway>> = {};
  const teams = createTeams({ config, store, logger });
  gateways.teams = teams.gateway;
  // Bolt (~38 MB) is loaded only when Slack is configured.
  const slack =
    config.slack &&
    (await import('./slack/index.js')).createSlack({ config, slack: config.slack, store, logger });
  if (slack) gateways.slack = slack.gateway;

  const settings = {
    sandbox: config.duo.simulator,
    approvalsRequired: config.limits.approvalsRequired,
    demoSelfApproval: config.demoSelfApproval,
    directoryNames: { file: 'the sample directory', ldap: 'Active Directory', graph: 'Entra ID' },
  };
  const batchCards = new BatchCards({
    store,
    gateways,
    settings,
    logger,
    throttleMs: options.batchThrottleMs,
  });
  const stepUp = core.duoAuth
    ? new PushStepUp({ auth: core.duoAuth, now: core.now, ...options.stepUp })
    : undefined;
  const bot = new EnrolBot({
    config,
    store,
    directory: core.directory,
    duo: core.duo,
    now: core.now,
    logger,
    settings,
    batchCards,
    queue: options.queue,
    batchAnswerWithinMs: options.batchAnswerWithinMs,
    stepUp,
    listener: createNotifier({
      store,
      gateways,
      settings,
      logger,
      onBatchMember: (request, event) => batchCards.onMember(request, event),
    }),
  });

  const app = createHttpApp(core, () => shuttingDown);
  teams.mount(app, bot);
  slack?.mount(app, bot);
  finishHttpApp(app, core);
  const server = await listen(app, config.port, config.host);
  await slack?.start();
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;

  // The queue is the store: finish approvals a crash interrupted, then requeue what was waiting.
  const resumed = await resumeBatches(bot.queue.deps, (id) => bot.queue.enqueue(id));
  const reconciled = await recoverSends(bot.queue);
  // A batch card that said it waited for a push is redrawn once that push is cleared.
  const interruptedPushes =
    (await stepUp?.clearInterrupted(bot.workflow, (id) => batchCards.refresh(id))) ?? 0;
  const lifecycle = new Lifecycle(bot.queue);
  const timer = setInterval(() => {
    lifecycle.tick().catch((err: unknown) => logger.error({ err }, 'lifecycle_tick_failed'));
  }, config.lifecycle.tickSeconds * 1000);
  timer.unref();
  logger.info(
    {
      url,
      sandbox: config.duo.simulator,
      directories: config.directories,
      step_up: !!stepUp,
      interrupted_pushes: interruptedPushes,
      resumed_batch_approvals: resumed,
      ...reconciled,
    },
    'enrolbot_started',
  );

  return {
    url,
    core,
    bot,
    server,
    slack,
    lifecycle,
    async stop() {
      // Stop taking work but keep answering (readyz 503, "shutting down") while sends finish;
      // approved requests not yet started stay approved and are sent at the next start.
      shuttingDown = true;
      clearInterval(timer);
      await stepUp?.close();
      await slack?.stop();
      await bot.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
      await core.close();
      logger.info('enrolbot_stopped');
    },
  };
}
