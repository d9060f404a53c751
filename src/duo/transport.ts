/**
 * The signed HTTP transport shared by the Admin and Auth API clients: signing, timeout, the bounded
 * 429 back-off and the mapping of Duo's failure envelope onto src/errors.ts.
 */
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

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs ?? 10_000);
    let status: number;
    let text: string;
    try {
      const res = await fetch(this.buildUrl(method, path, params), {
        ...this.buildInit(method, path, params),
        signal: controller.signal,
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      const timedOut = controller.signal.aborted;
      report(timedOut ? 'timeout' : 'error');
      throw new DuoUnavailableError(
        timedOut
          ? `Duo did not answer ${method} ${path} in time`
          : `Duo could not be reached for ${method} ${path}: ${networkReason(err)}`,
      );
    } finally {
      clearTimeout(timer);
    }

    try {
      const result = parseEnvelope<T>(method, path, status, text);
      report('ok');
      return result;
    } catch (err) {
      report(err instanceof DuoRateLimitError ? 'rate_limited' : 'error');
      throw err;
    }
  }

  private buildUrl(method: Method, path: string, params: DuoRequestParams): string {
    const query = method === 'POST' ? '' : canonParams(params);
    return `${this.baseUrl}${path}${query ? `?${query}` : ''}`;
  }

  private buildInit(method: Method, path: string, params: DuoRequestParams): RequestInit {
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
    const headers: Record<string, string> = { Date: date, Authorization: authorization };
    if (hasBody) {
      headers['Content-Type'] =
        version === 5 ? 'application/json' : 'application/x-www-form-urlencoded';
    }

    return { method, headers, body: hasBody ? body : undefined };
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

/** A short reason from a fetch failure, without anything from the request itself. */
function networkReason(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  return err instanceof Error ? err.message : 'unknown error';
}
