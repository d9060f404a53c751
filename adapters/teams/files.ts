/**
 * Files attached in Teams (CSV bulk requests). In a personal chat Teams hands the bot a
 * pre-authorised download URL on the tenant's SharePoint; only such hosts are read (and loopback
 * outside production, for tests), never an address a message merely names.
 */
import type { Attachment } from 'botbuilder';
import { FileRefusedError, type IncomingFile } from '../../bot/ports.js';
import { LOOPBACK_HOSTS, readCapped } from '../shared/download.js';

const DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';
const SHAREPOINT_SUFFIXES = [
  '.sharepoint.com',
  '.sharepoint.us',
  '.sharepoint-mil.us',
  '.sharepoint.cn',
];

export interface TeamsFileOptions {
  production: boolean;
  maxBytes: number;
  fetch?: typeof fetch;
}

/** The CSV files among a message's attachments, as the bot reads them. */
export function incomingFiles(
  attachments: Attachment[] | undefined,
  options: TeamsFileOptions,
): IncomingFile[] {
  return (attachments ?? [])
    .filter((a) => a.contentType === DOWNLOAD_INFO && (a.name ?? '').toLowerCase().endsWith('.csv'))
    .map((a) => {
      const name = a.name ?? 'file.csv';
      const url = (a.content as { downloadUrl?: string } | undefined)?.downloadUrl;

      return { name, read: () => download(name, url, options) };
    });
}

/** Why Teams' download URL may not be read, or undefined when it may. */
export function teamsUrlProblem(raw: string | undefined, production: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw ?? '');
  } catch {
    return 'Teams gave no download address for it';
  }
  if (url.protocol === 'https:' && SHAREPOINT_SUFFIXES.some((s) => url.hostname.endsWith(s)))
    return undefined;
  if (!production && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;

  return "it is not stored in your organisation's SharePoint or OneDrive";
}

async function download(
  name: string,
  url: string | undefined,
  options: TeamsFileOptions,
): Promise<string> {
  const problem = teamsUrlProblem(url, options.production);
  if (problem) throw new FileRefusedError(`I did not read ${name}: ${problem}.`);

  const response = await (options.fetch ?? fetch)(url!, {
    redirect: 'error',
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok)
    throw new FileRefusedError(`Teams would not give me ${name} (HTTP ${response.status}).`);

  return readCapped(response, name, options.maxBytes);
}
