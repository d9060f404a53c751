/**
 * Turns an AD entry, as ldapts returns it, into a DirectoryRecord. Pure: no I/O, no clock.
 * ldapts returns one value as a string and several as an array, keys in the server's casing, and
 * any value that is not valid UTF-8 as a Buffer; everything is normalised here once.
 */
import type { Entry } from 'ldapts';
import type { LdapAttributes } from '../../config/index.js';
import type { AttributeValue, DirectoryRecord } from '../types.js';

/** userAccountControl ACCOUNTDISABLE. */
const ACCOUNT_DISABLED = 0x2n;

/** accountExpires values that mean "never": 0 and the largest signed 64-bit integer. */
const NEVER = new Set([0n, 0x7fffffffffffffffn]);

/** 100-nanosecond intervals between 1601-01-01 (FILETIME epoch) and 1970-01-01. */
const FILETIME_UNIX_OFFSET = 116444736000000000n;

/** Attributes that are binary in AD and must always be read as Buffers (case-sensitive in ldapts). */
export const BINARY_ATTRIBUTES = ['objectGUID', 'objectSid'];

/** What the mapper needs besides the entry. */
export interface MappingOptions {
  attributes: LdapAttributes;
  duoUsernameAttribute: string;
}

/** The attributes to request so that `toRecord` has everything it reads. */
export function requestedAttributes(options: MappingOptions): string[] {
  const a = options.attributes;
  const names = [
    a.username,
    'userPrincipalName',
    'displayName',
    'cn',
    a.mail,
    a.otherMail,
    a.mobile,
    a.otherMobile,
    a.telephone,
    a.manager,
    a.employeeType,
    'userAccountControl',
    'accountExpires',
    options.duoUsernameAttribute,
    'objectGUID',
  ];

  return [...new Set(names.filter((n): n is string => Boolean(n)))];
}

/** An ldapts entry as attribute names (server casing) to string values, empty ones dropped. */
export function normaliseEntry(entry: Entry): Record<string, string[]> {
  const raw: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'dn') continue;

    const values = (Array.isArray(value) ? value : [value]).map((v) => valueText(key, v));
    if (values.length > 0) raw[key] = values;
  }

  return raw;
}

function valueText(attribute: string, value: string | Buffer): string {
  if (typeof value === 'string') return value;

  if (attribute.toLowerCase() === 'objectguid' && value.length === 16) return guidText(value);

  const text = new TextDecoder('utf-8', { fatal: false }).decode(value);

  return text.includes('\ufffd') ? value.toString('base64') : text;
}

/** objectGUID in its usual text form (the first three groups are little-endian). */
export function guidText(b: Buffer): string {
  const hex = (from: number, to: number, reverse: boolean): string => {
    const bytes = [...b.subarray(from, to)];

    return (reverse ? bytes.reverse() : bytes).map((x) => x.toString(16).padStart(2, '0')).join('');
  };

  return [
    hex(0, 4, true),
    hex(4, 6, true),
    hex(6, 8, true),
    hex(8, 10, false),
    hex(10, 16, false),
  ].join('-');
}

/** Whether userAccountControl leaves the account enabled (bit 0x2 clear). Absent means enabled. */
export function isEnabled(userAccountControl: string | undefined): boolean {
  if (userAccountControl === undefined || !/^-?\d+$/.test(userAccountControl.trim())) return true;

  return (BigInt(userAccountControl.trim()) & ACCOUNT_DISABLED) === 0n;
}

/** accountExpires (FILETIME) as a Date; undefined for never, absent or unreadable values. */
export function expiryDate(accountExpires: string | undefined): Date | undefined {
  if (accountExpires === undefined || !/^-?\d+$/.test(accountExpires.trim())) return undefined;

  const filetime = BigInt(accountExpires.trim());
  if (NEVER.has(filetime) || filetime < 0n) return undefined;

  return new Date(Number((filetime - FILETIME_UNIX_OFFSET) / 10000n));
}

/** A Date as a FILETIME string, as AD stores accountExpires (used by tests and fixtures). */
export function toFiletime(date: Date): string {
  return (BigInt(date.getTime()) * 10000n + FILETIME_UNIX_OFFSET).toString();
}

/** Maps one entry; `raw` keeps every attribute read, in the server's casing. */
export function toRecord(entry: Entry, options: MappingOptions): DirectoryRecord {
  const raw = normaliseEntry(entry);
  // The server decides the casing of names; configuration may spell them differently.
  const byName = new Map(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
  const a = options.attributes;
  const first = (name: string | undefined): string | undefined =>
    name ? byName.get(name.toLowerCase())?.[0] : undefined;
  const all = (name: string | undefined): AttributeValue[] =>
    name ? (byName.get(name.toLowerCase()) ?? []).map((value) => ({ attribute: name, value })) : [];

  const username = first(a.username) ?? '';

  return {
    source: 'ldap',
    id: entry.dn,
    username,
    userPrincipalName: first('userPrincipalName'),
    displayName: first('displayName') ?? first('cn') ?? username,
    duoUsername: first(options.duoUsernameAttribute) ?? username,
    enabled: isEnabled(first('userAccountControl')),
    expiresAt: expiryDate(first('accountExpires')),
    managerId: first(a.manager),
    emails: [...all(a.mail), ...all(a.otherMail)],
    mobiles: [...all(a.mobile), ...all(a.otherMobile)],
    otherPhones: all(a.telephone),
    employeeType: first(a.employeeType),
    raw,
  };
}
