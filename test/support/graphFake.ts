/**
 * A local HTTPS fake of Microsoft Graph v1.0 on 127.0.0.1, answering the JSON shapes of the calls the
 * Entra ID backend makes. It parses `$filter` for real (string literals with doubled quotes, `or`,
 * `and`, `not`, `eq`/`ne`, `startswith`/`endswith`, `otherMails/any(...)`, even `1 eq 1`), so a
 * badly quoted value changes the answer exactly as it would upstream. Every request is recorded.
 * It needs NODE_EXTRA_CA_CERTS=test/fixtures/tls/cert.pem in the test process (see npm test).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphConfig } from '../../src/config/index.js';
import { FilterError, parseFilter, USER_PROPERTIES } from './graphFakeFilter.js';

import { graphSeed } from './graphFakeSeed.js';

export { GUEST_UPN, IDS, TEMP_COUNT, graphSeed } from './graphFakeSeed.js';

const TLS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/tls');

/** The bearer token the fake accepts. */
export const FAKE_TOKEN = 'fake-graph-token';

/** A user as stored in the fake; unset properties are answered as null or [] like Graph. */
export interface FakeUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  managerId?: string;
  [property: string]: unknown;
}

export interface FakeGroup {
  [property: string]: unknown;
  id: string;
  displayName: string;
  mailNickname: string;
  /** User or group ids; groups nest. */
  members: string[];
}

