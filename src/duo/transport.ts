/**
 * The signed HTTP transport shared by the Admin and Auth API clients: signing, timeout, the bounded
 * 429 back-off and the mapping of Duo's failure envelope onto src/errors.ts.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Logger } from 'pino';
import {
  DuoApiError,
  DuoAuthError,
  DuoBadRequestError,
  DuoNotFoundError,
  DuoRateLimitError,
  DuoUnavailableError,
} from '../errors.js';
import { canonParams, signRequest, type DuoDigest } from './signing.js';

/** Outcome of one HTTP call, as reported to `onCall` (for metrics). */
export type DuoCallOutcome = 'ok' | 'error' | 'rate_limited' | 'timeout';

/** Options shared by every Duo client; only `ikey`, `skey`, `host` are required. */
export interface DuoClientOptions {
  ikey: string;
  skey: string;
  /** The API hostname that is signed, e.g. api-xxxxxxxx.duosecurity.com. */
  host: string;
  /** Where requests go; defaults to https://host. May be http://127.0.0.1:port for the simulator. */
  baseUrl?: string;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  random?: () => number;
  limiter?: { acquire(): Promise<void> };
  onCall?: (info: { method: string; path: string; outcome: DuoCallOutcome; ms: number }) => void;
  logger?: Logger;
  /** 5 (default): JSON bodies. 2: form bodies, kept for proxies or fakes that need them. */
  signatureVersion?: 2 | 5;
  /** Digest for v2 only; v5 is always SHA-512. */
  v2Digest?: DuoDigest;
  /** Waits before each retry of a 429; the default is Duo's own 1 s, 2 s, 4 s (plus jitter). */
  backoffMs?: readonly number[];
}

/** Parameter values are sent as strings, as the official clients do. */
export type DuoRequestParams = Record<string, string>;

type Method = 'GET' | 'POST' | 'DELETE';

const DEFAULT_BACKOFF = [1000, 2000, 4000] as const;

/** Signs and sends one Duo API call and returns the envelope's `response`. */
export class DuoTransport {
  private readonly baseUrl: string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly httpAgent = new HttpAgent(AGENT_OPTIONS);
  private readonly httpsAgent = new HttpsAgent(AGENT_OPTIONS);

  constructor(private readonly options: DuoClientOptions) {
    this.baseUrl = (options.baseUrl ?? `https://${options.host}`).replace(/\/+$/, '');
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  /** Call Duo; throws a DuoApiError subclass or DuoUnavailableError. Only 429 is retried. */
  async call<T>(method: Method, path: string, params: DuoRequestParams = {}): Promise<T> {
    const backoff = this.options.backoffMs ?? DEFAULT_BACKOFF;

    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.once<T>(method, path, params);
      } catch (err) {
        // A 429 means Duo did not act, so even a POST is safe to repeat.
        const wait = backoff[attempt];
        if (!(err instanceof DuoRateLimitError) || wait === undefined) throw err;

        this.options.logger?.warn({ method, path, attempt, wait_ms: wait }, 'duo_rate_limited');
        await this.sleep(wait + Math.floor(this.random() * 1000));
      }
    }
  }

  private async once<T>(method: Method, path: string, params: DuoRequestParams): Promise<T> {
    await this.options.limiter?.acquire();

    const started = this.now().getTime();
    const report = (outcome: DuoCallOutcome): void => {
      const ms = Math.max(0, this.now().getTime() - started);
      this.options.onCall?.({ method, path, outcome, ms });
      this.options.logger?.debug({ method, path, outcome, ms }, 'duo_call');
    };

    let answer: { status: number; text: string };
    try {
      answer = await this.send(method, path, params);
    } catch (err) {
      const timedOut = err instanceof DuoTimeout;
      report(timedOut ? 'timeout' : 'error');
      throw new DuoUnavailableError(
        timedOut
          ? `Duo did not answer ${method} ${path} in time`
          : `Duo could not be reached for ${method} ${path}: ${networkReason(err)}`,
      );
    }
    const { status, text } = answer;

    try {
      const result = parseEnvelope<T>(method, path, status, text);
      report('ok');
      return result;
    } catch (err) {
      report(err instanceof DuoRateLimitError ? 'rate_limited' : 'error');
      throw err;
    }
  }

  /**
   * One HTTP exchange over the kept-alive agent. A GET whose reused connection turns out to have
   * been closed by the server is tried once more on a fresh one (nothing was done); a POST never is.
   */
  private async send(
    method: Method,
    path: string,
    params: DuoRequestParams,
  ): Promise<{ status: number; text: string }> {
    const query = method === 'POST' ? '' : canonParams(params);
    const url = new URL(`${this.baseUrl}${path}${query ? `?${query}` : ''}`);
    const { headers, body } = this.sign(method, path, params);

    try {
      return await this.exchange(url, method, headers, body);
    } catch (err) {
      if (method !== 'GET' || !(err instanceof StaleConnection)) throw err;
      return this.exchange(url, method, headers, body);
    }
  }

  private exchange(
    url: URL,
    method: Method,
    headers: Record<string, string | number>,
    body: string | undefined,
  ): Promise<{ status: number; text: string }> {
    const secure = url.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;

    return new Promise((resolve, reject) => {
      const req = send(url, { method, headers, agent: secure ? this.httpsAgent : this.httpAgent });
      let settled = false;
      const timer = setTimeout(
        () => req.destroy(new DuoTimeout()),
        this.options.timeoutMs ?? 10_000,
      );
      const fail = (err: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const stale = req.reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET';
        reject(stale ? new StaleConnection(err) : err);
      };
      req.once('error', fail);
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error('answer too large'));
          else chunks.push(chunk);
        });
        res.once('error', fail);
        // A connection cut mid-answer closes the response without 'end'.
        res.once('close', () => {
          if (!res.complete) fail(new Error('answer cut short'));
        });
        res.once('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.end(body);
    });
  }

  private sign(
    method: Method,
    path: string,
    params: DuoRequestParams,
  ): { headers: Record<string, string | number>; body: string | undefined } {
    const version = this.options.signatureVersion ?? 5;
    const date = this.now().toUTCString();
    const hasBody = method === 'POST';
    const body = !hasBody ? '' : version === 5 ? JSON.stringify(params) : canonParams(params);
    const authorization = signRequest({
      version,
      digest: this.options.v2Digest,
      ikey: this.options.ikey,
      skey: this.options.skey,
      method,
      host: this.options.host,
      path,
      // v5 signs a POST's parameters through the body hash, so its params line is empty.
      params: version === 5 && hasBody ? {} : params,
      date,
      body,
    });
    const headers: Record<string, string | number> = { Date: date, Authorization: authorization };
    if (!hasBody) return { headers, body: undefined };

    headers['Content-Type'] =
      version === 5 ? 'application/json' : 'application/x-www-form-urlencoded';
    headers['Content-Length'] = Buffer.byteLength(body);

    return { headers, body };
  }
}

