/**
 * Duo request signing (v2 and v5), as pure functions: the date is an argument, so the published
 * vectors in fixtures/duo/signing-vectors.json can be checked byte for byte.
 */
import { createHash, createHmac } from 'node:crypto';

/** Request parameters; a key may repeat, so every value may be a list. */
export type DuoParams = Record<string, string | readonly string[]>;

/** HMAC digest used by a signature. v5 always uses sha512. */
export type DuoDigest = 'sha1' | 'sha512';

/** What a signature covers. `body` and `headers` matter only to v5. */
export interface SignInput {
  version: 2 | 5;
  digest?: DuoDigest;
  ikey: string;
  skey: string;
  method: string;
  host: string;
  path: string;
  params: DuoParams;
  date: string;
  body?: string;
  headers?: Record<string, string>;
}

/**
 * Duo's percent-encoding: only unreserved characters stay literal and hex is upper-case.
 * encodeURIComponent leaves `!'()*` alone, which Duo encodes, hence the second pass.
 */
export function duoEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The params line: encoded pairs sorted by key, repeated values sorted, joined with `&`. */
export function canonParams(params: DuoParams): string {
  const pairs: string[] = [];
  const keys = Object.keys(params)
    .map((k) => ({ raw: k, enc: duoEncode(k) }))
    .sort((a, b) => compareBytes(a.enc, b.enc));

  for (const key of keys) {
    const raw = params[key.raw] ?? [];
    const values = (typeof raw === 'string' ? [raw] : [...raw]).map(duoEncode).sort(compareBytes);
    for (const value of values) pairs.push(`${key.enc}=${value}`);
  }

  return pairs.join('&');
}

/** Hex SHA-512 of a string, as v5 uses for the body and the x-duo header block. */
export function sha512Hex(text: string): string {
  return createHash('sha512').update(text, 'utf8').digest('hex');
}

/** Hash of every `x-duo-*` header: lower-cased names, sorted, joined as name\0value\0... */
export function canonXDuoHeaders(headers: Record<string, string> = {}): string {
  const picked = Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .filter(([name]) => name.startsWith('x-duo-'))
    .sort(([a], [b]) => compareBytes(a, b));
  const names = new Set(picked.map(([name]) => name));
  if (names.size !== picked.length) throw new Error('duplicate x-duo header');
  if (picked.some(([n, v]) => n.includes('\0') || v.includes('\0'))) {
    throw new Error('x-duo header contains NUL');
  }

  return sha512Hex(picked.map(([name, value]) => `${name}\0${value}`).join('\0'));
}

/** The canonical string that is HMAC-signed, for the signature version asked. */
export function canonicalString(input: SignInput): string {
  const lines = [
    input.date,
    input.method.toUpperCase(),
    input.host.toLowerCase(),
    input.path,
    canonParams(input.params),
  ];
  if (input.version === 5) {
    lines.push(sha512Hex(input.body ?? ''), canonXDuoHeaders(input.headers));
  }

  return lines.join('\n');
}

/** The value of the `Authorization` header: Basic base64(ikey:hex-hmac). */
export function signRequest(input: SignInput): string {
  const digest: DuoDigest = input.version === 5 ? 'sha512' : (input.digest ?? 'sha512');
  const mac = createHmac(digest, Buffer.from(input.skey, 'utf8'))
    .update(canonicalString(input), 'utf8')
    .digest('hex');

  return `Basic ${Buffer.from(`${input.ikey}:${mac}`, 'utf8').toString('base64')}`;
}

/** Duo sorts by the encoded bytes; encoded strings are ASCII, so code-unit order is byte order. */
function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
