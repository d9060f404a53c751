/**
 * The Active Directory backend: the Directory port over one bound ldapts connection. Every value a
 * user typed reaches the server inside a filter object (see filters.ts), never as filter text.
 */
import { readFileSync } from 'node:fs';
import type { Entry, Filter } from 'ldapts';
import type { Logger } from 'pino';
import type { LdapConfig } from '../../config/index.js';
import { ConfigError, EnrolBotError } from '../../errors.js';
import type { Directory, DirectoryRecord, PersonIdentity } from '../types.js';
import { LdapConnection, type ConnectionStats, type PageInfo } from './connection.js';
import {
  attributeFilter,
  groupByNameFilter,
  groupMembersFilter,
  identifierFilter,
  inChainMemberOf,
  prefixFilter,
  usableText,
  userFilter,
} from './filters.js';
import {
  BINARY_ATTRIBUTES,
  requestedAttributes,
  toRecord,
  type MappingOptions,
} from './mapping.js';

/** Most records one name lookup returns; more is a name too vague to list anyway. */
const MAX_MATCHES = 50;

/** Extra construction options besides the LDAP_* configuration. */
export interface LdapDirectoryOptions {
  /** Group DNs the caller will check; kept for diagnostics, isMember takes the DN it is given. */
  groups?: { contractor?: string; approver?: string; requester?: string };
  /** DUO_USERNAME_ATTRIBUTE; AD's default is sAMAccountName, as Duo's own directory sync uses. */
  duoUsernameAttribute?: string;
  logger?: Logger;
  /** Observes every page of a paged search (group and OU expansion). */
  onPage?: (page: PageInfo) => void;
}

/** A group was named by a name that more than one group carries. */
export class AmbiguousGroupError extends EnrolBotError {
  constructor(
    readonly group: string,
    readonly candidates: string[],
  ) {
    super('group_ambiguous', `${candidates.length} groups are called "${group}"; give its DN`);
  }
}

/** Active Directory (or Samba AD) over LDAP. */
export class LdapDirectory implements Directory {
  readonly name = 'Active Directory';
  readonly groups: NonNullable<LdapDirectoryOptions['groups']>;
  private readonly connection: LdapConnection;
  private readonly mapping: MappingOptions;
  private readonly attributes: string[];

  constructor(
    private readonly config: LdapConfig,
    options: LdapDirectoryOptions = {},
  ) {
    this.groups = options.groups ?? {};
    this.mapping = {
      attributes: config.attributes,
      duoUsernameAttribute: options.duoUsernameAttribute ?? 'sAMAccountName',
    };
    this.attributes = requestedAttributes(this.mapping);
    this.connection = new LdapConnection({
      url: config.url,
      bindDn: config.bindDn,
      bindPassword: config.bindPassword,
      ca: config.caFile ? readCa(config.caFile) : undefined,
      timeoutMs: config.timeoutMs,
      directory: this.name,
      logger: options.logger,
      onPage: options.onPage,
    });
  }

  /** Binds, searches and page counters, for diagnostics and tests. */
  get stats(): Readonly<ConnectionStats> {
    return this.connection.stats;
  }

  async find(identifier: string): Promise<DirectoryRecord[]> {
    const filter = identifierFilter(identifier, this.config.attributes, this.config.netbiosDomain);
    if (!filter) return [];

    return this.users(filter, MAX_MATCHES);
  }

  async findPerson(identity: PersonIdentity): Promise<DirectoryRecord | undefined> {
    // Teams gives a UPN, Slack an e-mail; each is tried against the other attribute too.
    const tries: [string, string | undefined][] = [
      ['userPrincipalName', identity.userPrincipalName],
      [this.config.attributes.mail, identity.userPrincipalName],
      [this.config.attributes.mail, identity.email],
      ['userPrincipalName', identity.email],
    ];

    for (const [attribute, value] of tries) {
      const filter = value === undefined ? undefined : attributeFilter(attribute, value);
      if (!filter) continue;

      const found = await this.users(filter, 2);
      if (found.length === 1) return found[0];
      // Two people behind one identity: acting for either would be a guess.
      if (found.length > 1) return undefined;
    }

    return undefined;
  }

