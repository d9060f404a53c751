/**
 * `npm run doctor`: check every configured connection and say what is wrong and what to set.
 * Exits 0 only when everything configured works; platforms that are not configured are reported
 * as skipped, not failed. Every check is read-only.
 */
import 'dotenv/config';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../config/index.js';
import type { Env } from '../config/parse.js';
import { createDirectory, type DirectoryDeps } from '../directory/create.js';
import { DuoAuthClient } from '../duo/authClient.js';
import { DuoAdminClient } from '../duo/client.js';
import { ConfigError, DuoAuthError } from '../errors.js';
import { cleanText } from '../logging.js';
import { parseStore } from '../store/schema.js';

/** One line of the report. */
export interface CheckResult {
  name: string;
  status: 'ok' | 'failed' | 'skipped';
  detail: string;
}

/** What the doctor talks through; tests point these at local fakes. */
export interface DoctorDeps {
  fetch?: typeof fetch;
  directoryDeps?: DirectoryDeps;
  timeoutMs?: number;
}

const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com/.default';

/** Run every check and return the report; never throws. */
export async function runDoctor(env: Env, deps: DoctorDeps = {}): Promise<CheckResult[]> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    const detail =
      err instanceof ConfigError ? err.message : `cannot read the configuration (${text(err)})`;

    return [{ name: 'configuration', status: 'failed', detail }];
  }

  const results: CheckResult[] = [
    { name: 'configuration', status: 'ok', detail: 'every variable is valid' },
  ];
  results.push(await checkStore(config.storePath));
  results.push(...(await checkDirectories(config, deps)));
  results.push(await checkDuoAdmin(config, deps));
  results.push(await checkDuoAuth(config, deps));
  results.push(await checkBotFramework(config, deps));
  results.push(await checkSlack(config, deps));

  return results;
}

/**
 * The store file, checked as the bot checks it at start-up. It is only read: no lock is taken (a
 * running bot holds it) and nothing is written. The bot replaces the file by rename, so a read
 * sees one whole version of it.
 */
async function checkStore(file: string): Promise<CheckResult> {
  const name = 'store';
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { name, status: 'skipped', detail: `${file} does not exist yet; the bot creates it` };
    }

    return {
      name,
      status: 'failed',
      detail: `cannot read ${file} (${text(err)}). Check STORE_PATH`,
    };
  }

  try {
    const data = parseStore(content, file);
    const counts = `${data.requests.length} request(s) and ${data.batches.length} batch(es)`;

    return { name, status: 'ok', detail: `${file} holds ${counts}, all readable` };
  } catch (err) {
    return { name, status: 'failed', detail: text(err) };
  }
}

async function checkDirectories(config: Config, deps: DoctorDeps): Promise<CheckResult[]> {
  const directory = await createDirectory(config, deps.directoryDeps ?? {});
  try {
    const health = await directory.pingEach();

    return health.map((h) => {
      const name = `directory ${h.source}`;
      if (!h.error) return { name, status: 'ok', detail: `${h.name} answers` };

      return { name, status: 'failed', detail: `${h.error.message}. ${directoryHint(h.source)}` };
    });
  } finally {
    await directory.close().catch(() => undefined);
  }
}

function directoryHint(source: string): string {
  if (source === 'ldap') return 'Check LDAP_URL, LDAP_BIND_DN, LDAP_BIND_PASSWORD and LDAP_CA_FILE';
  if (source === 'graph') {
    return 'Check GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET and the app permissions';
  }

  return 'Check DIRECTORY_FILE';
}

async function checkDuoAdmin(config: Config, deps: DoctorDeps): Promise<CheckResult> {
  const name = 'Duo Admin API';
  if (config.duo.simulator) {
    return { name, status: 'skipped', detail: 'DUO_API_HOST is unset: the bot uses its simulator' };
  }
  const client = new DuoAdminClient({
    ikey: config.duo.ikey,
    skey: config.duo.skey,
    host: config.duo.host,
    baseUrl: config.duo.url,
    timeoutMs: deps.timeoutMs ?? config.duo.timeoutMs,
    backoffMs: [],
  });

  return duoCheck(name, () => client.check(), 'DUO_IKEY, DUO_SKEY and DUO_API_HOST');
}

