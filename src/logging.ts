/**
 * The product's structured logger (pino). Whatever a caller passes, a log line never carries a
 * secret or a readable phone number or e-mail address: secret-named fields are redacted at any
 * depth, every string (the message included) goes through maskText, and errors keep only their
 * class, code and masked message, because HTTP clients hang request headers off their errors.
 */
import { format } from 'node:util';
import { pino, type DestinationStream, type Logger } from 'pino';
import { maskText } from './mask.js';

export type { Logger } from 'pino';

/** Options for createLogger. */
export interface LoggerOptions {
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  level: string;
  /** Where lines go (default: standard output); tests pass a stream to read them back. */
  destination?: DestinationStream;
  /** The `name` field on every line. */
  name?: string;
}

/** A pino logger that redacts secrets and masks phone numbers and e-mails in every line. */
export function createLogger(options: LoggerOptions): Logger {
  const logger = pino(
    {
      level: options.level,
      name: options.name ?? 'enrolbot',
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: { logMethod: cleanLogCall },
      formatters: {
        bindings: (bindings) => sanitise(bindings) as Record<string, unknown>,
        log: (object) => sanitise(object) as Record<string, unknown>,
      },
      // Errors are already reduced by sanitise; pino's own err serializer would rebuild them.
      serializers: { err: keepAsIs, error: keepAsIs },
    },
    options.destination ?? pino.destination(1),
  );

  // pino applies the bindings formatter to the root logger only; children inherit this method
  // through their prototype, so their bindings are made safe at every level of nesting.
  const child = logger.child;
  logger.child = function safeChild(this: Logger, bindings, childOptions) {
    return child.call(this, sanitise(bindings) as typeof bindings, childOptions);
  } as typeof logger.child;
  return logger;
}

/** A child logger for one enrolment request: every line carries `request_id`. */
export function requestLogger(base: Logger, requestId: string): Logger {
  return base.child({ request_id: requestId });
}

/**
 * Runs before pino sees the call: an Error or an object is made safe here (so pino's own "use
 * the error's message" fallback reads the masked one), and printf-style arguments are formatted
 * and masked as a whole, since pino would otherwise interpolate them after every hook.
 */
function cleanLogCall(this: Logger, args: unknown[], method: (...a: unknown[]) => void): void {
  const [first, ...rest] = args;

  if (typeof first === 'string') {
    method.call(this, cleanText(format(first, ...rest)));
    return;
  }

  const object = first instanceof Error ? { err: first } : first;
  const safe = sanitise(object);
  const message = rest.length > 0 ? cleanText(format(...rest)) : messageFromError(safe);
  if (message === undefined) method.call(this, safe);
  else method.call(this, safe, message);
}

function keepAsIs(value: unknown): unknown {
  return value;
}

function messageFromError(safe: unknown): string | undefined {
  if (typeof safe !== 'object' || safe === null || 'msg' in safe) return undefined;
  const err = (safe as { err?: { message?: unknown } }).err;
  return typeof err?.message === 'string' ? err.message : undefined;
}

// ---- Sanitising ------------------------------------------------------------------------------

/** What replaces a secret. */
export const REDACTED = '[redacted]';

const SECRET_KEYS = new Set([
  'skey',
  'password',
  'passwd',
  'pwd',
  'secret',
  'token',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'bindpassword',
  'clientsecret',
  'apppassword',
  'bottoken',
  'signingsecret',
  'apptoken',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'apikey',
  'privatekey',
  'signature',
  'xslacksignature',
]);
const SECRET_SUFFIXES = ['password', 'secret', 'token', 'skey', 'apikey', 'cookie', 'privatekey'];

/** Error fields that carry no secrets and help an operator; everything else is dropped. */
const SAFE_ERROR_FIELDS = [
  'code',
  'httpStatus',
  'duoCode',
  'status',
  'statusCode',
  'variable',
  'directory',
  'requestId',
  'actualState',
  'errno',
  'syscall',
];

const MAX_DEPTH = 8;
const MAX_ERROR_DEPTH = 4;
const MAX_ENTRIES = 100;

/** True for field names that hold secrets, however spelled (`client_secret`, `X-Auth-Token`). */
export function isSecretKey(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_KEYS.has(normalised) || SECRET_SUFFIXES.some((s) => normalised.endsWith(s));
}

/** Credentials removed, then phone numbers and e-mails masked. */
export function cleanText(text: string): string {
  const withoutSecrets = text
    .replace(/\b(bearer|basic)\s+[a-z0-9._~+/=-]{4,}/gi, '$1 [redacted]')
    .replace(/\bx(?:ox[a-z]|app)-[a-z0-9-]+/gi, REDACTED)
    .replace(/\b([a-z][a-z0-9+.-]{0,20}:\/\/)[^\s/@]{1,256}@/gi, '$1[redacted]@')
    .replace(/\b([a-z0-9_]*(?:password|secret|token|skey|signature))=[^&\s"']+/gi, '$1=[redacted]');
  return maskText(withoutSecrets);
}

/** A copy of `value` that is safe to log (see the module comment). */
export function sanitise(value: unknown): unknown {
  return walk(value, 0, new WeakSet());
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (typeof value !== 'object' || value === null) return value;

  if (value instanceof Error) return serialiseError(value, 0, seen);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return '[binary]';
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);

  if (Array.isArray(value)) {
    return value.slice(0, MAX_ENTRIES).map((item) => walk(item, depth + 1, seen));
  }
  if (value instanceof Map || value instanceof Set) return `[${value.constructor.name}]`;

  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).slice(0, MAX_ENTRIES)) {
    const item = (value as Record<string, unknown>)[key];
    out[key] = isSecretKey(key) ? REDACTED : walk(item, depth + 1, seen);
  }
  return out;
}

/**
 * Class, code, masked message, stack frames and the chain of causes; nothing else, because
 * errors from HTTP and LDAP clients carry request options, headers and bind credentials.
 */
function serialiseError(err: Error, depth: number, seen: WeakSet<object>): unknown {
  if (seen.has(err)) return '[circular]';
  seen.add(err);

  const fields = err as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {
    type: err.name || err.constructor?.name || 'Error',
    message: cleanText(String(err.message ?? '')),
  };
  for (const key of SAFE_ERROR_FIELDS) {
    const field = fields[key];
    if (typeof field === 'string') out[key] = cleanText(field);
    else if (typeof field === 'number' || typeof field === 'boolean') out[key] = field;
  }

  const frames = stackFrames(err.stack);
  if (frames) out.stack = frames;

  if (depth < MAX_ERROR_DEPTH) {
    const cause = err.cause;
    if (cause instanceof Error) out.cause = serialiseError(cause, depth + 1, seen);
    else if (typeof cause === 'string') out.cause = cleanText(cause);
    if (err instanceof AggregateError && Array.isArray(err.errors)) {
      out.errors = err.errors
        .slice(0, 5)
        .map((e: unknown) => (e instanceof Error ? serialiseError(e, depth + 1, seen) : '[value]'));
    }
  }
  return out;
}

/** Only the `at ...` lines: the first lines of a stack repeat the (unmasked) message. */
function stackFrames(stack: string | undefined): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const frames = stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 20)
    .map((line) => cleanText(line.trim()));
  return frames.length > 0 ? frames.join('\n') : undefined;
}
