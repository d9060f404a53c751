/** Readers of the directory variables: DIRECTORY, LDAP_*, GRAPH_*, the group variables. */
import { ConfigError } from '../errors.js';
import { int, required, str, url, type Env } from './parse.js';
import type { DirectoryKind, GraphConfig, GroupIds, LdapConfig } from './types.js';

export function readDirectories(env: Env): DirectoryKind[] {
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

export function readLdap(env: Env): LdapConfig {
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
export function optionalAttr(env: Env, name: string, fallback: string): string | undefined {
  const value = str(env, name) ?? fallback;

  return value.toLowerCase() === 'none' ? undefined : value;
}

export function readGraph(env: Env): GraphConfig {
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
export function readGroups(
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

export function hint(kind: DirectoryKind): string {
  if (kind === 'ldap')
    return 'a distinguished name such as CN=Contractors,OU=Groups,DC=corp,DC=example';
  if (kind === 'graph') return 'a group object id';

  return 'a group name from the directory file';
}

export function readRegion(env: Env): string | undefined {
  const value = str(env, 'DEFAULT_PHONE_REGION')?.toUpperCase();
  if (value !== undefined && !/^[A-Z]{2}$/.test(value)) {
    throw new ConfigError(
      'DEFAULT_PHONE_REGION',
      `must be a two-letter region code such as GB or US, got "${value}"`,
    );
  }

  return value;
}
