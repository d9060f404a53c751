/**
 * The HTTP server: one express app on PORT serving the chat endpoints (mounted by the platform
 * adapters) and the operator endpoints /healthz and /readyz.
 */
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import type { Core } from '../runtime.js';

/** An express app with the operator endpoints; adapters mount their routes on it. */
export function createHttpApp(core: Core, isShuttingDown: () => boolean): Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await readiness(core);
    const ready = !isShuttingDown() && Object.values(checks).every((c) => c === 'ok');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', shutting_down: isShuttingDown(), checks });
  });

  return app;
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

/** Listen and resolve once the port is bound. */
export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => resolve(server));
    server.once('error', reject);
  });
}
