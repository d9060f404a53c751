/**
 * The directory port: what the bot needs from Active Directory, Entra ID or the embedded file,
 * whatever answers. Backends map their own attributes onto `DirectoryRecord`.
 */

/** Which backend produced a record. */
export type DirectorySource = 'file' | 'ldap' | 'graph';

/** One attribute value together with the attribute it came from, so answers can name it. */
export interface AttributeValue {
  attribute: string;
  value: string;
}

/** A person as the directory describes them, shaped for the validation rules. */
export interface DirectoryRecord {
  source: DirectorySource;
  /** Stable key in its directory: a DN for AD, an object id for Entra ID, the username for the file. */
  id: string;
  /** Short logon name: sAMAccountName in AD, the UPN's local part or onPremisesSamAccountName in Entra. */
  username: string;
  userPrincipalName?: string;
  displayName: string;
  /** The value of DUO_USERNAME_ATTRIBUTE for this record. */
  duoUsername: string;
  enabled: boolean;
  /** When the account expires; undefined means never. */
  expiresAt?: Date;
  /** Directory id of the manager of record (a DN or an object id). */
  managerId?: string;
  /** E-mail addresses in preference order: mail first, then configured fallbacks. */
  emails: AttributeValue[];
  /** Numbers that may receive SMS, in preference order (mobile, then otherMobile if configured). */
  mobiles: AttributeValue[];
  /** Numbers that must never be used for SMS (telephoneNumber, businessPhones), kept to explain refusals. */
  otherPhones: AttributeValue[];
  /** Directory-specific classification, e.g. employeeType or userType. */
  employeeType?: string;
  /** Every attribute as read, values as strings; for status answers and debugging. */
  raw: Record<string, string[]>;
}

/** What the chat platform tells us about a person, used to find them in the directory. */
export interface PersonIdentity {
  aadObjectId?: string;
  userPrincipalName?: string;
  email?: string;
}

/** A directory backend. Every method throws DirectoryUnavailableError when it cannot answer. */
export interface Directory {
  /** Human-readable name used in answers ("Active Directory", "Entra ID", "sample directory"). */
  readonly name: string;
  /** Records matching a username, UPN, e-mail, DOMAIN\user or display name: zero, one or several. */
  find(identifier: string): Promise<DirectoryRecord[]>;
  /** The directory record of a chat user, for policy checks; undefined when nobody matches. */
  findPerson(identity: PersonIdentity): Promise<DirectoryRecord | undefined>;
  /** Whether the record is a member of the group, directly or through nested groups. */
  isMember(record: DirectoryRecord, groupId: string): Promise<boolean>;
  /** Every user in a group (nested included), or in an OU for AD. */
  expandGroup(group: string): Promise<DirectoryRecord[]>;
  /** Records whose name starts with the text, for type-ahead pickers; at most `limit`. */
  search(prefix: string, limit: number): Promise<DirectoryRecord[]>;
  /** Throws when the directory cannot be reached; used by /readyz and doctor. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One group id per backend, as configured (CONTRACTOR_GROUP and friends, see GroupIds in config). */
export type GroupIdsBySource = Partial<Record<DirectorySource, string>>;

/**
 * The directory the bot holds (built by createDirectory in create.ts): one backend or several in
 * DIRECTORY order. Its isMember also takes the configured group per backend, or one string that
 * holds them separated by ';', and checks the one for the directory the record came from.
 */
export interface CombinedDirectory extends Directory {
  isMember(record: DirectoryRecord, group: string | GroupIdsBySource): Promise<boolean>;
  /** The display name of the backend that produced records of this source, for answers. */
  nameOf(source: DirectorySource): string | undefined;
}
