/** Readers of the Duo and chat platform variables: DUO_*, SLACK_*, MICROSOFT_APP_*. */
import { ConfigError } from '../errors.js';
import { bool, int, required, str, url, type Env } from './parse.js';
import type { Config, DuoAuthConfig } from './types.js';

export function readDuo(env: Env, simulator: boolean, production: boolean): Config['duo'] {
  const host = str(env, 'DUO_API_HOST')?.toLowerCase() ?? 'api-sandbox.duosecurity.invalid';
  const schemes = production ? ['https:'] : ['https:', 'http:'];
  const why = 'when DUO_API_HOST is set (leave all DUO_ variables unset to use the simulator)';
  const usernameAttribute = str(env, 'DUO_USERNAME_ATTRIBUTE');

  return {
    simulator,
    ikey: simulator ? 'DISIMULATOR000000000' : required(env, 'DUO_IKEY', why),
    skey: simulator ? 'simulator-secret-key-not-a-real-secret000' : required(env, 'DUO_SKEY', why),
    host,
    url: (url(env, 'DUO_API_URL', schemes) ?? `https://${host}`).replace(/\/+$/, ''),
    directoryKey: str(env, 'DUO_DIRECTORY_KEY'),
    usernameAttribute,
    enrolValidSecs: int(env, 'DUO_ENROL_VALID_SECS', 7 * 86400, 60, 30 * 86400),
    activationValidSecs: int(env, 'DUO_ACTIVATION_VALID_SECS', 86400, 60, 30 * 86400),
    maxCallsPerMinute: int(env, 'DUO_MAX_CALLS_PER_MINUTE', 240, 1, 6000),
    timeoutMs: int(env, 'DUO_TIMEOUT_MS', 10000, 100),
    installDuoMobile: bool(env, 'DUO_SMS_INSTALL', true),
    auth: readDuoAuth(env, schemes),
  };
}

export function readDuoAuth(env: Env, schemes: string[]): DuoAuthConfig | undefined {
  const host = str(env, 'DUO_AUTH_HOST')?.toLowerCase();
  if (!host) return undefined;

  const why = 'when DUO_AUTH_HOST is set';

  return {
    ikey: required(env, 'DUO_AUTH_IKEY', why),
    skey: required(env, 'DUO_AUTH_SKEY', why),
    host,
    url: (url(env, 'DUO_AUTH_API_URL', schemes) ?? `https://${host}`).replace(/\/+$/, ''),
  };
}

export function readSlack(env: Env): Config['slack'] {
  const botToken = str(env, 'SLACK_BOT_TOKEN');
  if (!botToken) return undefined;

  const apiUrl = url(env, 'SLACK_API_URL', ['https:', 'http:']);
  if (apiUrl && !apiUrl.endsWith('/')) {
    throw new ConfigError('SLACK_API_URL', 'must end with a slash, like https://slack.com/api/');
  }

  return {
    botToken,
    signingSecret: required(env, 'SLACK_SIGNING_SECRET', 'when SLACK_BOT_TOKEN is set'),
    appToken: str(env, 'SLACK_APP_TOKEN'),
    approvalChannel: str(env, 'SLACK_APPROVAL_CHANNEL'),
    apiUrl,
  };
}

export function checkTeams(config: Config): void {
  const { appId, appPassword, tenantId, appType } = config.teams;
  if (!appId) return;

  if (appType !== 'UserAssignedMSI' && !appPassword) {
    throw new ConfigError(
      'MICROSOFT_APP_PASSWORD',
      `is required when MICROSOFT_APP_ID is set and the type is ${appType}`,
    );
  }
  if (appType !== 'MultiTenant' && !tenantId) {
    throw new ConfigError(
      'MICROSOFT_APP_TENANT_ID',
      `is required when MICROSOFT_APP_TYPE is ${appType}`,
    );
  }
}
