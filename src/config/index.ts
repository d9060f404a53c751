/**
 * The one place that reads the environment. `loadConfig` applies defaults, validates every value and
 * throws a ConfigError naming the variable and what to set. Every variable is in .env.example.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import { readDirectories, readGraph, readGroups, readLdap, readRegion } from './directory.js';
import { bool, int, oneOf, str, type Env } from './parse.js';
import { checkTeams, readDuo, readSlack } from './platforms.js';
import type { Config } from './types.js';

export type * from './types.js';

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
