/**
 * Offboarding: Duo users the bot created (rather than Duo's own directory sync) are nobody else's
 * to clean up. Every OFFBOARDING_MINUTES each is checked against the directory; when the account
 * is disabled, expired or gone, the Duo user is disabled (OFFBOARDING_ACTION=disable) or only
 * reported (report), the approvers are told, and the audit log says so. An unreachable directory
 * is never read as "gone": the round is skipped.
 */
import { DirectoryUnavailableError, DuoNotFoundError } from '../errors.js';
import { announce, type WorkflowDeps } from './deps.js';
import type { EnrolmentRequest } from './types.js';

const LAST_RUN = 'lifecycle:offboarding:last';
const SYSTEM = { platform: 'system' as const, id: 'enrolbot', name: 'enrolbot' };

/** Run the offboarding check when due; returns how many Duo users were offboarded. */
export async function offboard(deps: WorkflowDeps, now: Date): Promise<number> {
  const minutes = deps.config.lifecycle.offboardingMinutes;
  const last = deps.store.getMeta<string>(LAST_RUN);
  if (minutes === 0 || (last && now.getTime() - Date.parse(last) < minutes * 60_000)) return 0;

  let count = 0;
  try {
    for (const request of createdByBot(deps)) {
      const reason = await whyOffboard(deps, request, now);
      if (reason && (await act(deps, request, reason, now))) count += 1;
    }
  } catch (err) {
    if (!(err instanceof DirectoryUnavailableError)) throw err;
    deps.logger.warn({ err }, 'offboarding_skipped_directory_unavailable');

    return count;
  }
  await deps.store.setMeta(LAST_RUN, now.toISOString());

  return count;
}

/** One request per Duo user the bot created and has not offboarded or revoked. */
function createdByBot(deps: WorkflowDeps): EnrolmentRequest[] {
  const seen = new Set<string>();

  return deps.store
    .list(
      (r) =>
        ['sent', 'activated', 'link_expired'].includes(r.state) &&
        !r.revoked &&
        (!!r.progress.createdUser || (r.method === 'email' && !r.progress.duoUserId)),
    )
    .filter((r) => {
      const key = r.contractor.duoUsername.toLowerCase();
      const already = deps.store
        .byContractor(r.contractor.username)
        .some((o) => o.offboarded && o.contractor.duoUsername.toLowerCase() === key);
      if (already || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

async function whyOffboard(
  deps: WorkflowDeps,
  request: EnrolmentRequest,
  now: Date,
): Promise<string | undefined> {
  const records = await deps.directory.find(request.contractor.username);
  const record = records.find(
    (r) => r.id.toLowerCase() === request.contractor.directoryId.toLowerCase(),
  );
  if (!record) return 'the directory account is gone';
  if (!record.enabled) return 'the directory account is disabled';
  if (record.expiresAt && record.expiresAt.getTime() <= now.getTime()) {
    return `the directory account expired on ${record.expiresAt.toISOString().slice(0, 10)}`;
  }

  return undefined;
}

async function act(
  deps: WorkflowDeps,
  request: EnrolmentRequest,
  reason: string,
  now: Date,
): Promise<boolean> {
  const report = deps.config.lifecycle.offboardingAction === 'report';
  const user = await findUser(deps, request);
  if (!user || user.status === 'disabled') return false;

  if (!report) await deps.duo.setUserStatus(user.user_id, 'disabled');
  const action = report ? 'reported' : 'disabled';
  const detail = `${reason}; ${report ? 'Duo user left active (OFFBOARDING_ACTION=report)' : 'Duo user disabled'}`;
  const updated = await deps.store.update(request.id, (r) => {
    r.offboarded = { at: now.toISOString(), action, reason };
  });
  await deps.store.note(request.id, { actor: SYSTEM, action: `offboarding_${action}`, detail });
  await announce(deps, updated, 'offboarded');

  return true;
}

async function findUser(deps: WorkflowDeps, request: EnrolmentRequest) {
  const id = request.progress.duoUserId;
  if (id) {
    const user = await deps.duo.getUser(id).catch((err: unknown) => {
      if (err instanceof DuoNotFoundError) return undefined;
      throw err;
    });
    if (user) return user;
  }

  return deps.duo.findUserByUsername(request.contractor.duoUsername);
}
