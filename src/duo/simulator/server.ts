/**
 * The Duo simulator over real HTTP: checks the ikey and the v5/v2 signature like Duo, applies a
 * configurable rate limit and injected failures, then runs the route against the model.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { signRequest, type DuoParams } from '../signing.js';
import { DuoModel, SimFailure, type SimDirectoryEntry, type SimState } from './model.js';
import { matchRoute, type PushOutcome, type RouteContext } from './routes.js';

/** How an injected failure behaves: HTTP 500, an HTML gateway page, no answer, a reset. */
export type FailureKind = 'http500' | 'html' | 'hang' | 'reset';

export interface InjectedFailure {
  /** Exact path, or a prefix when it ends with `*`. */
  path: string;
  method?: string;
  kind: FailureKind;
  /** How many matching calls fail (default 1). */
  count?: number;
  /** Run the operation first, then fail the answer: "it may have happened". */
  apply?: boolean;
}

export interface DuoSimulatorOptions {
  port?: number;
  host?: string;
  ikey: string;
  skey: string;
  /** The host the clients sign, e.g. api-sim.duosecurity.test. */
  apiHost: string;
  /** Auth API credentials; the Admin ones when unset. */
  authIkey?: string;
  authSkey?: string;
  directoryKey?: string;
  directory?: SimDirectoryEntry[];
  /** Whether syncuser imports the directory's mobile as a phone (off, like many real setups). */
  importPhones?: boolean;
  state?: Partial<SimState>;
  now?: () => number;
  /** Called after every call that may have changed state (for the CLI's state file). */
  onChange?: (state: SimState) => void;
}

/** A running simulator. */
export interface DuoSimulator {
  url: string;
  model: DuoModel;
  stop(): Promise<void>;
  /** N calls per window (default one second) and then 429/42901; `null` removes the limit. */
  setRateLimit(limit: { calls: number; windowMs?: number } | null): void;
  injectFailure(failure: InjectedFailure): void;
  setPushOutcome(outcome: PushOutcome, pendingPolls?: number): void;
}

const LOOPBACK = ['127.0.0.1', '::1', '::ffff:127.0.0.1', 'localhost'];

/** Start the simulator on loopback; port 0 picks a free port. */
export async function startDuoSimulator(options: DuoSimulatorOptions): Promise<DuoSimulator> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.includes(host)) throw new Error('the Duo simulator only listens on loopback');

  const now = options.now ?? Date.now;
  const model = new DuoModel(
    options.state,
    {
      key: options.directoryKey,
      entries: options.directory ?? [],
      importPhones: options.importPhones ?? false,
    },
    now,
  );
  const ctx: RouteContext = { model, push: { outcome: 'allow', pendingPolls: 0 } };
  const failures: InjectedFailure[] = [];
  let limit: { calls: number; windowMs: number } | null = null;
  let window = { start: 0, count: 0 };
  const sockets = new Set<Socket>();

  const overLimit = (): boolean => {
    if (!limit) return false;
    const t = now();
    if (t - window.start >= limit.windowMs) window = { start: t, count: 0 };
    window.count += 1;
    return window.count > limit.calls;
  };

  const takeFailure = (method: string, pathname: string): InjectedFailure | undefined => {
    const f = failures.find(
      (x) =>
        (!x.method || x.method === method) &&
        (x.path.endsWith('*') ? pathname.startsWith(x.path.slice(0, -1)) : x.path === pathname),
    );
    if (f) {
      f.count = (f.count ?? 1) - 1;
      if (f.count <= 0) failures.splice(failures.indexOf(f), 1);
    }
    return f;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = req.method ?? 'GET';
    const raw = await readBody(req);

    if (url.pathname === '/__simulator/state' && method === 'GET') {
      if (!LOOPBACK.includes(req.socket.remoteAddress ?? ''))
        return send(res, 403, 'loopback only');
      return send(res, 200, JSON.stringify(model.state));
    }
    if (url.pathname === '/auth/v2/ping') {
      return send(res, 200, ok({ time: Math.floor(now() / 1000) }));
    }

    const found = matchRoute(method, url.pathname);
    const creds =
      found?.api === 'auth'
        ? { ikey: options.authIkey ?? options.ikey, skey: options.authSkey ?? options.skey }
        : { ikey: options.ikey, skey: options.skey };
    const params = requestParams(req, url, raw);
    const authError = checkSignature(
      req,
      method,
      url.pathname,
      params,
      raw,
      options.apiHost,
      creds,
    );
    if (authError) return send(res, 401, fail(authError));
    if (overLimit()) return send(res, 429, fail(new SimFailure(429, 42901, 'Too Many Requests')));

    const failure = takeFailure(method, url.pathname);
    if (failure && !failure.apply) return misbehave(res, failure.kind);
    if (!found) return send(res, 404, fail(new SimFailure(404, 40401, 'Resource not found')));

    let status = 200;
    let body: string;
    try {
      body = ok(found.handler(ctx, params.flat, found.match));
    } catch (err) {
      if (!(err instanceof SimFailure)) throw err;
      status = err.httpStatus;
      body = fail(err);
    }
    if (method !== 'GET') options.onChange?.(model.state);
    if (failure) return misbehave(res, failure.kind);
    send(res, status, body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      send(res, 500, fail(new SimFailure(500, 50000, 'Internal error', String(err))));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    model,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
    setRateLimit: (l) => {
      limit = l ? { calls: l.calls, windowMs: l.windowMs ?? 1000 } : null;
      window = { start: now(), count: 0 };
    },
    injectFailure: (f) => failures.push({ ...f }),
    setPushOutcome: (outcome, pendingPolls = 0) => {
      ctx.push = { outcome, pendingPolls };
    },
  };
}

