/** Small Duo look-ups shared by the enrolment flows, reconciliation and the status view. */
import { AccountExpiringError } from '../errors.js';
import type { DuoAdmin, DuoPhone, DuoUser } from './types.js';

/** The shortest time a link must still be usable for, or sending it is pointless. */
export const MIN_LINK_SECS = 60;

/**
 * Find the Duo user by username first, then by the aliases (UPN, e-mail...). The aliases are asked
 * at once and the first in order that matches wins, so a miss costs two round trips, not 1 + n.
 */
export async function findDuoUser(
  duo: DuoAdmin,
  username: string,
  aliases: readonly string[] = [],
): Promise<DuoUser | undefined> {
  const user = await duo.findUserByUsername(username);
  if (user || aliases.length === 0) return user;

  const found = await Promise.all(aliases.map((name) => duo.findUserByUsername(name)));

  return found.find((u) => u !== undefined);
}

/**
 * A link lifetime that never outlasts the account. Throws AccountExpiringError when the account
 * ends within MIN_LINK_SECS, because the contractor could not use the link anyway.
 */
export function capValidSecs(validSecs: number, now: Date, expiresAt?: Date): number {
  if (!expiresAt) return validSecs;

  const left = Math.floor((expiresAt.getTime() - now.getTime()) / 1000);
  if (left < MIN_LINK_SECS) throw new AccountExpiringError(expiresAt);

  return Math.min(validSecs, left);
}

/** Duo may return numbers with or without '+': compare digits only. */
export function sameNumber(a: string, b: string): boolean {
  return a.replace(/\D/g, '') === b.replace(/\D/g, '');
}

/** "…1234": enough for a person to recognise a phone, not enough to leak it. */
export function maskNumber(number: string): string {
  return `…${number.replace(/\D/g, '').slice(-4)}`;
}

/** Users of a phone; the list answer usually carries them, otherwise read the phone. */
export async function phoneOwners(duo: DuoAdmin, phone: DuoPhone): Promise<DuoUser[]> {
  return phone.users ?? (await duo.getPhone(phone.phone_id)).users ?? [];
}
