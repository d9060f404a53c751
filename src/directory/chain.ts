/**
 * Several directories behind one port, asked in DIRECTORY order (AD, then Entra ID). A lookup stops
 * at the first directory that knows the person; one that cannot be reached is skipped and reported
 * through `onWarning`, and only when every directory asked was unreachable does the call fail.
 * Records keep their `source`, so answers can say which directory answered and membership is always
 * checked in the directory the record came from.
 */
import { DirectoryUnavailableError, EnrolBotError } from '../errors.js';
import type {
  CombinedDirectory,
  Directory,
  DirectoryRecord,
  DirectorySource,
  GroupIdsBySource,
  PersonIdentity,
} from './types.js';

/** One backend of the chain and the source its records carry. */
export interface ChainMember {
  source: DirectorySource;
  directory: Directory;
}

/** A directory that could not answer while another did. */
export interface DirectoryWarning {
  directory: string;
  source: DirectorySource;
  operation: string;
  error: DirectoryUnavailableError;
}

/** What a lookup found, who answered, and who could not be asked. */
export interface ChainAnswer {
  records: DirectoryRecord[];
  /** Name of the directory the records came from; undefined when nobody was found. */
  answeredBy?: string;
  /** Names of the directories that were unreachable during this lookup. */
  unavailable: string[];
}

export interface ChainOptions {
  onWarning?: (warning: DirectoryWarning) => void;
}

/** Health of one backend, for doctor and /readyz. */
export interface MemberHealth {
  name: string;
  source: DirectorySource;
  error?: DirectoryUnavailableError;
}

interface Asked<T> {
  value?: T;
  member?: ChainMember;
  unavailable: ChainMember[];
}

/** The combined directory. */
export class ChainDirectory implements CombinedDirectory {
  readonly name: string;

  constructor(
    private readonly members: ChainMember[],
    private readonly options: ChainOptions = {},
  ) {
    if (members.length === 0) throw new Error('a directory chain needs at least one directory');

    this.name = members.map((m) => m.directory.name).join(', then ');
  }

  nameOf(source: DirectorySource): string | undefined {
    return this.member(source)?.directory.name;
  }

  /** find() with the details an answer needs: who answered and who was unreachable. */
  async lookup(identifier: string): Promise<ChainAnswer> {
    const asked = await this.first(
      'find',
      (d) => d.find(identifier),
      (r) => r.length > 0,
    );

    return {
      records: asked.value ?? [],
      answeredBy: asked.member?.directory.name,
      unavailable: asked.unavailable.map((m) => m.directory.name),
    };
  }

  async find(identifier: string): Promise<DirectoryRecord[]> {
    return (await this.lookup(identifier)).records;
  }

  async findPerson(identity: PersonIdentity): Promise<DirectoryRecord | undefined> {
    const asked = await this.first(
      'findPerson',
      (d) => d.findPerson(identity),
      (r) => r !== undefined,
    );

    return asked.value;
  }

  /**
   * Membership in the group configured for the record's own directory. A record from a directory
   * that has no group configured is not a member.
   */
  async isMember(record: DirectoryRecord, group: string | GroupIdsBySource): Promise<boolean> {
    const member = this.member(record.source);
    const groupId = this.groupFor(record.source, group);
    if (!member || !groupId) return false;

    return member.directory.isMember(record, groupId);
  }

  async expandGroup(group: string): Promise<DirectoryRecord[]> {
    const asked = await this.first(
      'expandGroup',
      (d) => d.expandGroup(group),
      (r) => r.length > 0,
    );

    return asked.value ?? [];
  }

  /** Matches from every reachable directory, in order, up to `limit` in all. */
  async search(prefix: string, limit: number): Promise<DirectoryRecord[]> {
    const records: DirectoryRecord[] = [];
    const unavailable: [ChainMember, DirectoryUnavailableError][] = [];
    for (const member of this.members) {
      if (records.length >= limit) break;

      try {
        records.push(...(await member.directory.search(prefix, limit - records.length)));
      } catch (error) {
        if (!(error instanceof DirectoryUnavailableError)) throw error;
        unavailable.push([member, error]);
      }
    }
    this.settle('search', unavailable, unavailable.length === this.members.length);

    return records.slice(0, limit);
  }

  /** Throws when any configured directory cannot be reached, naming each one that failed. */
  async ping(): Promise<void> {
    const failed = (await this.pingEach()).filter((h) => h.error);
    if (failed.length === 0) return;

    const why = failed.map((h) => `${h.name}: ${h.error?.message}`).join('; ');
    throw new DirectoryUnavailableError(this.name, why, { cause: failed[0]?.error });
  }

  /** Each directory's health on its own. */
  async pingEach(): Promise<MemberHealth[]> {
    return Promise.all(
      this.members.map(async ({ source, directory }) => {
        try {
          await directory.ping();

          return { name: directory.name, source };
        } catch (error) {
          return { name: directory.name, source, error: asUnavailable(directory, error) };
        }
      }),
    );
  }

  async close(): Promise<void> {
    const results = await Promise.allSettled(this.members.map((m) => m.directory.close()));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }

  private member(source: DirectorySource): ChainMember | undefined {
    return this.members.find((m) => m.source === source);
  }

  /** The group id for one backend: from the per-backend object, or from a ';'-separated string. */
  private groupFor(source: DirectorySource, group: string | GroupIdsBySource): string | undefined {
    if (typeof group !== 'string') return group[source] || undefined;

    const parts = group.split(';').map((s) => s.trim());
    if (parts.length === 1) return parts[0] || undefined;

    if (parts.length !== this.members.length) {
      throw new EnrolBotError(
        'group_mismatch',
        `the group "${group}" has ${parts.length} parts for ${this.members.length} directories`,
      );
    }

    return parts[this.members.findIndex((m) => m.source === source)] || undefined;
  }

  /** Ask each directory in order until `found` says one answered. */
  private async first<T>(
    operation: string,
    ask: (directory: Directory) => Promise<T>,
    found: (value: T) => boolean,
  ): Promise<Asked<T>> {
    const unavailable: [ChainMember, DirectoryUnavailableError][] = [];
    let value: T | undefined;
    let answered: ChainMember | undefined;
    for (const member of this.members) {
      try {
        value = await ask(member.directory);
      } catch (error) {
        if (!(error instanceof DirectoryUnavailableError)) throw error;
        unavailable.push([member, error]);
        continue;
      }
      if (found(value)) {
        answered = member;
        break;
      }
    }
    this.settle(operation, unavailable, unavailable.length === this.members.length);

    return { value, member: answered, unavailable: unavailable.map(([m]) => m) };
  }

  /** Fail when nobody could answer; otherwise report each unreachable directory as a warning. */
  private settle(
    operation: string,
    unavailable: [ChainMember, DirectoryUnavailableError][],
    nobodyAnswered: boolean,
  ): void {
    if (nobodyAnswered) {
      const [only] = unavailable;
      if (unavailable.length === 1 && only) throw only[1];

      const why = unavailable.map(([m, e]) => `${m.directory.name}: ${e.message}`).join('; ');
      throw new DirectoryUnavailableError(this.name, `no directory could answer (${why})`, {
        cause: only?.[1],
      });
    }
    for (const [member, error] of unavailable) {
      const warning = { directory: member.directory.name, source: member.source, operation, error };
      this.options.onWarning?.(warning);
    }
  }
}

function asUnavailable(directory: Directory, error: unknown): DirectoryUnavailableError {
  if (error instanceof DirectoryUnavailableError) return error;

  const message = error instanceof Error ? error.message : String(error);

  return new DirectoryUnavailableError(directory.name, message, { cause: error });
}
