/**
 * Entra ID user objects → DirectoryRecord. Only `mobilePhone` may receive SMS: `businessPhones` is an
 * office line and is kept in `otherPhones` solely so refusals can say what the directory holds.
 */
import type { AttributeValue, DirectoryRecord } from '../types.js';

/** A user object as Graph returns it for our `$select`; every property may be null. */
export interface GraphUser {
  id: string;
  [property: string]: unknown;
}

/**
 * Every property the mapping reads. Most are returned only on `$select`, so this list is always sent.
 */
export const USER_SELECT = [
  'id',
  'displayName',
  'userPrincipalName',
  'mail',
  'otherMails',
  'mobilePhone',
  'businessPhones',
  'accountEnabled',
  'employeeType',
  'userType',
  'companyName',
  'department',
  'onPremisesSamAccountName',
  'onPremisesSyncEnabled',
  'creationType',
  'externalUserState',
  'usageLocation',
] as const;

/** The select list with the Duo username attribute added when it is not one of ours. */
export function selectFor(duoUsernameAttribute: string): string[] {
  const select: string[] = [...USER_SELECT];
  if (!select.includes(duoUsernameAttribute)) select.push(duoUsernameAttribute);

  return select;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => text(v) !== undefined) : [];
}

/** Every selected property as strings, as the port's `raw` wants; null becomes []. */
function rawOf(user: GraphUser): Record<string, string[]> {
  const raw: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(user)) {
    if (key.startsWith('@odata.')) continue;

    if (Array.isArray(value)) raw[key] = value.map(String);
    else if (value === null || value === undefined) raw[key] = [];
    else if (typeof value === 'object') raw[key] = [JSON.stringify(value)];
    else raw[key] = [String(value)];
  }

  return raw;
}

function emailsOf(user: GraphUser): AttributeValue[] {
  const emails: AttributeValue[] = [];
  const seen = new Set<string>();
  const add = (attribute: string, value: string) => {
    if (seen.has(value.toLowerCase())) return;

    seen.add(value.toLowerCase());
    emails.push({ attribute, value });
  };
  const mail = text(user.mail);
  if (mail) add('mail', mail);
  for (const other of texts(user.otherMails)) add('otherMails', other);

  return emails;
}

/**
 * Map one user. `username` is the on-premises logon name when synced, else the UPN's local part;
 * the Duo username is the configured attribute, falling back to the UPN as Duo's Entra sync does.
 */
export function toRecord(
  user: GraphUser,
  duoUsernameAttribute: string,
  managerId?: string,
): DirectoryRecord {
  const upn = text(user.userPrincipalName);
  const mobile = text(user.mobilePhone);
  const raw = rawOf(user);
  if (managerId) raw.manager = [managerId];

  return {
    source: 'graph',
    id: user.id,
    username: text(user.onPremisesSamAccountName) ?? upn?.split('@')[0] ?? user.id,
    userPrincipalName: upn,
    displayName: text(user.displayName) ?? upn ?? user.id,
    duoUsername: text(user[duoUsernameAttribute]) ?? upn ?? user.id,
    // Only an explicit true counts: a missing value must never enrol a disabled account.
    enabled: user.accountEnabled === true,
    managerId,
    emails: emailsOf(user),
    mobiles: mobile ? [{ attribute: 'mobilePhone', value: mobile }] : [],
    otherPhones: texts(user.businessPhones).map((value) => ({
      attribute: 'businessPhones',
      value,
    })),
    employeeType: text(user.employeeType) ?? text(user.userType),
    raw,
  };
}