/** One request as it reached the fake. */
export interface RecordedRequest {
  method: string;
  /** Path and query as sent on the wire, still percent-encoded. */
  rawUrl: string;
  /** The same, percent-decoded. */
  url: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/** What Graph returns for a user without $select. */
const DEFAULT_USER_SELECT = [
  'businessPhones',
  'displayName',
  'givenName',
  'id',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
];

// ---------------------------------------------------------------------------------------------
// The server

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const notFound = (what: string) =>
  new HttpError(
    404,
    'Request_ResourceNotFound',
    `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`,
  );

type Fault =
  | { kind: 'throttle'; retryAfter: string | null }
  | { kind: 'status'; status: number }
  | {
      kind: 'hang';
    }
  | { kind: 'drop' };

/** The fake Graph service. Start it with `GraphFake.start()`; close it in `after`. */
export class GraphFake {
  readonly requests: RecordedRequest[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly groups = new Map<string, FakeGroup>();
  /** Answer 403 Authorization_RequestDenied to everything (a missing app permission). */
  forbidden = false;
  /** Origin written into @odata.nextLink; a test may point it elsewhere. */
  nextLinkOrigin?: string;
  /** Called as each request is recorded, before it is answered. */
  onRequest?: (request: RecordedRequest) => void;
  private readonly faults: Fault[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private server?: https.Server;
  private origin = '';

  /** Start on 127.0.0.1 on a free port, seeded with the standard test population. */
  static async start(
    seed: { users: FakeUser[]; groups: FakeGroup[] } = graphSeed(),
  ): Promise<GraphFake> {
    if (!process.env.NODE_EXTRA_CA_CERTS) {
      throw new Error(
        'the Graph fake needs NODE_EXTRA_CA_CERTS=test/fixtures/tls/cert.pem set before mocha starts',
      );
    }
    const fake = new GraphFake();
    for (const user of seed.users) fake.users.set(user.id, user);
    for (const group of seed.groups) fake.groups.set(group.id, group);
    await fake.listen();

    return fake;
  }

  /** GRAPH_BASE_URL for this fake. */
  get baseUrl(): string {
    return this.origin;
  }

  /** The next `times` requests get 429 with the given Retry-After (omitted when null). */
  throttle(times: number, retryAfter: string | null = '0'): void {
    for (let i = 0; i < times; i++) this.faults.push({ kind: 'throttle', retryAfter });
  }

  /** The next `times` requests get this HTTP status with a Graph error body. */
  failWith(status: number, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push({ kind: 'status', status });
  }

  /** The next request is read and never answered (for time limits). */
  hangNext(): void {
    this.faults.push({ kind: 'hang' });
  }

  /** The next request's connection is cut without an answer. */
  dropNext(): void {
    this.faults.push({ kind: 'drop' });
  }

  /** Requests whose decoded path ends with the text. */
  requestsTo(pathEnd: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith(pathEnd));
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async listen(): Promise<void> {
    const server = https.createServer(
      {
        cert: readFileSync(path.join(TLS_DIR, 'cert.pem')),
        key: readFileSync(path.join(TLS_DIR, 'key.pem')),
      },
      (req, res) => void this.handle(req, res),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const rawUrl = req.url ?? '/';
    const [rawPath = '', rawQuery = ''] = rawUrl.split('?', 2);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      rawUrl,
      url: safeDecode(rawUrl),
      path: rawPath.split('/').map(safeDecode).join('/'),
      query: parseQuery(rawQuery),
      headers: { ...req.headers },
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
    this.requests.push(request);
    this.onRequest?.(request);

    const fault = this.faults.shift();
    if (fault?.kind === 'hang') {
      this.hanging.add(res);
      return;
    }
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }

    try {
      if (fault?.kind === 'throttle') {
        const headers = fault.retryAfter === null ? {} : { 'Retry-After': fault.retryAfter };
        throw Object.assign(new HttpError(429, 'TooManyRequests', 'Too many requests.'), {
          headers,
        });
      }
      if (fault?.kind === 'status') throw new HttpError(fault.status, 'UnknownError', 'Failure.');
      this.authorise(request);
      send(res, 200, this.route(request, rawPath, rawQuery));
    } catch (error) {
      if (!(error instanceof HttpError || error instanceof FilterError)) throw error;
      const e =
        error instanceof HttpError ? error : new HttpError(400, 'BadRequest', error.message);
      const extra = (error as { headers?: Record<string, string> }).headers ?? {};
      const innerError = { date: new Date().toISOString(), 'request-id': randomUUID() };
      send(res, e.status, { error: { code: e.code, message: e.message, innerError } }, extra);
    }
  }

  private authorise(request: RecordedRequest): void {
    if (request.headers.authorization !== `Bearer ${FAKE_TOKEN}`) {
      throw new HttpError(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    }
    if (this.forbidden) {
      throw new HttpError(
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
      );
    }
  }

  private route(request: RecordedRequest, rawPath: string, rawQuery: string): unknown {
    const segments = rawPath.split('/').filter(Boolean).map(safeDecode);
    if (segments.shift() !== 'v1.0') throw new HttpError(400, 'BadRequest', 'Invalid version.');

    const [collection, key, relation, cast] = segments;
    const get = request.method === 'GET';
    const eventual =
      request.headers.consistencylevel === 'eventual' && request.query.$count === 'true';
    if (cast !== undefined && !eventual) throw unsupported();

    if (collection === 'users' && key === undefined && get) {
      return this.page(request, rawPath, rawQuery, [...this.users.values()], eventual);
    }
    if (collection === 'groups' && key === undefined && get) {
      return this.page(request, rawPath, rawQuery, [...this.groups.values()], eventual, false);
    }
    if (collection === 'users' && key !== undefined) {
      const user = this.user(key);
      if (relation === undefined && get) return select(user, request.query.$select);
      if (relation === 'manager' && get) {
        const manager = user.managerId ? this.users.get(user.managerId) : undefined;
        if (!manager) throw notFound('manager');
        return select(manager, request.query.$select);
      }
      if (relation === 'checkMemberGroups' && request.method === 'POST') {
        const ids = (request.body as { groupIds?: string[] } | undefined)?.groupIds ?? [];
        if (ids.length > 20) throw new HttpError(400, 'Request_BadRequest', 'Too many groupIds.');
        const mine = this.groupsOf(user.id);
        return { value: ids.filter((id) => mine.has(id.toLowerCase())) };
      }
      if (relation === 'transitiveMemberOf' && cast === 'microsoft.graph.group' && get) {
        const groups = [...this.groupsOf(user.id)].map((id) => this.groups.get(id) as FakeGroup);
        return this.page(request, rawPath, rawQuery, groups, eventual, false);
      }
    }
    if (collection === 'groups' && key !== undefined && relation === 'transitiveMembers') {
      const group = this.groups.get(key.toLowerCase());
      if (!group || cast !== 'microsoft.graph.user' || !get) throw notFound(key);
      const members = [...this.membersOf(group.id)].map((id) => this.users.get(id) as FakeUser);
      return this.page(request, rawPath, rawQuery, members, eventual);
    }
    throw new HttpError(400, 'BadRequest', `Resource not found for the segment '${collection}'.`);
  }

  private user(key: string): FakeUser {
    const lower = key.toLowerCase();
    const user = [...this.users.values()].find(
      (u) => u.id === lower || u.userPrincipalName.toLowerCase() === lower,
    );
    if (!user) throw notFound(key);

    return user;
  }

  /** Every group the principal is in, through nesting. */
  private groupsOf(principalId: string): Set<string> {
    const found = new Set<string>();
    const visit = (id: string) => {
      for (const group of this.groups.values()) {
        if (group.members.includes(id) && !found.has(group.id)) {
          found.add(group.id);
          visit(group.id);
        }
      }
    };
    visit(principalId);

    return found;
  }

  /** Every user under the group, through nesting. */
  private membersOf(groupId: string, seen = new Set<string>()): Set<string> {
    const users = new Set<string>();
    seen.add(groupId);
    for (const id of this.groups.get(groupId)?.members ?? []) {
      if (this.users.has(id)) users.add(id);
      else if (!seen.has(id)) for (const u of this.membersOf(id, seen)) users.add(u);
    }

    return users;
  }

  /** A filtered, selected, paged collection answer with @odata.nextLink like Graph's. */
  private page(
    request: RecordedRequest,
    rawPath: string,
    rawQuery: string,
    items: Record<string, unknown>[],
    eventual: boolean,
    users = true,
  ): unknown {
    const q = request.query;
    let matches = items;
    if (q.$filter !== undefined) {
      const filter = parseFilter(q.$filter);
      if (filter.advanced && !eventual) throw unsupported();
      matches = items.filter((item) => Boolean(filter.test(item, {})));
    }
    const top = Math.min(Number(q.$top ?? 100), 999);
    const skip = q.$skiptoken ? Number(Buffer.from(q.$skiptoken, 'base64url').toString()) : 0;
    const slice = matches.slice(skip, skip + top);
    const body: Record<string, unknown> = {
      '@odata.context': `${this.origin}/v1.0/$metadata#${users ? 'users' : 'groups'}`,
    };
    if (eventual) body['@odata.count'] = matches.length;
    if (skip + top < matches.length) {
      const kept = rawQuery.split('&').filter((p) => p && !p.startsWith('$skiptoken='));
      const token = Buffer.from(String(skip + top)).toString('base64url');
      body['@odata.nextLink'] =
        `${this.nextLinkOrigin ?? this.origin}${rawPath}?${[...kept, `$skiptoken=${token}`].join('&')}`;
    }
    body.value = slice.map((item) =>
      users ? select(item as FakeUser, q.$select) : { id: item.id, displayName: item.displayName },
    );

    return body;
  }
}

function unsupported(): HttpError {
  return new HttpError(
    400,
    'Request_UnsupportedQuery',
    'Unsupported query: this needs the ConsistencyLevel: eventual header and $count=true.',
  );
}

/** A user with only the selected properties (or Graph's defaults), nulls and [] included. */
function select(user: FakeUser, selectParam: string | undefined): Record<string, unknown> {
  const names = selectParam ? selectParam.split(',').map((s) => s.trim()) : DEFAULT_USER_SELECT;
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const kind = USER_PROPERTIES[name];
    if (!kind) {
      throw new HttpError(
        400,
        'Request_BadRequest',
        `Could not find a property named '${name}' on type 'microsoft.graph.user'.`,
      );
    }
    out[name] = user[name] ?? (kind === 'array' ? [] : null);
  }

  return out;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'Content-Type': 'application/json;odata.metadata=minimal', ...headers });
  res.end(JSON.stringify(body));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Query parameters as Graph reads them: a raw `+` is a space, then percent-decoding. */
function parseQuery(raw: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    query[key] = eq < 0 ? '' : safeDecode(part.slice(eq + 1).replace(/\+/g, ' '));
  }

  return query;
}

/** GraphConfig pointing at a fake; the secret is a marker tests search the logs for. */
export function graphConfigFor(fake: GraphFake, timeoutMs = 5000): GraphConfig {
  return {
    tenantId: 'tenant-id',
    clientId: 'client-id',
    clientSecret: 'client-secret-never-logged',
    baseUrl: fake.baseUrl,
    authorityHost: 'https://login.invalid',
    timeoutMs,
  };
}

/** A TokenCredential stand-in that hands out the token the fake accepts (or another). */
export function fakeCredential(token = FAKE_TOKEN) {
  return {
    getToken: async (_scopes: string | string[]) => ({
      token,
      expiresOnTimestamp: Date.now() + 3_600_000,
    }),
  };
}
