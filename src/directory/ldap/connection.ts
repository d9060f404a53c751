/**
 * One bound ldapts connection to a domain controller, shared by every lookup. ldapts multiplexes
 * operations on one socket but does not memoise its own connect, so binding is serialised here;
 * after a drop (AD closes idle connections) the next operation binds again. Every failure to get
 * an answer becomes a DirectoryUnavailableError: a lookup must never mistake it for "not found".
 */
import {
  Client,
  InvalidDNSyntaxError,
  NoSuchObjectError,
  ResultCodeError,
  type SearchOptions,
  type SearchResult,
} from 'ldapts';
import type { Logger } from 'pino';
import { DirectoryUnavailableError } from '../../errors.js';

/** How to reach and authenticate to the directory. */
export interface ConnectionOptions {
  url: string;
  /** Passed to the bind exactly as configured: a DN, a UPN or DOMAIN\user. */
  bindDn: string;
  bindPassword: string;
  /** PEM text of the CA(s) to trust for ldaps://. */
  ca?: string;
  timeoutMs: number;
  /** Name used in errors and logs. */
  directory: string;
  logger?: Logger;
  /** Called once per page of a paged search, so callers (and tests) can see paging happen. */
  onPage?: (page: PageInfo) => void;
}

/** One page of a paged search. */
export interface PageInfo {
  baseDn: string;
  entries: number;
  references: number;
}

/** Counters for diagnostics and tests. */
export interface ConnectionStats {
  binds: number;
  operations: number;
  pages: number;
  referencesSkipped: number;
}

/** A bound connection that rebinds after a drop and maps every failure to one error class. */
export class LdapConnection {
  readonly stats: ConnectionStats = { binds: 0, operations: 0, pages: 0, referencesSkipped: 0 };
  private client: Client;
  private binding?: { client: Client; done: Promise<void> };
  private closed = false;

  constructor(private readonly options: ConnectionOptions) {
    this.client = this.newClient();
  }

  /**
   * The bound client, binding first when the connection is new or was dropped. Concurrent
   * callers share one bind, because ldapts would otherwise open one socket per caller.
   */
  async ensureBound(): Promise<Client> {
    const client = this.client;
    if (client.isConnected && client.isBound) return client;

    if (this.binding?.client !== client) {
      const done = this.bind(client).finally(() => {
        if (this.binding?.client === client) this.binding = undefined;
      });
      this.binding = { client, done };
    }
    await this.binding.done;

    return client;
  }

  /**
   * A search that returns all entries; retried once if the connection dropped under it. With
   * `missingBaseIsEmpty`, a base DN that does not exist (or does not parse) is an empty answer.
   */
  async search(
    baseDn: string,
    options: SearchOptions,
    missingBaseIsEmpty = false,
  ): Promise<SearchResult> {
    return this.withRetry('search', async (client) => {
      try {
        const result = await client.search(baseDn, options);
        this.skipReferences(baseDn, result.searchReferences);

        return result;
      } catch (error) {
        if (missingBaseIsEmpty && isMissingBase(error)) {
          return { searchEntries: [], searchReferences: [] };
        }
        throw error;
      }
    });
  }

  /**
   * A paged search, one page per iteration. `search({paged})` would hide the pages; walking them
   * here keeps memory bounded and lets tests count them. A drop before the first page is retried
   * once; a drop later fails the whole expansion rather than return part of a group.
   */
  async *pages(
    baseDn: string,
    options: SearchOptions,
    pageSize: number,
  ): AsyncGenerator<SearchResult> {
    let yielded = false;
    for (let attempt = 1; ; attempt += 1) {
      const client = await this.ensureBound();
      this.stats.operations += 1;
      try {
        for await (const page of client.searchPaginated(baseDn, {
          ...options,
          paged: { pageSize },
        })) {
          this.stats.pages += 1;
          this.skipReferences(baseDn, page.searchReferences);
          this.options.onPage?.({
            baseDn,
            entries: page.searchEntries.length,
            references: page.searchReferences.length,
          });
          yielded = true;
          yield page;
        }

        return;
      } catch (error) {
        if (!this.shouldRetry(error, client, attempt) || yielded) {
          throw this.unavailable('search', error);
        }
      }
    }
  }

