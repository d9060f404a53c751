/**
 * The two enrolment routes (DESIGN.md, "Duo"): an activation SMS to the contractor's mobile, or
 * Duo's enrolment e-mail. Every step is recorded through `record` before the next one, and the
 * moment before the one non-idempotent call is recorded too, so a crash can be reconciled.
 */
import type { Logger } from 'pino';
import { EnrolBotError, PhoneOwnedByOtherUserError } from '../errors.js';
import type { SendProgress } from '../workflow/types.js';
import { capValidSecs, findDuoUser, maskNumber, phoneOwners } from './lookup.js';
import type { DuoAdmin, DuoPhone, DuoUser } from './types.js';

export { reconcileSend, type ReconcileInput, type ReconcileResult } from './reconcile.js';
export { duoView, type DuoView, type DuoViewPhone } from './view.js';
export { capValidSecs } from './lookup.js';

/** The contractor as Duo should know them. Free of chat concepts. */
export interface DuoContractor {
  /** The Duo username (the DUO_USERNAME_ATTRIBUTE value). */
  username: string;
  /** Other names Duo may know them by (UPN, e-mail), tried after the username. */
  aliases?: string[];
  realname?: string;
  /** When the account expires; links never outlive it. */
  expiresAt?: Date;
}

/** The SMS route's input. */
export interface SmsEnrolInput extends DuoContractor {
  /** E.164 mobile number. */
  phone: string;
  /** DUO_ACTIVATION_VALID_SECS, before the expiry cap. */
  validSecs: number;
  /** Send the Duo Mobile install link first (default true: contractors rarely have the app). */
  install?: boolean;
  /** DUO_DIRECTORY_KEY: sync a missing user from this Duo directory instead of creating it. */
  directoryKey?: string;
  /** Stored on a created user. */
  email?: string;
}

/** The e-mail route's input. */
export interface EmailEnrolInput extends DuoContractor {
  /** The directory's e-mail address for the contractor. */
  email: string;
  /** DUO_ENROL_VALID_SECS, before the expiry cap. */
  validSecs: number;
}

/** What the flows need from outside. `record` must persist before it resolves. */
export interface EnrolDeps {
  duo: DuoAdmin;
  now: () => Date;
  record: (progress: SendProgress) => Promise<void>;
  logger?: Logger;
}

/** The platform Duo needs for activation when the real one is unknown. */
export const GENERIC_PLATFORM = 'generic smartphone';

/** Send a Duo Mobile activation SMS; returns the final progress (sentAt set). */
export async function enrolBySms(
  deps: EnrolDeps,
  input: SmsEnrolInput,
  previous: SendProgress = {},
): Promise<SendProgress> {
  const { progress, step, validSecs } = begin(deps, input, previous);

  const user = await ensureUser(deps.duo, input, step);
  const phone = await ensurePhone(deps.duo, user, input.phone, step);

  if (phone.type !== 'mobile' || phone.platform === 'unknown') {
    // Activation fails on an unknown type or platform, so fix it before sending.
    await deps.duo.updatePhone(phone.phone_id, { type: 'mobile', platform: GENERIC_PLATFORM });
  }

  await step({ sendStartedAt: deps.now().toISOString() });
  deps.logger?.info({ phone: maskNumber(input.phone), valid_secs: validSecs }, 'duo_sms_sending');
  const answer = await deps.duo.sendSmsActivation(phone.phone_id, {
    validSecs,
    install: input.install ?? true,
  });
  const sentAt = deps.now();
  await step({
    sentAt: sentAt.toISOString(),
    validUntil: new Date(sentAt.getTime() + answer.valid_secs * 1000).toISOString(),
  });

  return progress;
}

/** Send Duo's enrolment e-mail (users/enroll); returns the final progress (sentAt set). */
export async function enrolByEmail(
  deps: EnrolDeps,
  input: EmailEnrolInput,
  previous: SendProgress = {},
): Promise<SendProgress> {
  const { progress, step, validSecs } = begin(deps, input, previous);

  const existing = await findDuoUser(deps.duo, input.username, input.aliases);
  if (existing) await step({ duoUserId: existing.user_id });

  await step({ sendStartedAt: deps.now().toISOString() });
  deps.logger?.info({ valid_secs: validSecs }, 'duo_enrol_email_sending');
  const code = await deps.duo.enrolUser({
    username: existing?.username ?? input.username,
    email: input.email,
    validSecs,
  });
  const sentAt = deps.now();
  await step({
    sentAt: sentAt.toISOString(),
    enrolCode: code,
    validUntil: new Date(sentAt.getTime() + validSecs * 1000).toISOString(),
  });

  return progress;
}

/** Refuse a send in doubt, cap the link lifetime, and record each step before the next one. */
function begin(
  deps: EnrolDeps,
  input: DuoContractor & { validSecs: number },
  previous: SendProgress,
) {
  refuseIfInDoubt(previous);
  const validSecs = capValidSecs(input.validSecs, deps.now(), input.expiresAt);
  const progress: SendProgress = { ...previous };
  const step = async (patch: Partial<SendProgress>): Promise<void> => {
    Object.assign(progress, patch);
    await deps.record({ ...progress });
  };

  return { progress, step, validSecs };
}

/** A send that started and never finished must be reconciled, not redone. */
function refuseIfInDoubt(progress: SendProgress): void {
  if (progress.sendStartedAt && !progress.sentAt) {
    throw new EnrolBotError('send_in_doubt', 'A send was started and not confirmed; reconcile it');
  }
  if (progress.sentAt) throw new EnrolBotError('already_sent', 'This request was already sent');
}

type Step = (patch: Partial<SendProgress>) => Promise<void>;

async function ensureUser(duo: DuoAdmin, input: SmsEnrolInput, step: Step): Promise<DuoUser> {
  const found = await findDuoUser(duo, input.username, input.aliases);
  if (found) {
    await step({ duoUserId: found.user_id });
    return found;
  }

  if (input.directoryKey) {
    const synced = await duo.syncUser(input.directoryKey, input.username);
    if (!synced) {
      throw new EnrolBotError('duo_sync_missing', 'Duo directory sync did not produce the user');
    }
    await step({ duoUserId: synced.user_id, syncedUser: true });
    return synced;
  }

  // createUser never sends a status, so the user starts active and never in bypass.
  const created = await duo.createUser({
    username: input.username,
    realname: input.realname,
    email: input.email,
    notes: 'Created by the contractor enrolment bot',
  });
  await step({ duoUserId: created.user_id, createdUser: true });
  return created;
}

async function ensurePhone(
  duo: DuoAdmin,
  user: DuoUser,
  number: string,
  step: Step,
): Promise<DuoPhone> {
  const existing = await duo.findPhoneByNumber(number);
  if (existing) {
    const owners = await phoneOwners(duo, existing);
    if (owners.some((o) => o.user_id === user.user_id)) {
      await step({ phoneId: existing.phone_id });
      return existing;
    }
    if (owners.length > 0) {
      throw new PhoneOwnedByOtherUserError(
        existing.phone_id,
        owners.map((o) => o.username),
      );
    }

    await step({ phoneId: existing.phone_id });
    await duo.attachPhone(user.user_id, existing.phone_id);
    await step({ attachedPhone: true });
    return existing;
  }

  const created = await duo.createPhone({ number, type: 'mobile', platform: GENERIC_PLATFORM });
  await step({ phoneId: created.phone_id, createdPhone: true });
  await duo.attachPhone(user.user_id, created.phone_id);
  await step({ attachedPhone: true });
  return created;
}
