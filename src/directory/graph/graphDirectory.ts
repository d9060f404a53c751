/**
 * The Entra ID backend over Microsoft Graph. Every query goes out with `$select` (most properties
 * come back only when selected) and as an advanced query (ConsistencyLevel: eventual + $count), so
 * filters on onPremisesSamAccountName, otherMails and OData casts work.
 */
import type { Client, GraphRequest } from '@microsoft/microsoft-graph-client';
import type { TokenCredential } from '@azure/identity';
import type { GraphConfig } from '../../config/index.js';
import { ConfigError, DirectoryUnavailableError, EnrolBotError } from '../../errors.js';
import type { Directory, DirectoryRecord, PersonIdentity } from '../types.js';
import { createGraphClient, secretCredential } from './client.js';
import { ENTRA, isNotFound, unavailable } from './failures.js';
import { selectFor, toRecord, type GraphUser } from './mapUser.js';
import * as odata from './odata.js';
import { realTime, type GraphLogger, type RetryPolicy } from './retry.js';

/** What the backend needs besides GraphConfig. */
export interface GraphDirectoryOptions {
  /** Tests inject a fake; production uses the client secret from GraphConfig. */
  credential?: TokenCredential;
  /** DUO_USERNAME_ATTRIBUTE; default userPrincipalName, as Duo's Entra sync. */
  duoUsernameAttribute?: string;
  logger?: GraphLogger;
  /** Retry bounds and injected time; the per-attempt limit is GraphConfig.timeoutMs. */
  retry?: Partial<Omit<RetryPolicy, 'timeoutMs'>>;
  /** `$top` for paged lists (default 999, Graph's maximum). */
  pageSize?: number;
}

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

/** Most records find() returns; a name shared by more people than this is not a useful answer. */
const FIND_LIMIT = 50;
/** Longest identifier sent to Graph; longer text cannot be a UPN or display name. */
const MAX_IDENTIFIER = 256;
/** Guard against a group that never ends. */
const EXPAND_LIMIT = 100_000;

/** Directory backed by Entra ID. */
export class GraphDirectory implements Directory {
  readonly name = ENTRA;
  private readonly client: Client;
  private readonly origin: string;
  private readonly select: string[];
  private readonly duoAttribute: string;
  private readonly pageSize: number;

  constructor(config: GraphConfig, options: GraphDirectoryOptions = {}) {
    this.duoAttribute = options.duoUsernameAttribute ?? 'userPrincipalName';
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(this.duoAttribute)) {
      throw new ConfigError(
        'DUO_USERNAME_ATTRIBUTE',
        `"${this.duoAttribute}" is not a Graph property`,
      );
    }

