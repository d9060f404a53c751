/**
 * The Slack side: Bolt over HTTP at POST /slack/events on the shared express app (commands,
 * events, clicks and select options all arrive there, signed), or over Socket Mode when
 * SLACK_APP_TOKEN is set. Work done after Slack's acknowledgement is tracked for idle() and stop().
 */
import { App, ExpressReceiver, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { EnrolBot } from '../../bot/bot.js';
import type { Config } from '../../src/config/index.js';
import type { RequestStore } from '../../src/store/requestStore.js';
import type { SlackContext } from './context.js';
import { SlackGateway } from './gateway.js';
import { registerInteractions } from './interactions.js';
import { boltLogger } from './logger.js';
import { registerMessages } from './messages.js';
import { trackAndDedupe } from './middleware.js';
import { SlackUsers } from './users.js';

/** The path Slack is configured to call (manifest/slack.yaml). */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackDeps {
  config: Config;
  slack: NonNullable<Config['slack']>;
  store: RequestStore;
  logger: Logger;
}

/** The Slack side: a gateway the bot writes through, the HTTP mount, the Socket Mode switch. */
export interface SlackChannel {
  readonly mode: 'http' | 'socket';
  gateway: SlackGateway;
  /** Register the listeners; in HTTP mode also serve /slack/events on `app`. */
  mount(app: Express, bot: EnrolBot): void;
  /** Socket Mode: connect to Slack. HTTP mode: nothing to do. */
  start(): Promise<void>;
  /** Disconnect (Socket Mode) and wait for work in flight. */
  stop(): Promise<void>;
  /** Resolves when every Slack request received so far has been fully handled. */
  idle(): Promise<void>;
}

/** Web API calls are retried a little (rate limits, blips), never for long: people are waiting. */
const RETRIES = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3000 };

export function createSlack(deps: SlackDeps): SlackChannel {
  const { slack } = deps;
  const logger = deps.logger.child({ platform: 'slack' });
  const log = boltLogger(logger);
  const clientOptions = {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    retryConfig: RETRIES,
    timeout: 10_000,
    logger: log,
  };
  const client = new webApi.WebClient(slack.botToken, clientOptions);
  const gateway = new SlackGateway({ client, logger, approvalChannel: slack.approvalChannel });
  const inflight = new Set<Promise<unknown>>();
  const mode = slack.appToken ? 'socket' : 'http';
  let boltApp: InstanceType<typeof App> | undefined;

  return {
    mode,
    gateway,
    mount(app, bot) {
      const receiver = slack.appToken
        ? new SocketModeReceiver({
            appToken: slack.appToken,
            logger: log,
            installerOptions: { clientOptions },
          })
        : new ExpressReceiver({
            signingSecret: slack.signingSecret,
            endpoints: SLACK_EVENTS_PATH,
            logger: log,
            processBeforeResponse: false,
            app,
          });
      boltApp = new App({
        receiver,
        authorize: cachedAuthorize(client, slack.botToken),
        logger: log,
        clientOptions,
      });
      boltApp.error(async (err) => {
        logger.error({ err }, 'slack_listener_failed');
      });

      const ctx: SlackContext = {
        bot,
        client,
        gateway,
        users: new SlackUsers({ client, logger }),
        store: deps.store,
        logger,
        files: { botToken: slack.botToken, production: deps.config.production },
      };
      boltApp.use(trackAndDedupe(ctx, inflight));
      registerMessages(boltApp, ctx);
      registerInteractions(boltApp, ctx);
      logger.info({ mode, path: mode === 'http' ? SLACK_EVENTS_PATH : undefined }, 'slack_ready');
    },
    async start() {
      if (mode === 'socket') await boltApp?.start();
    },
    async stop() {
      if (mode === 'socket') await boltApp?.stop();
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
    async idle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
  };
}

/**
 * Bolt asks who the bot is (auth.test) to ignore its own messages. Asked once, on the first
 * request rather than at construction, and asked again only after a failure.
 */
function cachedAuthorize(client: InstanceType<typeof webApi.WebClient>, botToken: string) {
  let identity: Promise<{ botId?: string; botUserId?: string; teamId?: string }> | undefined;

  return async () => {
    identity ??= client.auth.test().then((r) => ({
      botId: r.bot_id,
      botUserId: r.user_id,
      teamId: r.team_id,
    }));
    const pending = identity;
    const known = await pending.catch((err: unknown) => {
      if (identity === pending) identity = undefined;
      throw err;
    });

    return { botToken, ...known };
  };
}
