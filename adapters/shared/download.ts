/** Reading an attached file from a platform's file host, with a hard cap on its size. */
import { FileRefusedError } from '../../bot/ports.js';

/** The body of a file download as text, refusing it as soon as it grows past `maxBytes`. */
export async function readCapped(
  response: Response,
  name: string,
  maxBytes: number,
): Promise<string> {
  const limit =
    maxBytes >= 1_000_000
      ? `${Math.round(maxBytes / 100_000) / 10} MB`
      : `${Math.round(maxBytes / 1000)} kB`;
  const tooBig = () => new FileRefusedError(`I did not read ${name}: it is larger than ${limit}.`);
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooBig();
  if (!response.body) return '';

  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooBig();
    chunks.push(chunk);
  }

  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

/** Loopback hosts, accepted as file hosts outside production so tests can serve files. */
export const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
