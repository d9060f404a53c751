/**
 * The embedded directory: a JSON file of users and groups, for trying the bot without AD or Entra ID
 * and for small teams that keep contractors in a file. Its format is documented in the README
 * ("The file directory").
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../errors.js';
import type { AttributeValue, Directory, DirectoryRecord, PersonIdentity } from '../types.js';

/** One user entry of the file. */
export interface FileUser {
  username: string;
  userPrincipalName?: string;
  aadObjectId?: string;
  displayName: string;
  enabled?: boolean;
  accountExpires?: string | null;
  manager?: string;
  mail?: string;
  otherMails?: string[];
  mobile?: string;
  otherMobiles?: string[];
  telephoneNumber?: string;
  employeeType?: string;
}

interface FileGroup {
  name: string;
  /** Usernames or names of other groups (nested). */
  members: string[];
}

interface DirectoryFile {
  users: FileUser[];
  groups: FileGroup[];
}

export interface FileDirectoryOptions {
  /** DUO_USERNAME_ATTRIBUTE: username (default), userPrincipalName or mail. */
  duoUsernameAttribute?: string;
}

/** Directory backed by a JSON file read once at start-up. */
export class FileDirectory implements Directory {
  readonly name = 'sample directory';
  private readonly users: FileUser[];
  private readonly groups: Map<string, FileGroup>;
  private readonly duoAttribute: string;

  constructor(path: string, options: FileDirectoryOptions = {}) {
    const file = readDirectoryFile(path);
    this.users = file.users;
    this.groups = new Map(file.groups.map((g) => [g.name.toLowerCase(), g]));
    this.duoAttribute = (options.duoUsernameAttribute ?? 'username').toLowerCase();
  }

  async find(identifier: string): Promise<DirectoryRecord[]> {
    const wanted = identifier.trim().toLowerCase();
    const bare = wanted.includes('\\') ? wanted.slice(wanted.lastIndexOf('\\') + 1) : wanted;
    const matches = this.users.filter(
      (u) =>
        u.username.toLowerCase() === bare ||
        u.userPrincipalName?.toLowerCase() === wanted ||
        u.mail?.toLowerCase() === wanted ||
        u.aadObjectId?.toLowerCase() === wanted ||
        u.displayName.toLowerCase() === wanted,
    );

    return matches.map((u) => this.toRecord(u));
  }

  async findPerson(identity: PersonIdentity): Promise<DirectoryRecord | undefined> {
    const keys: [keyof FileUser, string | undefined][] = [
      ['aadObjectId', identity.aadObjectId],
      ['userPrincipalName', identity.userPrincipalName],
      ['mail', identity.userPrincipalName],
      ['mail', identity.email],
      ['userPrincipalName', identity.email],
    ];
    for (const [key, value] of keys) {
      if (!value) continue;

      const matches = this.users.filter(
        (u) => String(u[key] ?? '').toLowerCase() === value.toLowerCase(),
      );
      // Two people behind one identity is a data problem; acting for either would be a guess.
      if (matches.length === 1) return this.toRecord(matches[0]!);
      if (matches.length > 1) return undefined;
    }

    return undefined;
  }

  async isMember(record: DirectoryRecord, groupId: string): Promise<boolean> {
    return this.membersOf(groupId, new Set()).has(record.username.toLowerCase());
  }

  async expandGroup(group: string): Promise<DirectoryRecord[]> {
    const members = this.membersOf(group, new Set());

    return this.users
      .filter((u) => members.has(u.username.toLowerCase()))
      .map((u) => this.toRecord(u));
  }

  async search(prefix: string, limit: number): Promise<DirectoryRecord[]> {
    const wanted = prefix.trim().toLowerCase();

    return this.users
      .filter(
        (u) =>
          u.displayName.toLowerCase().startsWith(wanted) ||
          u.username.toLowerCase().startsWith(wanted),
      )
      .slice(0, limit)
      .map((u) => this.toRecord(u));
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  /** Usernames (lower case) in a group, nested groups followed once each. */
  private membersOf(groupName: string, seen: Set<string>): Set<string> {
    const key = groupName.toLowerCase();
    const result = new Set<string>();
    const group = this.groups.get(key);
    if (!group || seen.has(key)) return result;

    seen.add(key);
    for (const member of group.members) {
      if (this.groups.has(member.toLowerCase())) {
        for (const nested of this.membersOf(member, seen)) result.add(nested);
      } else {
        result.add(member.toLowerCase());
      }
    }

    return result;
  }

  private toRecord(u: FileUser): DirectoryRecord {
    const emails: AttributeValue[] = [];
    if (u.mail) emails.push({ attribute: 'mail', value: u.mail });
    for (const m of u.otherMails ?? []) emails.push({ attribute: 'otherMails', value: m });
    const mobiles: AttributeValue[] = [];
    if (u.mobile) mobiles.push({ attribute: 'mobile', value: u.mobile });
    for (const m of u.otherMobiles ?? []) mobiles.push({ attribute: 'otherMobiles', value: m });
    const otherPhones = u.telephoneNumber
      ? [{ attribute: 'telephoneNumber', value: u.telephoneNumber }]
      : [];
    const raw: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(u))
      raw[k] = Array.isArray(v) ? v.map(String) : v == null ? [] : [String(v)];

    return {
      source: 'file',
      id: u.username,
      username: u.username,
      userPrincipalName: u.userPrincipalName,
      displayName: u.displayName,
      duoUsername: this.duoUsername(u),
      enabled: u.enabled !== false,
      expiresAt: u.accountExpires ? new Date(u.accountExpires) : undefined,
      managerId: u.manager,
      emails,
      mobiles,
      otherPhones,
      employeeType: u.employeeType,
      raw,
    };
  }

  private duoUsername(u: FileUser): string {
    if (this.duoAttribute === 'userprincipalname') return u.userPrincipalName ?? u.username;
    if (this.duoAttribute === 'mail') return u.mail ?? u.username;

    return u.username;
  }
}

/** Read and check the file; a bad file stops the bot naming DIRECTORY_FILE. */
function readDirectoryFile(path: string): DirectoryFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(
      'DIRECTORY_FILE',
      `cannot read ${path} as JSON (${(err as Error).message})`,
    );
  }

  const file = parsed as Partial<DirectoryFile>;
  if (!file || !Array.isArray(file.users)) {
    throw new ConfigError('DIRECTORY_FILE', `${path} must hold a "users" array (see the README)`);
  }
  file.users.forEach((u, i) => {
    if (!u || typeof u.username !== 'string' || typeof u.displayName !== 'string') {
      throw new ConfigError(
        'DIRECTORY_FILE',
        `${path}: users[${i}] needs "username" and "displayName"`,
      );
    }
    if (u.accountExpires && Number.isNaN(Date.parse(u.accountExpires))) {
      throw new ConfigError('DIRECTORY_FILE', `${path}: users[${i}].accountExpires is not a date`);
    }
  });
  const groups = Array.isArray(file.groups) ? file.groups : [];
  groups.forEach((g, i) => {
    if (!g || typeof g.name !== 'string' || !Array.isArray(g.members)) {
      throw new ConfigError('DIRECTORY_FILE', `${path}: groups[${i}] needs "name" and "members"`);
    }
  });

  return { users: file.users, groups };
}
