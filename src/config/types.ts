/** The shape of the configuration, as `loadConfig` returns it. */

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
