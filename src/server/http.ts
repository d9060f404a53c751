/**
 * The HTTP server: one express app on PORT serving the chat endpoints (mounted by the platform
 * adapters) and the operator endpoints /healthz, /readyz and /metrics.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { EnrolBotError } from '../errors.js';
import type { Core } from '../runtime.js';

/** An express app with the operator endpoints; adapters mount their routes on it. */
export function createHttpApp(core: Core, isShuttingDown: () => boolean): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(timing(core));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    // While stopping, answer at once: the load balancer must stop sending work now.
    if (isShuttingDown()) {
      res.status(503).json({ status: 'not_ready', shutting_down: true, checks: {} });

      return;
    }
    const checks = await readiness(core);
    const ready = !isShuttingDown() && Object.values(checks).every((c) => c === 'ok');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', shutting_down: isShuttingDown(), checks });
  });
  app.get('/metrics', async (_req, res) => {
    const { contentType, body } = await core.metrics.render();
    res.type(contentType).send(body);
  });

  return app;
}

/**
 * Answer what no route took, and every error a route or body parser raised, with a short JSON
 * body instead of express's HTML page (which shows a stack trace outside production).
 */
export function finishHttpApp(app: Express, core: Core): void {
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);

      return;
    }
    const status = httpStatusOf(err);
    if (status >= 500) core.logger.error({ err }, 'http_request_failed');
    else
      core.logger.warn({ status, type: (err as { type?: unknown }).type }, 'http_request_refused');
    res.status(status).json({ error: errorText(status) });
  });
}

function httpStatusOf(err: unknown): number {
  const status = (err as { status?: unknown; statusCode?: unknown } | undefined)?.status;

  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

function errorText(status: number): string {
  if (status === 413) return 'request too large';
  if (status === 400) return 'malformed request body';
  if (status === 415) return 'unsupported content type';

  return status >= 500 ? 'internal error' : 'request refused';
}

/** Feed the latency histogram, labelled by the matched route so raw URLs never become labels. */
function timing(core: Core) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      core.metrics.observeHttp(route, res.statusCode, seconds);
    });
    next();
  };
}

/** Store writable, directory and Duo reachable; each answered with 'ok' or a short reason. */
async function readiness(core: Core): Promise<Record<string, string>> {
  const probe = async (fn: () => Promise<unknown>): Promise<string> => {
    try {
      await fn();

      return 'ok';
    } catch (err) {
      return err instanceof Error ? err.message.slice(0, 200) : 'failed';
    }
  };

  const [store, directory, duo] = await Promise.all([
    probe(() => core.store.setMeta('readyz', core.now().toISOString())),
    probe(() => core.directory.ping()),
    probe(() => core.duo.check()),
  ]);

  return { store, directory, duo };
}

/**
 * Listen and resolve once the port is bound; reject with an operator's sentence when it cannot be.
 * (express 5's app.listen calls its callback on errors too, which once passed a failed bind on as
 * a server with no address.)
 */
export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(app);
    const failed = (err: NodeJS.ErrnoException): void => reject(listenError(err, port, host));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve(server);
    });
  });
}

function listenError(err: NodeJS.ErrnoException, port: number, host: string): EnrolBotError {
  const where = `port ${port} on ${host}`;
  if (err.code === 'EADDRINUSE') {
    return new EnrolBotError(
      'port_in_use',
      `${where} is already in use (is another enrolbot running?); set PORT to another port`,
      { cause: err },
    );
  }
  if (err.code === 'EACCES') {
    return new EnrolBotError(
      'port_not_allowed',
      `${where} needs privileges this process lacks; set PORT above 1023`,
      { cause: err },
    );
  }
  if (err.code === 'EADDRNOTAVAIL') {
    return new EnrolBotError(
      'host_not_local',
      `cannot listen on ${host}: no network interface here has that address; check HOST`,
      { cause: err },
    );
  }

  return new EnrolBotError('listen_failed', `cannot listen on ${where}: ${err.message}`, {
    cause: err,
  });
}

/**
 * The line `npm start` prints once listening, with the address actually bound (HOST=0.0.0.0 shows
 * 0.0.0.0, an IPv6 address is bracketed); scripts and tests read the URL from it.
 */
export function listeningLine(server: Server, sandbox: boolean): string {
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const where = `http://${host}:${port}/api/messages`;

  return sandbox
    ? `Duo enrol bot listening on ${where} (sandbox: Duo simulator, nothing is really sent)\n`
    : `Duo enrol bot listening on ${where}\n`;
}
