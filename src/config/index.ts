/**
 * The one place that reads the environment. `loadConfig` applies defaults, validates every value and
 * throws a ConfigError naming the variable and what to set. Every variable is in .env.example.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import { bool, int, oneOf, required, str, url, type Env } from './parse.js';

export type DirectoryKind = 'file' | 'ldap' | 'graph';

/** Group ids per backend: a DN for AD, an object id for Entra ID, a group name for the file. */
export type GroupIds = Partial<Record<DirectoryKind, string>>;

export interface LdapConfig {
  url: string;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  caFile?: string;
  pageSize: number;
  timeoutMs: number;
  /** NetBIOS domain accepted in DOMAIN\user; any domain is accepted when unset. */
  netbiosDomain?: string;
  attributes: LdapAttributes;
}

/** AD attribute names, configurable for directories that store things elsewhere. */
export interface LdapAttributes {
  username: string;
  mobile: string;
  /** Extra SMS-capable attribute tried after `mobile`; empty to disable. */
  otherMobile?: string;
  telephone: string;
  mail: string;
  /** Fallback e-mail attribute; empty to disable. */
  otherMail?: string;
  manager: string;
  employeeType: string;
}

export interface GraphConfig {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  baseUrl: string;
  authorityHost: string;
  timeoutMs: number;
}

export interface DuoAuthConfig {
  ikey: string;
  skey: string;
  host: string;
  url: string;
}

