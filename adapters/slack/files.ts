/**
 * Files attached to Slack messages (CSV bulk requests). They are read only from Slack's own file
 * host with the bot token, or from loopback outside production (tests): never from a URL that a
 * message merely names, because the token would go with the request.
 */
import { FileRefusedError, type IncomingFile } from '../../bot/ports.js';
import { LOOPBACK_HOSTS, readCapped } from '../shared/download.js';

/** What a Slack message event says about one attached file. */
export interface SlackFile {
  id?: string;
  name?: string;
  title?: string;
  filetype?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
}

/** The largest CSV the bot reads, and the only type. */
export const SLACK_FILE_LIMITS = { maxBytes: 1_000_000, extension: '.csv' } as const;

const SLACK_FILE_HOSTS = new Set(['files.slack.com']);

/** A file the bot will not read, with a sentence for the person who sent it. */
export class SlackFileRefusedError extends FileRefusedError {
  override readonly name = 'SlackFileRefusedError';
}

export interface SlackFileOptions {
  botToken: string;
  production: boolean;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Why a file URL may not be fetched with the bot token, or undefined when it may. */
export function urlProblem(raw: string | undefined, production: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw ?? '');
  } catch {
    return 'it has no Slack file address';
  }
  if (url.protocol === 'https:' && SLACK_FILE_HOSTS.has(url.hostname)) return undefined;
  if (!production && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;

  return 'it is not stored on Slack (files.slack.com)';
}

/** Why a file is refused before any download, or undefined when it may be read. */
export function fileProblem(file: SlackFile, production: boolean): string | undefined {
  const name = file.name ?? file.title ?? '';
  if (!name.toLowerCase().endsWith(SLACK_FILE_LIMITS.extension) && file.filetype !== 'csv')
    return 'only .csv files are read';
  if (typeof file.size === 'number' && file.size > SLACK_FILE_LIMITS.maxBytes)
    return `it is larger than ${SLACK_FILE_LIMITS.maxBytes / 1_000_000} MB`;

  return urlProblem(file.url_private_download ?? file.url_private, production);
}

/** The file as the bot sees it; read() checks the host again and caps what it downloads. */
export function incomingFile(file: SlackFile, options: SlackFileOptions): IncomingFile {
  const name = file.name ?? file.title ?? 'file.csv';

  return {
    name,
    size: file.size,
    read: () => download(file, name, options),
  };
}

async function download(file: SlackFile, name: string, options: SlackFileOptions) {
  const problem = fileProblem(file, options.production);
  if (problem) throw new SlackFileRefusedError(`I did not read ${name}: ${problem}.`);

  const url = (file.url_private_download ?? file.url_private)!;
  const response = await (options.fetch ?? fetch)(url, {
    headers: { authorization: `Bearer ${options.botToken}` },
    // A redirect could lead anywhere; Slack serves files directly to a bot token.
    redirect: 'error',
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  });
  if (!response.ok) throw new SlackFileRefusedError(`Slack would not give me ${name}.`);
  if ((response.headers.get('content-type') ?? '').includes('text/html')) {
    throw new SlackFileRefusedError(
      `Slack answered with a web page instead of ${name}; the app needs the files:read scope.`,
    );
  }

  return readCapped(response, name, SLACK_FILE_LIMITS.maxBytes);
}
