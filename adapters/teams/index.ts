/**
 * The Teams endpoint: botbuilder's CloudAdapter behind POST /api/messages. Requests are
 * authenticated whenever MICROSOFT_APP_ID is set; without it (local use only) the bot accepts
 * unauthenticated activities but replies only to a loopback serviceUrl.
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { EnrolBot } from '../../bot/bot.js';
import type { Config } from '../../src/config/index.js';
import type { RequestStore } from '../../src/store/requestStore.js';
import { TeamsGateway } from './gateway.js';
import { TeamsHandler } from './handler.js';

export interface TeamsDeps {
  config: Config;
  store: RequestStore;
  logger: Logger;
}

/** The Teams side: a gateway the bot writes through, and a mount for the HTTP route. */
export interface TeamsChannel {
  gateway: TeamsGateway;
  mount(app: Express, bot: EnrolBot): void;
}

export function createTeams(deps: TeamsDeps): TeamsChannel {
  const { teams } = deps.config;
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: teams.appId ?? '',
    MicrosoftAppPassword: teams.appPassword ?? '',
    MicrosoftAppType: teams.appType,
    MicrosoftAppTenantId: teams.tenantId ?? '',
  } as never);
  const adapter = new CloudAdapter(auth);
  const logger = deps.logger.child({ platform: 'teams' });
  adapter.onTurnError = async (_context, err) => {
    logger.error({ err }, 'teams_turn_failed');
  };
  const gateway = new TeamsGateway({
    adapter,
    store: deps.store,
    logger,
    appId: teams.appId ?? '',
    approvalChannelId: teams.approvalChannelId,
  });

  return {
    gateway,
    mount(app, bot) {
      const files = {
        production: deps.config.production,
        maxBytes: deps.config.limits.maxCsvBytes,
      };
      const handler = new TeamsHandler({ bot, gateway, store: deps.store, logger, files });
      const anonymous = !teams.appId;
      app.post(
        '/api/messages',
        express.json({ limit: '256kb' }),
        anonymous ? loopbackServiceOnly(logger) : passThrough,
        (req: Request, res: Response) => {
          adapter
            .process(req, res, (context) => handler.run(context))
            .catch((err) => {
              logger.error({ err }, 'teams_process_failed');
              if (!res.headersSent) res.status(500).end();
            });
        },
      );
    },
  };
}

function passThrough(_req: Request, _res: Response, next: NextFunction): void {
  next();
}

/** Anonymous mode would send replies wherever an activity says; only loopback is allowed. */
function loopbackServiceOnly(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const serviceUrl = (req.body as { serviceUrl?: unknown } | undefined)?.serviceUrl;
    let host = '';
    try {
      host = typeof serviceUrl === 'string' ? new URL(serviceUrl).hostname : '';
    } catch {
      host = '';
    }
    if (['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
      next();

      return;
    }
    logger.warn({ service_host: host || 'none' }, 'teams_anonymous_foreign_service_url');
    res.status(403).json({
      error:
        'Unauthenticated Bot Framework requests are only accepted with a loopback serviceUrl. Set MICROSOFT_APP_ID to accept Teams.',
    });
  };
}