export interface Config {
  production: boolean;
  port: number;
  host: string;
  logLevel: string;
  storePath: string;
  auditPath: string;
  directories: DirectoryKind[];
  directoryFile: string;
  ldap?: LdapConfig;
  graph?: GraphConfig;
  contractorGroup: GroupIds;
  approverGroup: GroupIds;
  requesterGroup: GroupIds;
  defaultPhoneRegion?: string;
  duo: {
    /** True exactly when DUO_API_HOST is unset: the in-process simulator is used. */
    simulator: boolean;
    ikey: string;
    skey: string;
    host: string;
    url: string;
    directoryKey?: string;
    usernameAttribute?: string;
    enrolValidSecs: number;
    activationValidSecs: number;
    maxCallsPerMinute: number;
    timeoutMs: number;
    /** Send the Duo Mobile install link with the activation SMS. */
    installDuoMobile: boolean;
    auth?: DuoAuthConfig;
  };
  limits: {
    maxBatchSize: number;
    maxSendsPerHour: number;
    maxRequestsPerHour: number;
    approvalsRequired: number;
    maxMessageLength: number;
    /** Sends the queue runs at once (SEND_CONCURRENCY). */
    sendConcurrency: number;
    /** Largest CSV file accepted for a bulk request, in bytes (MAX_CSV_BYTES). */
    maxCsvBytes: number;
  };
  lifecycle: {
    pendingExpiryHours: number;
    reminderHours: number;
    followUpMinutes: number;
    resendNeedsApproval: boolean;
    offboardingMinutes: number;
    offboardingAction: 'disable' | 'report';
    /** How often the lifecycle timers look for due work (LIFECYCLE_TICK_SECONDS). */
    tickSeconds: number;
  };
  sandbox: boolean;
  allowAnonymous: boolean;
  demoSelfApproval: boolean;
  /** True when no configuration at all was given: the local try-it-out run. */
  zeroConfig: boolean;
  /**
   * ENROLBOT_TEST_CRASH_AFTER: a crash test's hook; the process kills itself (SIGKILL) right after
   * the named step of the send path. Off by default and refused in production.
   */
  testCrashAfter?: string;
  teams: {
    appId?: string;
    appPassword?: string;
    tenantId?: string;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    approvalChannelId?: string;
  };
  slack?: {
    botToken: string;
    signingSecret: string;
    appToken?: string;
    approvalChannel?: string;
    apiUrl?: string;
  };
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** The bundled sample directory used when DIRECTORY_FILE is unset. */
export const SAMPLE_DIRECTORY_FILE = path.resolve(here, '../directory/file/sample-directory.json');

/** Groups of the bundled sample, used as defaults with the file directory. */
const SAMPLE_GROUPS = {
  contractor: 'Contractors',
  approver: 'Security-Approvers',
  requester: 'Contractor-Managers',
};

/**
 * The local try-it-out run: the simulator, the bundled sample directory and no chat credentials.
 * Copying .env.example (which sets harmless defaults) keeps it; naming a real tenant, directory
 * or chat platform ends it.
 */
function isZeroConfig(env: Env): boolean {
  const real = ['DUO_API_HOST', 'DIRECTORY_FILE', 'MICROSOFT_APP_ID', 'SLACK_BOT_TOKEN'];
  const directory = (str(env, 'DIRECTORY') ?? 'file').toLowerCase();

  return directory === 'file' && !real.some((name) => str(env, name));
}

/** Read and validate the configuration. Throws ConfigError on the first bad value. */
export function loadConfig(env: Env = process.env): Config {
  const production = str(env, 'NODE_ENV') === 'production';
  const zeroConfig = isZeroConfig(env);
  const storePath = path.resolve(str(env, 'STORE_PATH') ?? './data/enrolbot.json');
  const directories = readDirectories(env);
  const duoHost = str(env, 'DUO_API_HOST');
  const simulator = duoHost === undefined;
  const sandbox = bool(env, 'DUO_SANDBOX', false);
  const allowAnonymous = bool(env, 'ALLOW_ANONYMOUS', false);

  const config: Config = {
    production,
    port: int(env, 'PORT', 3978, 0, 65535),
    host: str(env, 'HOST') ?? (production ? '0.0.0.0' : '127.0.0.1'),
    logLevel: oneOf(
      env,
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      'info',
    ),
    storePath,
    auditPath: path.resolve(
      str(env, 'AUDIT_PATH') ?? path.join(path.dirname(storePath), 'audit.jsonl'),
    ),
    directories,
    directoryFile: path.resolve(str(env, 'DIRECTORY_FILE') ?? SAMPLE_DIRECTORY_FILE),
    ldap: directories.includes('ldap') ? readLdap(env) : undefined,
    graph: directories.includes('graph') ? readGraph(env) : undefined,
    contractorGroup: readGroups(
      env,
      'CONTRACTOR_GROUP',
      directories,
      SAMPLE_GROUPS.contractor,
      true,
    ),
    approverGroup: readGroups(env, 'APPROVER_GROUP', directories, SAMPLE_GROUPS.approver, true),
    requesterGroup: readGroups(env, 'REQUESTER_GROUP', directories, SAMPLE_GROUPS.requester, false),
    defaultPhoneRegion: readRegion(env),
    duo: readDuo(env, simulator, production),
    limits: {
      maxBatchSize: int(env, 'MAX_BATCH_SIZE', 500, 1, 10000),
      maxSendsPerHour: int(env, 'MAX_SENDS_PER_HOUR', 300, 1),
      maxRequestsPerHour: int(env, 'MAX_REQUESTS_PER_HOUR', 30, 1),
      approvalsRequired: int(env, 'APPROVALS_REQUIRED', 1, 1, 5),
      maxMessageLength: int(env, 'MAX_MESSAGE_LENGTH', 4000, 100, 100000),
      sendConcurrency: int(env, 'SEND_CONCURRENCY', 4, 1, 32),
      maxCsvBytes: int(env, 'MAX_CSV_BYTES', 1_048_576, 1024, 50_000_000),
    },
    lifecycle: {
      pendingExpiryHours: int(env, 'PENDING_EXPIRY_HOURS', 72, 1),
      reminderHours: int(env, 'REMINDER_HOURS', 24, 0),
      followUpMinutes: int(env, 'FOLLOW_UP_MINUTES', 60, 1),
      resendNeedsApproval: bool(env, 'RESEND_NEEDS_APPROVAL', true),
      offboardingMinutes: int(env, 'OFFBOARDING_MINUTES', 1440, 0),
      offboardingAction: oneOf(env, 'OFFBOARDING_ACTION', ['disable', 'report'], 'disable'),
      tickSeconds: int(env, 'LIFECYCLE_TICK_SECONDS', 60, 1, 3600),
    },
    sandbox,
    allowAnonymous,
    demoSelfApproval: false,
    zeroConfig,
    testCrashAfter: str(env, 'ENROLBOT_TEST_CRASH_AFTER'),
    teams: {
      appId: str(env, 'MICROSOFT_APP_ID'),
      appPassword: str(env, 'MICROSOFT_APP_PASSWORD'),
      tenantId: str(env, 'MICROSOFT_APP_TENANT_ID'),
      appType: oneOf(
        env,
        'MICROSOFT_APP_TYPE',
        ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'],
        'MultiTenant',
      ),
      approvalChannelId: str(env, 'TEAMS_APPROVAL_CHANNEL_ID'),
    },
    slack: readSlack(env),
  };

  config.demoSelfApproval = bool(env, 'DEMO_SELF_APPROVAL', zeroConfig) && simulator && !production;
  checkTeams(config);
  checkProduction(config);

  return config;
}

function readDirectories(env: Env): DirectoryKind[] {
  const value = str(env, 'DIRECTORY') ?? 'file';
  const kinds = value.split(',').map((s) => s.trim().toLowerCase());
  const allowed = ['file', 'ldap', 'graph'];
  for (const kind of kinds) {
    if (!allowed.includes(kind)) {
      throw new ConfigError('DIRECTORY', `must be file, ldap, graph or ldap,graph, got "${value}"`);
    }
  }
  if (new Set(kinds).size !== kinds.length)
    throw new ConfigError('DIRECTORY', `lists a directory twice: "${value}"`);

  return kinds as DirectoryKind[];
}

function readLdap(env: Env): LdapConfig {
  const why = 'when DIRECTORY includes ldap';

  return {
    url: url(env, 'LDAP_URL', ['ldap:', 'ldaps:']) ?? required(env, 'LDAP_URL', why),
    bindDn: required(env, 'LDAP_BIND_DN', why),
    bindPassword: required(env, 'LDAP_BIND_PASSWORD', why),
    baseDn: required(env, 'LDAP_BASE_DN', why),
    caFile: str(env, 'LDAP_CA_FILE'),
    pageSize: int(env, 'LDAP_PAGE_SIZE', 500, 1, 1000),
    timeoutMs: int(env, 'LDAP_TIMEOUT_MS', 5000, 100),
    netbiosDomain: str(env, 'LDAP_NETBIOS_DOMAIN'),
    attributes: {
      username: str(env, 'LDAP_ATTR_USERNAME') ?? 'sAMAccountName',
      mobile: str(env, 'LDAP_ATTR_MOBILE') ?? 'mobile',
      otherMobile: optionalAttr(env, 'LDAP_ATTR_OTHER_MOBILE', 'otherMobile'),
      telephone: str(env, 'LDAP_ATTR_TELEPHONE') ?? 'telephoneNumber',
      mail: str(env, 'LDAP_ATTR_MAIL') ?? 'mail',
      otherMail: optionalAttr(env, 'LDAP_ATTR_OTHER_MAIL', 'otherMailbox'),
      manager: str(env, 'LDAP_ATTR_MANAGER') ?? 'manager',
      employeeType: str(env, 'LDAP_ATTR_EMPLOYEE_TYPE') ?? 'employeeType',
    },
  };
}

/** An attribute that is on by default; set to "none" to switch it off. */
function optionalAttr(env: Env, name: string, fallback: string): string | undefined {
  const value = str(env, name) ?? fallback;

  return value.toLowerCase() === 'none' ? undefined : value;
}

function readGraph(env: Env): GraphConfig {
  const why = 'when DIRECTORY includes graph';

  return {
    tenantId: required(env, 'GRAPH_TENANT_ID', why),
    clientId: required(env, 'GRAPH_CLIENT_ID', why),
    clientSecret: required(env, 'GRAPH_CLIENT_SECRET', why),
    baseUrl: (url(env, 'GRAPH_BASE_URL', ['https:']) ?? 'https://graph.microsoft.com').replace(
      /\/+$/,
      '',
    ),
    authorityHost:
      url(env, 'GRAPH_AUTHORITY_HOST', ['https:']) ?? 'https://login.microsoftonline.com',
    timeoutMs: int(env, 'GRAPH_TIMEOUT_MS', 10000, 100),
  };
}

/**
 * A group variable: one value per configured directory, separated by ';' in DIRECTORY order.
 * The file directory defaults to the bundled sample's groups.
 */
function readGroups(
  env: Env,
  name: string,
  kinds: DirectoryKind[],
  sample: string,
  needed: boolean,
): GroupIds {
  const value = str(env, name);
  const parts = value ? value.split(';').map((s) => s.trim()) : [];
  if (value && parts.length !== kinds.length) {
    throw new ConfigError(
      name,
      `needs one group per directory (${kinds.join(', ')}), separated by ';'`,
    );
  }

  const groups: GroupIds = {};
  kinds.forEach((kind, i) => {
    const part = parts[i] || (kind === 'file' ? sample : undefined);
    if (part) groups[kind] = part;
    else if (needed)
      throw new ConfigError(name, `is required: the group for ${kind} (${hint(kind)})`);
  });

  return groups;
}

function hint(kind: DirectoryKind): string {
  if (kind === 'ldap')
    return 'a distinguished name such as CN=Contractors,OU=Groups,DC=corp,DC=example';
  if (kind === 'graph') return 'a group object id';

  return 'a group name from the directory file';
}

function readRegion(env: Env): string | undefined {
  const value = str(env, 'DEFAULT_PHONE_REGION')?.toUpperCase();
  if (value !== undefined && !/^[A-Z]{2}$/.test(value)) {
    throw new ConfigError(
      'DEFAULT_PHONE_REGION',
      `must be a two-letter region code such as GB or US, got "${value}"`,
    );
  }

  return value;
}

function readDuo(env: Env, simulator: boolean, production: boolean): Config['duo'] {
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

function readDuoAuth(env: Env, schemes: string[]): DuoAuthConfig | undefined {
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

function readSlack(env: Env): Config['slack'] {
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

function checkTeams(config: Config): void {
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

/** Production refuses the simulator and anonymous Bot Framework auth unless explicitly allowed. */
function checkProduction(config: Config): void {
  if (!config.production) return;

  if (config.testCrashAfter) {
    throw new ConfigError('ENROLBOT_TEST_CRASH_AFTER', 'is a test hook; unset it in production');
  }
  if (config.duo.simulator && !config.sandbox) {
    throw new ConfigError(
      'DUO_API_HOST',
      'is required in production; set DUO_SANDBOX=true to run on the simulator on purpose',
    );
  }
  if (!config.teams.appId && !config.allowAnonymous) {
    throw new ConfigError(
      'MICROSOFT_APP_ID',
      'is required in production; set ALLOW_ANONYMOUS=true to accept unauthenticated Bot Framework calls on purpose',
    );
  }
}