/** Node's http client on kept-alive connections: a Duo call costs a quarter of fetch's CPU. */
const AGENT_OPTIONS = {
  keepAlive: true,
  maxSockets: 32,
  scheduling: 'lifo',
} as const;

/** Duo's answers are small; anything this large is not Duo. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

/** The call's own deadline passed. */
class DuoTimeout extends Error {
  constructor() {
    super('timed out');
  }
}

/** A kept-alive connection the server had already closed: the request never reached it. */
class StaleConnection extends Error {
  constructor(readonly original: unknown) {
    super('ECONNRESET');
  }
}

/** Duo's failure envelope; `code` has been seen as a number and as a string. */
interface Envelope {
  stat?: unknown;
  response?: unknown;
  code?: number | string;
  message?: unknown;
  message_detail?: unknown;
}

/** Turn an HTTP answer into the `response` value or the matching error class. */
export function parseEnvelope<T>(method: string, path: string, status: number, text: string): T {
  let body: Envelope | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && 'stat' in parsed) body = parsed as Envelope;
  } catch {
    body = undefined;
  }

  if (status === 200 && body?.stat === 'OK') return body.response as T;

  // Gateways answer 5xx and HTML pages; the call may still have happened, so it is "unavailable".
  if (status >= 500 || !body) {
    throw new DuoUnavailableError(`Duo answered ${method} ${path} with HTTP ${status}`);
  }

  const code = body.code === undefined || body.code === '' ? undefined : Number(body.code);
  const detail = typeof body.message_detail === 'string' ? ` (${body.message_detail})` : '';
  const duoMessage = typeof body.message === 'string' ? body.message : 'no message';
  const message = `Duo refused ${method} ${path}: ${duoMessage}${detail}`;
  // Keep a code that is not a number as Duo sent it rather than lose it.
  const duoCode = code === undefined || Number.isFinite(code) ? code : body.code;

  if (status === 429 || code === 42901) throw new DuoRateLimitError(status, duoCode, message);
  if (status === 401 || code === 40102 || code === 40103 || code === 40301) {
    throw new DuoAuthError(status, duoCode, message);
  }
  if (status === 404 || code === 40401) throw new DuoNotFoundError(status, duoCode, message);
  if (status === 400) throw new DuoBadRequestError(status, duoCode, message);
  if (status === 403) throw new DuoAuthError(status, duoCode, message);

  throw new DuoApiError(status, duoCode, message);
}

/** A short reason from a network failure, without anything from the request itself. */
function networkReason(err: unknown): string {
  const original = err instanceof StaleConnection ? err.original : err;
  const code = (original as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return code;
  return original instanceof Error ? original.message : 'unknown error';
}