  async isMember(record: DirectoryRecord, groupId: string): Promise<boolean> {
    if (record.source !== 'ldap' || !usableText(record.id)) return false;

    const groupDn = await this.resolveGroup(groupId);
    if (!groupDn) return false;

    // A user deleted since we read them is a member of nothing: a missing base is empty.
    const result = await this.connection.search(
      record.id,
      { scope: 'base', filter: inChainMemberOf(groupDn), attributes: ['1.1'] },
      true,
    );

    return result.searchEntries.length > 0;
  }

  async expandGroup(group: string): Promise<DirectoryRecord[]> {
    const target = await this.resolveExpansionTarget(group);
    if (!target) return [];

    const filter = target.kind === 'group' ? groupMembersFilter(target.dn) : userFilter();
    const base = target.kind === 'group' ? this.config.baseDn : target.dn;
    const records: DirectoryRecord[] = [];
    const pages = this.connection.pages(
      base,
      {
        scope: 'sub',
        filter,
        attributes: this.attributes,
        explicitBufferAttributes: BINARY_ATTRIBUTES,
      },
      this.config.pageSize,
    );
    for await (const page of pages) {
      for (const entry of page.searchEntries) records.push(toRecord(entry, this.mapping));
    }

    return records;
  }

  async search(prefix: string, limit: number): Promise<DirectoryRecord[]> {
    const filter = prefixFilter(prefix, this.config.attributes.username);
    if (!filter || limit < 1) return [];

    return this.users(filter, limit);
  }

  async ping(): Promise<void> {
    await this.connection.search(this.config.baseDn, { scope: 'base', attributes: ['1.1'] });
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  private async users(filter: Filter, sizeLimit: number): Promise<DirectoryRecord[]> {
    const result = await this.connection.search(this.config.baseDn, {
      scope: 'sub',
      filter,
      attributes: this.attributes,
      explicitBufferAttributes: BINARY_ATTRIBUTES,
      // With our own size limit, ldapts returns the partial result instead of throwing.
      sizeLimit,
    });

    // Samba ignores the requested size limit (Windows AD honours it), so enforce it here too.
    return result.searchEntries
      .slice(0, sizeLimit)
      .map((entry: Entry) => toRecord(entry, this.mapping));
  }

  /** A DN as given, or the DN of the group with that sAMAccountName or cn. */
  private async resolveGroup(group: string): Promise<string | undefined> {
    const target = await this.resolveExpansionTarget(group, true);

    return target?.dn;
  }

  private async resolveExpansionTarget(
    group: string,
    groupsOnly = false,
  ): Promise<{ kind: 'group' | 'container'; dn: string } | undefined> {
    const text = usableText(group);
    if (!text) return undefined;

    if (looksLikeDn(text)) {
      if (groupsOnly) return { kind: 'group', dn: text };

      return this.classify(text);
    }

    const found = await this.connection.search(this.config.baseDn, {
      scope: 'sub',
      filter: groupByNameFilter(text),
      attributes: ['1.1'],
      sizeLimit: 10,
    });
    const dns = found.searchEntries.map((e) => e.dn);
    if (dns.length > 1) throw new AmbiguousGroupError(text, dns);

    return dns[0] ? { kind: 'group', dn: dns[0] } : undefined;
  }

  /** Whether a DN names a group or a container (OU) of users; undefined when it does not exist. */
  private async classify(
    dn: string,
  ): Promise<{ kind: 'group' | 'container'; dn: string } | undefined> {
    const options = { scope: 'base' as const, attributes: ['objectClass'] };
    const result = await this.connection.search(dn, options, true);
    const entry = result.searchEntries[0];
    if (!entry) return undefined;

    const classes = [entry['objectClass'] ?? entry['objectclass'] ?? []].flat().map(String);
    const isGroup = classes.some((c) => c.toLowerCase() === 'group');

    return { kind: isGroup ? 'group' : 'container', dn: entry.dn };
  }
}

/** `CN=...,DC=...`: an attribute type, `=`, and at least one more RDN. */
function looksLikeDn(text: string): boolean {
  return /^[A-Za-z][\w-]*=.+,\s*[A-Za-z][\w-]*=/.test(text);
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('LDAP_CA_FILE', `cannot read ${file}: ${(error as Error).message}`);
  }
}
