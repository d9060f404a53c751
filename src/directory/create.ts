/**
 * Builds the configured directory: the backends named in DIRECTORY, in order, behind one
 * ChainDirectory. A backend's client libraries are imported only when it is configured.
 */
import type { TokenCredential } from '@azure/identity';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { ConfigError } from '../errors.js';
import { ChainDirectory, type ChainMember, type DirectoryWarning } from './chain.js';
import { FileDirectory } from './file/fileDirectory.js';

/** What createDirectory needs besides the configuration. */
export interface DirectoryDeps {
  logger?: Logger;
  /** Replaces the Entra ID client secret credential (tests, managed identity). */
  graphCredential?: TokenCredential;
  /** Told when one directory is skipped because it is unreachable; logs a warning by default. */
  onWarning?: (warning: DirectoryWarning) => void;
}

/**
 * The configured directory: the backends of DIRECTORY in order, always behind a ChainDirectory so
 * the bot can pass configured group ids to isMember whatever the backends are.
 */
export async function createDirectory(
  config: Config,
  deps: DirectoryDeps = {},
): Promise<ChainDirectory> {
  const { logger } = deps;
  const duoAttribute = config.duo.usernameAttribute;
  const members: ChainMember[] = [];
  // A backend's client libraries (ldapts; the Graph client with @azure/identity, ~35 MB) are
  // loaded only when that backend is configured.
  for (const source of config.directories) members.push(await member(source));
  async function member(source: Config['directories'][number]): Promise<ChainMember> {
    if (source === 'ldap') {
      if (!config.ldap)
        throw new ConfigError('LDAP_URL', 'is required when DIRECTORY includes ldap');

      const groups = {
        contractor: config.contractorGroup.ldap,
        approver: config.approverGroup.ldap,
        requester: config.requesterGroup.ldap,
      };
      const options = { duoUsernameAttribute: duoAttribute, logger, groups };

      const { LdapDirectory } = await import('./ldap/index.js');

      return { source, directory: new LdapDirectory(config.ldap, options) };
    }
    if (source === 'graph') {
      if (!config.graph) {
        throw new ConfigError('GRAPH_TENANT_ID', 'is required when DIRECTORY includes graph');
      }
      const options = {
        credential: deps.graphCredential,
        duoUsernameAttribute: graphAttribute(duoAttribute),
        logger,
      };

      const { GraphDirectory } = await import('./graph/graphDirectory.js');

      return { source, directory: new GraphDirectory(config.graph, options) };
    }

    const options = { duoUsernameAttribute: duoAttribute };

    return { source, directory: new FileDirectory(config.directoryFile, options) };
  }
  const onWarning =
    deps.onWarning ??
    ((w: DirectoryWarning) =>
      logger?.warn(
        { directory: w.directory, operation: w.operation, code: w.error.code },
        'directory_unavailable_fallback',
      ));

  return new ChainDirectory(members, { onWarning });
}

/**
 * DUO_USERNAME_ATTRIBUTE names an AD attribute when both directories are configured; Entra ID
 * holds the synced copy of sAMAccountName as onPremisesSamAccountName.
 */
function graphAttribute(attribute: string | undefined): string | undefined {
  return attribute?.toLowerCase() === 'samaccountname' ? 'onPremisesSamAccountName' : attribute;
}
