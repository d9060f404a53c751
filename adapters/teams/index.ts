/**
 * The Teams endpoint: botbuilder's CloudAdapter behind POST /api/messages. Requests are
 * authenticated whenever MICROSOFT_APP_ID is set; without it (local use only) the bot accepts
 * unauthenticated activities but replies only to a loopback serviceUrl. After authentication, a
 * malformed activity is answered 400 (validate.ts) before botbuilder sees it.
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { EnrolBot } from '../../bot/bot.js';
import type { Config } from '../../src/config/index.js';
import type { RequestStore } from '../../src/store/requestStore.js';
import { TeamsGateway } from './gateway.js';
import { TeamsHandler } from './handler.js';
import { rejectMalformedActivities } from './validate.js';

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
      const anonymous = !teams.appId;
      // Said at every start: whoever can reach the port can post as the Bot Framework would.
      if (anonymous) {
        logger.warn(
          { host: deps.config.host, replies_to: 'loopback serviceUrls only' },
          'teams_requests_not_authenticated',
        );
      }
      const handler = new TeamsHandler({
        bot,
        gateway,
        store: deps.store,
        logger,
        files,
        trustActivityIdentity: !anonymous,
      });
      app.post(
        '/api/messages',
        express.json({ limit: '256kb' }),
        // Authentication first, so an unauthenticated caller learns nothing about what we accept.
        anonymous ? passThrough : authenticateFirst(auth, logger),
        rejectMalformedActivities(logger),
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

/**
 * Refuse an unauthenticated request before the body is looked at. The adapter authenticates again
 * (one more token signature check); its own processing stays exactly as botbuilder ships it.
 */
function authenticateFirst(auth: ConfigurationBotFrameworkAuthentication, logger: Logger) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const body: unknown = req.body;
    const activity = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {};
    try {
      await auth.authenticateRequest(activity as Activity, req.headers.authorization ?? '');
    } catch (err) {
      if (!isRefusedToken(err)) {
        // Teams' signing keys could not be loaded, say: our fault, not the caller's.
        next(err);

        return;
      }
      logger.warn(
        { reason: String((err as Error).message).slice(0, 200) },
        'teams_request_unauthenticated',
      );
      res.status(401).json({ error: 'unauthorized' });

      return;
    }
    next();
  };
}

/** botbuilder's AuthenticationError (401/403), or jsonwebtoken's for a bad or expired token. */
function isRefusedToken(err: unknown): boolean {
  const { statusCode, name } = (err ?? {}) as { statusCode?: unknown; name?: unknown };
  if (statusCode === 401 || statusCode === 403) return true;

  return name === 'JsonWebTokenError' || name === 'TokenExpiredError' || name === 'NotBeforeError';
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
    // An IPv6 loopback serviceUrl was already refused: botbuilder's client cannot reach it.
    if (['127.0.0.1', 'localhost'].includes(host)) {
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