  /** Sends an unbind and drops the socket; later calls fail as unavailable. */
  async close(): Promise<void> {
    this.closed = true;
    try {
      await this.client.unbind();
    } catch (error) {
      this.options.logger?.debug({ err: errorText(error) }, 'ldap_unbind_failed');
    }
  }

  private newClient(): Client {
    const secure = this.options.url.toLowerCase().startsWith('ldaps:');

    return new Client({
      url: this.options.url,
      timeout: this.options.timeoutMs,
      connectTimeout: this.options.timeoutMs,
      // Any defined tlsOptions turns TLS on, so give them only to ldaps:// URLs.
      tlsOptions: secure ? { ca: this.options.ca, minVersion: 'TLSv1.2' } : undefined,
      // A backstop for drops ldapts notices itself; ensureBound rebinds in every other case.
      autoRebind: true,
    });
  }

  private async bind(client: Client): Promise<void> {
    if (this.closed) {
      throw new DirectoryUnavailableError(this.options.directory, 'the connection was closed');
    }

    try {
      await client.bind(this.options.bindDn, this.options.bindPassword);
      this.stats.binds += 1;
      this.options.logger?.debug({ url: this.options.url, binds: this.stats.binds }, 'ldap_bound');
    } catch (error) {
      throw this.unavailable('bind', error);
    }
  }

  private async withRetry<T>(operation: string, run: (client: Client) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const client = await this.ensureBound();
      this.stats.operations += 1;
      try {
        return await run(client);
      } catch (error) {
        if (!this.shouldRetry(error, client, attempt)) throw this.unavailable(operation, error);
      }
    }
  }

  /**
   * After a socket-level loss the client is replaced: ldapts reports the loss before it marks
   * itself disconnected, so reusing it would send the retry down the dead socket. A read is safe
   * to repeat once.
   */
  private shouldRetry(error: unknown, client: Client, attempt: number): boolean {
    if (!isDroppedConnection(error) || this.closed) return false;

    if (this.client === client) {
      this.client = this.newClient();
      void client.unbind().catch(() => undefined);
      this.options.logger?.info({ url: this.options.url }, 'ldap_connection_dropped');
    }

    return attempt === 1;
  }

  private skipReferences(baseDn: string, references: string[]): void {
    if (references.length === 0) return;

    // Referrals point at other naming contexts or domains; we only read our own.
    this.stats.referencesSkipped += references.length;
    this.options.logger?.debug(
      { base_dn: baseDn, count: references.length },
      'ldap_references_skipped',
    );
  }

  private unavailable(operation: string, error: unknown): DirectoryUnavailableError {
    if (error instanceof DirectoryUnavailableError) return error;

    const detail = errorText(error);
    this.options.logger?.warn(
      { operation, url: this.options.url, err: detail },
      'ldap_unavailable',
    );

    return new DirectoryUnavailableError(
      this.options.directory,
      `${this.options.directory} (${this.options.url}) failed during ${operation}: ${detail}`,
      { cause: error },
    );
  }
}

/** The base DN does not exist, or is not a DN at all (user text can be anything). */
function isMissingBase(error: unknown): boolean {
  return error instanceof NoSuchObjectError || error instanceof InvalidDNSyntaxError;
}

/** A socket-level loss (not a server answer, not our own timeout). */
function isDroppedConnection(error: unknown): boolean {
  if (error instanceof ResultCodeError || !(error instanceof Error)) return false;

  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNRESET' || code === 'EPIPE') return true;

  return /Connection closed before message response|Socket error|Socket connection not/.test(
    error.message,
  );
}

/** An error's message and LDAP result code, never its arguments (a bind carries the password). */
function errorText(error: unknown): string {
  if (error instanceof ResultCodeError) return `LDAP result ${error.code}: ${error.message}`;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;

    return code ? `${code}: ${error.message}` : error.message;
  }

  return String(error);
}