async function checkDuoAuth(config: Config, deps: DoctorDeps): Promise<CheckResult> {
  const name = 'Duo Auth API (push step-up)';
  const auth = config.duo.auth;
  if (!auth) return { name, status: 'skipped', detail: 'DUO_AUTH_HOST is unset: no step-up' };
  if (config.duo.simulator) {
    return { name, status: 'skipped', detail: 'the simulator answers the Auth API' };
  }
  const client = new DuoAuthClient({
    ikey: auth.ikey,
    skey: auth.skey,
    host: auth.host,
    baseUrl: auth.url,
    timeoutMs: deps.timeoutMs ?? config.duo.timeoutMs,
    backoffMs: [],
  });

  return duoCheck(name, () => client.check(), 'DUO_AUTH_IKEY, DUO_AUTH_SKEY and DUO_AUTH_HOST');
}

async function duoCheck(
  name: string,
  call: () => Promise<void>,
  variables: string,
): Promise<CheckResult> {
  try {
    await call();

    return { name, status: 'ok', detail: 'the credentials work' };
  } catch (err) {
    const hint =
      err instanceof DuoAuthError
        ? `Duo refused the credentials; check ${variables} (an Admin API application needs "Grant read resource")`
        : `Duo could not be reached; check ${variables} and the network`;

    return { name, status: 'failed', detail: `${text(err)}. ${hint}` };
  }
}

async function checkBotFramework(config: Config, deps: DoctorDeps): Promise<CheckResult> {
  const name = 'Bot Framework (Teams)';
  const { appId, appPassword, tenantId, appType } = config.teams;
  if (!appId) return { name, status: 'skipped', detail: 'MICROSOFT_APP_ID is unset' };
  if (appType === 'UserAssignedMSI') {
    return { name, status: 'skipped', detail: 'a managed identity can only be checked in Azure' };
  }

  const tenant = appType === 'SingleTenant' ? tenantId : 'botframework.com';
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: appId,
    client_secret: appPassword ?? '',
    scope: BOT_FRAMEWORK_SCOPE,
  });
  try {
    const res = await (deps.fetch ?? fetch)(
      `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
      { method: 'POST', body, signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000) },
    );
    if (res.ok) return { name, status: 'ok', detail: 'a token was issued for MICROSOFT_APP_ID' };
    const answer = (await res.json().catch(() => ({}))) as { error?: string };

    return {
      name,
      status: 'failed',
      detail: `the token request was refused (${res.status} ${answer.error ?? ''}). Check MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD, MICROSOFT_APP_TYPE and MICROSOFT_APP_TENANT_ID`,
    };
  } catch (err) {
    return { name, status: 'failed', detail: `cannot reach the token service (${text(err)})` };
  }
}

async function checkSlack(config: Config, deps: DoctorDeps): Promise<CheckResult> {
  const name = 'Slack';
  if (!config.slack) return { name, status: 'skipped', detail: 'SLACK_BOT_TOKEN is unset' };

  const base = config.slack.apiUrl ?? 'https://slack.com/api/';
  try {
    const res = await (deps.fetch ?? fetch)(`${base}auth.test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.slack.botToken}` },
      signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
    });
    const answer = (await res.json()) as { ok?: boolean; error?: string; team?: string };
    if (answer.ok) return { name, status: 'ok', detail: `the bot token works (${answer.team})` };

    return {
      name,
      status: 'failed',
      detail: `Slack refused the bot token (${answer.error ?? res.status}). Set SLACK_BOT_TOKEN to the xoxb- token of the installed app`,
    };
  } catch (err) {
    return {
      name,
      status: 'failed',
      detail: `cannot reach Slack (${text(err)}); check SLACK_API_URL`,
    };
  }
}

/** The report as people read it. */
export function formatReport(results: CheckResult[]): string {
  const mark = { ok: '✓', failed: '✗', skipped: '–' } as const;
  const lines = results.map((r) => `${mark[r.status]} ${r.name}: ${r.status} — ${r.detail}`);
  const failed = results.filter((r) => r.status === 'failed').length;
  lines.push(failed === 0 ? 'Everything configured works.' : `${failed} check(s) failed.`);

  return `${lines.join('\n')}\n`;
}

/** Exit code: 0 only when nothing failed. */
export function exitCode(results: CheckResult[]): number {
  return results.some((r) => r.status === 'failed') ? 1 : 0;
}

function text(err: unknown): string {
  return cleanText(err instanceof Error ? err.message : String(err));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await runDoctor(process.env);
  process.stdout.write(formatReport(results));
  process.exit(exitCode(results));
}