interface Params {
  /** For signing: every value of every key. */
  all: DuoParams;
  /** For routes: the first value of every key. */
  flat: Record<string, string>;
}

function requestParams(req: IncomingMessage, url: URL, raw: string): Params {
  const type = req.headers['content-type'] ?? '';
  const all: Record<string, string[]> = {};
  const flat: Record<string, string> = {};
  const add = (k: string, v: string): void => {
    (all[k] ??= []).push(v);
    flat[k] ??= v;
  };

  if (type.startsWith('application/json')) {
    try {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      for (const [k, v] of Object.entries(body)) add(k, String(v));
    } catch {
      // An unparsable body fails the signature or the route, as it would at Duo.
    }
  } else if (type.startsWith('application/x-www-form-urlencoded')) {
    new URLSearchParams(raw).forEach((v, k) => add(k, v));
  }
  url.searchParams.forEach((v, k) => add(k, v));

  return { all, flat };
}

function checkSignature(
  req: IncomingMessage,
  method: string,
  path: string,
  params: Params,
  raw: string,
  host: string,
  creds: { ikey: string; skey: string },
): SimFailure | undefined {
  const header = req.headers.authorization ?? '';
  const decoded = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');
  const ikey = decoded.split(':')[0];
  if (!header.startsWith('Basic ') || ikey !== creds.ikey) {
    return new SimFailure(401, 40102, 'Invalid integration key in request credentials');
  }

  const date = String(req.headers['x-duo-date'] ?? req.headers.date ?? '');
  const xduo: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (k.startsWith('x-duo-')) xduo[k] = String(v);
  const isJson = (req.headers['content-type'] ?? '').startsWith('application/json');
  const base = { ...creds, method, host, path, date };
  const query: DuoParams = {};
  new URL(req.url ?? '/', 'http://x').searchParams.forEach((v, k) => {
    query[k] = [...(query[k] ?? []), v];
  });
  const candidates = [
    signRequest({ ...base, version: 5, params: query, body: raw, headers: xduo }),
    ...(isJson
      ? []
      : [
          signRequest({ ...base, version: 2, digest: 'sha512', params: params.all }),
          signRequest({ ...base, version: 2, digest: 'sha1', params: params.all }),
        ]),
  ];
  const given = Buffer.from(header);
  const valid = candidates.some(
    (c) => c.length === header.length && timingSafeEqual(Buffer.from(c), given),
  );

  return valid ? undefined : new SimFailure(401, 40103, 'Invalid signature in request credentials');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const ok = (response: unknown): string => JSON.stringify({ stat: 'OK', response });

function fail(f: SimFailure): string {
  const body: Record<string, unknown> = { stat: 'FAIL', code: f.code, message: f.message };
  if (f.detail) body.message_detail = f.detail;
  return JSON.stringify(body);
}

function send(res: ServerResponse, status: number, body: string): void {
  const type = body.startsWith('{') ? 'application/json' : 'text/plain';
  res.writeHead(status, { 'Content-Type': type }).end(body);
}

function misbehave(res: ServerResponse, kind: FailureKind): void {
  if (kind === 'hang') return;
  if (kind === 'reset') {
    res.socket?.destroy();
    return;
  }
  if (kind === 'html') {
    res.writeHead(502, { 'Content-Type': 'text/html' });
    res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    return;
  }
  send(res, 500, fail(new SimFailure(500, 50000, 'Internal server error')));
}
