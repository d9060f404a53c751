/**
 * What a request stuck in `sending` after a crash should become, decided from Duo's live state.
 * The one rule: a send that may have happened is never repeated without a person.
 */
import { DuoNotFoundError } from '../errors.js';
import type { SendProgress } from '../workflow/types.js';
import { findDuoUser, sameNumber } from './lookup.js';
import type { DuoAdmin, DuoPhone } from './types.js';

/** What reconciliation needs to know about the request. */
export interface ReconcileInput {
  method: 'sms' | 'email';
  username: string;
  aliases?: string[];
  /** E.164 number, for the SMS route. */
  phone?: string;
}

/** The verdict and a sentence for the audit log and the card. */
export interface ReconcileResult {
  outcome: 'sent' | 'activated' | 'resume' | 'needs_attention';
  reason: string;
}

/** Decide, without sending anything, what a stuck request becomes. */
export async function reconcileSend(
  duo: DuoAdmin,
  input: ReconcileInput,
  progress: SendProgress,
): Promise<ReconcileResult> {
  const activated = await isActivated(duo, input, progress);

  if (progress.sentAt) {
    return activated
      ? { outcome: 'activated', reason: 'Duo shows the contractor has activated' }
      : { outcome: 'sent', reason: 'Duo accepted the send before the bot stopped' };
  }

  if (!progress.sendStartedAt) {
    return {
      outcome: 'resume',
      reason: 'Nothing was sent yet; the remaining steps are safe to redo',
    };
  }

  if (activated) {
    return { outcome: 'activated', reason: 'Duo shows the contractor has activated' };
  }

  return {
    outcome: 'needs_attention',
    reason:
      'The bot stopped while sending and Duo cannot show whether the message went out; ' +
      'check with the contractor before sending again',
  };
}

async function isActivated(
  duo: DuoAdmin,
  input: ReconcileInput,
  progress: SendProgress,
): Promise<boolean> {
  if (input.method === 'email') {
    const user = await findDuoUser(duo, input.username, input.aliases);
    return !!user?.is_enrolled;
  }

  let phone: DuoPhone | undefined;
  if (progress.phoneId) phone = await duo.getPhone(progress.phoneId).catch(ignoreNotFound);
  if (!phone && input.phone) phone = await duo.findPhoneByNumber(input.phone);
  if (!phone || (input.phone && !sameNumber(phone.number, input.phone))) return false;

  // Only an activation on this contractor's own phone counts.
  const owners = phone.users ?? (await duo.getPhone(phone.phone_id)).users ?? [];
  const mine = owners.some(
    (u) => u.user_id === progress.duoUserId || u.username === input.username,
  );
  return mine && phone.activated;
}

/** A phone deleted since is simply "not proven"; any other failure must surface. */
function ignoreNotFound(err: unknown): undefined {
  if (err instanceof DuoNotFoundError) return undefined;
  throw err;
}