    this.select = selectFor(this.duoAttribute);
    this.pageSize = options.pageSize ?? 999;
    this.origin = new URL(config.baseUrl).origin;
    const policy: RetryPolicy = {
      maxRetries: 3,
      maxDelayMs: 30_000,
      baseDelayMs: 1_000,
      ...realTime,
      ...options.retry,
      timeoutMs: config.timeoutMs,
    };
    const credential = options.credential ?? secretCredential(config);
    this.client = createGraphClient(config, credential, policy, options.logger);
  }

  async find(identifier: string): Promise<DirectoryRecord[]> {
    const text = identifier.trim();
    if (text === '' || text.length > MAX_IDENTIFIER) return [];

    if (odata.isObjectId(text)) {
      const user = await this.userById(text, 'find');

      return user ? [await this.withManager(user)] : [];
    }

    const users = await this.list(this.users(odata.findFilter(text)), FIND_LIMIT, 'find');

    return Promise.all(users.map((user) => this.withManager(user)));
  }

  async findPerson(identity: PersonIdentity): Promise<DirectoryRecord | undefined> {
    const lookups: [string | undefined, (v: string) => Promise<GraphUser[]>][] = [
      [identity.aadObjectId, async (id) => (odata.isObjectId(id) ? this.maybe(id) : [])],
      [
        identity.userPrincipalName,
        (upn) => this.list(this.users(odata.upnFilter(upn)), 2, 'person'),
      ],
      [identity.email, (mail) => this.list(this.users(odata.emailFilter(mail)), 2, 'person')],
    ];
    for (const [value, lookup] of lookups) {
      const text = value?.trim();
      if (!text || text.length > MAX_IDENTIFIER) continue;

      const users = await lookup(text);
      // Two people behind one chat identity: acting for either would be a guess.
      if (users.length === 1 && users[0]) return this.withManager(users[0]);
    }

    return undefined;
  }

  async isMember(record: DirectoryRecord, groupId: string): Promise<boolean> {
    if (record.source !== 'graph' || !odata.isObjectId(record.id)) return false;

    if (!odata.isObjectId(groupId)) {
      throw new DirectoryUnavailableError(
        ENTRA,
        `the Entra ID group "${groupId}" is not an object id; set the group variables to object ids`,
      );
    }

    const body = await this.call(
      'isMember',
      () =>
        this.client
          .api(`/users/${record.id}/checkMemberGroups`)
          .post({ groupIds: [groupId] }) as Promise<Page<string>>,
    );

    return (body.value ?? []).some((id) => id.toLowerCase() === groupId.toLowerCase());
  }

  async expandGroup(group: string): Promise<DirectoryRecord[]> {
    const groupId = await this.resolveGroup(group.trim());
    if (!groupId) return [];

    const request = this.advanced(
      this.client.api(`/groups/${groupId}/transitiveMembers/microsoft.graph.user`),
    ).top(this.pageSize);
    try {
      const users = await this.list(request, EXPAND_LIMIT, 'expandGroup');

      return users.map((user) => toRecord(user, this.duoAttribute));
    } catch (error) {
      if (error instanceof DirectoryUnavailableError && isNotFound(error.cause)) return [];
      throw error;
    }
  }

  async search(prefix: string, limit: number): Promise<DirectoryRecord[]> {
    const text = prefix.trim();
    if (text === '' || text.length > MAX_IDENTIFIER || limit < 1) return [];

    const request = this.users(odata.prefixFilter(text)).top(Math.min(limit, this.pageSize));
    const users = await this.list(request, limit, 'search');

    return users
      .map((user) => toRecord(user, this.duoAttribute))
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  async ping(): Promise<void> {
    await this.call('ping', () => this.client.api('/users').select(['id']).top(1).get());
  }

  async close(): Promise<void> {
    // Graph calls are stateless HTTPS requests; there is no connection to release.
  }

  /** A user list query with our select list, as an advanced query. */
  private users(filter: string): GraphRequest {
    return this.advanced(this.client.api('/users'))
      .filter(odata.encodeFilter(filter))
      .top(Math.min(this.pageSize, FIND_LIMIT));
  }

  private advanced(request: GraphRequest): GraphRequest {
    return request.header('ConsistencyLevel', 'eventual').count(true).select(this.select);
  }

  private async maybe(id: string): Promise<GraphUser[]> {
    const user = await this.userById(id, 'person');

    return user ? [user] : [];
  }

  private async userById(id: string, operation: string): Promise<GraphUser | undefined> {
    return this.call(
      operation,
      () => this.client.api(`/users/${id}`).select(this.select).get(),
      true,
    );
  }

  private async withManager(user: GraphUser): Promise<DirectoryRecord> {
    const manager = await this.call<{ id?: string } | undefined>(
      'manager',
      () => this.client.api(`/users/${user.id}/manager`).select(['id']).get(),
      true,
    );

    return toRecord(user, this.duoAttribute, manager?.id);
  }

  /** A group object id, or the id of the one group with that display name or mail nickname. */
  private async resolveGroup(group: string): Promise<string | undefined> {
    if (group === '' || group.length > MAX_IDENTIFIER) return undefined;

    if (odata.isObjectId(group)) return group;

    const request = this.client
      .api('/groups')
      .header('ConsistencyLevel', 'eventual')
      .count(true)
      .filter(odata.encodeFilter(odata.groupFilter(group)))
      .select(['id', 'displayName'])
      .top(2);
    const groups = await this.list<{ id: string }>(request, 2, 'expandGroup');
    if (groups.length > 1) {
      throw new EnrolBotError(
        'group_ambiguous',
        `more than one Entra ID group is called "${group}"`,
      );
    }

    return groups[0]?.id;
  }

  /** Every item of a paged answer, following @odata.nextLink on our own host only. */
  private async list<T = GraphUser>(request: GraphRequest, cap: number, op: string): Promise<T[]> {
    const items: T[] = [];
    let page = await this.call<Page<T>>(op, () => request.get());
    for (;;) {
      items.push(...(page.value ?? []));
      const next = page['@odata.nextLink'];
      if (!next || items.length >= cap) return items.slice(0, cap);

      // A nextLink elsewhere would carry our token to another host.
      if (new URL(next).origin !== this.origin) {
        throw new DirectoryUnavailableError(ENTRA, `${ENTRA} returned a next page on another host`);
      }

      page = await this.call<Page<T>>(op, () =>
        this.client.api(next).header('ConsistencyLevel', 'eventual').get(),
      );
    }
  }

  /** Run one Graph call, mapping failures; with `notFoundIsEmpty`, a 404 gives undefined. */
  private async call<T>(op: string, fn: () => Promise<T>, notFoundIsEmpty = false): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (notFoundIsEmpty && isNotFound(error)) return undefined as T;

      throw unavailable(error, op);
    }
  }
}
