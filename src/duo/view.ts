/**
 * Duo's live view of a contractor, for pre-approval checks and "status": what Duo knows and what
 * that means in plain English.
 */
import { findDuoUser, maskNumber, sameNumber } from './lookup.js';
import type { DuoAdmin, DuoUserStatus } from './types.js';

/** One phone as the view shows it. */
export interface DuoViewPhone {
  number: string;
  platform: string;
  activated: boolean;
}

/** Summary of one contractor in Duo. */
export interface DuoView {
  present: boolean;
  userId?: string;
  username?: string;
  status?: DuoUserStatus;
  isEnrolled: boolean;
  phones: DuoViewPhone[];
  /** Last Duo login; null means never, undefined means no user. */
  lastLogin?: Date | null;
  /** Enrolled with an activated phone: no new enrolment is needed. */
  alreadyEnrolled: boolean;
  /** Status values an approver must be told about (bypass, disabled, locked out). */
  statusWarning?: string;
  /** Plain-English findings, most important first. */
  findings: string[];
}

const STATUS_WARNINGS: Partial<Record<DuoUserStatus, string>> = {
  bypass: 'Duo status is bypass: Duo skips MFA entirely for this user until the status changes.',
  disabled: 'Duo status is disabled: this user cannot log in through Duo until re-enabled.',
  'locked out':
    'Duo has locked this user out (too many failed attempts); an administrator must unlock them.',
  'pending deletion': 'This Duo user is in the trash, pending deletion.',
};

/** Read Duo's state for a contractor. `directoryMobiles` helps explain sync problems. */
export async function duoView(
  duo: DuoAdmin,
  username: string,
  options: { aliases?: string[]; directoryMobiles?: string[] } = {},
): Promise<DuoView> {
  const user = await findDuoUser(duo, username, options.aliases);
  if (!user) {
    return {
      present: false,
      isEnrolled: false,
      phones: [],
      alreadyEnrolled: false,
      findings: [`Duo has no user ${username} yet; it will be created or synced on approval.`],
    };
  }

  const phones = user.phones.map((p) => ({
    number: p.number,
    platform: p.platform,
    activated: p.activated,
  }));
  const activatedPhone = phones.find((p) => p.activated);
  const alreadyEnrolled = user.is_enrolled && !!activatedPhone;
  const statusWarning = STATUS_WARNINGS[user.status];
  const findings: string[] = [];

  if (alreadyEnrolled && activatedPhone) {
    findings.push(
      `Already enrolled in Duo with an activated phone (${maskNumber(activatedPhone.number)}).`,
    );
  }
  if (statusWarning) findings.push(statusWarning);
  for (const p of phones) {
    if (!p.activated && (p.platform === 'unknown' || p.platform === '')) {
      findings.push(
        `Phone ${maskNumber(p.number)} has platform "unknown" in Duo, so activation would fail; ` +
          'the bot sets it to "generic smartphone" before sending.',
      );
    }
  }
  const mobiles = options.directoryMobiles ?? [];
  if (mobiles.length > 0 && phones.length === 0) {
    findings.push(
      'The directory has a mobile number but Duo has no phone for this user: ' +
        'directory sync is not importing phones.',
    );
  } else if (
    mobiles.length > 0 &&
    !phones.some((p) => mobiles.some((m) => sameNumber(m, p.number)))
  ) {
    findings.push("None of the user's Duo phones matches the directory's mobile number.");
  }

  return {
    present: true,
    userId: user.user_id,
    username: user.username,
    status: user.status,
    isEnrolled: user.is_enrolled,
    phones,
    lastLogin: user.last_login ? new Date(user.last_login * 1000) : null,
    alreadyEnrolled,
    statusWarning,
    findings,
  };
}
