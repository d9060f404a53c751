/**
 * The Duo side of an approved request: `approved → sending → sent | failed | needs_attention`.
 * The move to `sending` is a compare-and-set, so only one caller ever sends; every Duo step is
 * stored before the next, and a request found in `sending` after a crash is reconciled from Duo's
 * live state instead of being sent again (recovery.ts).
 */
import { enrolByEmail, enrolBySms } from '../duo/enrol.js';
import type { DuoAdmin } from '../duo/types.js';
import {
  AccountExpiringError,
  DuoApiError,
  DuoRateLimitError,
  DuoUnavailableError,
  EnrolBotError,
  PhoneOwnedByOtherUserError,
  StaleRequestError,
} from '../errors.js';
import { requestLogger } from '../logging.js';
import { maskText } from '../mask.js';
import { announce, type WorkflowDeps } from './deps.js';
import type { EnrolmentRequest, RequestState, SendProgress } from './types.js';

/** How a send ended, for callers that report progress (batches). */
export type SendResult =
  | { kind: 'sent'; request: EnrolmentRequest }
  | { kind: 'failed'; request: EnrolmentRequest }
  | { kind: 'needs_attention'; request: EnrolmentRequest }
  | { kind: 'deferred'; request: EnrolmentRequest }
  /** Duo answered 429 to every attempt: nothing happened there; still `sending`, safe to resume. */
  | { kind: 'rate_limited'; request: EnrolmentRequest }
  | { kind: 'skipped'; state: RequestState | 'missing' };

/** Send an approved request once. Safe to call twice: the loser of the CAS is told `skipped`. */
export async function send(deps: WorkflowDeps, requestId: string): Promise<SendResult> {
  const approved = deps.store.get(requestId);
  if (!approved) return { kind: 'skipped', state: 'missing' };
  if (approved.state !== 'approved') return { kind: 'skipped', state: approved.state };

  if (await overSendLimit(deps)) {
    // Stays approved; the lifecycle tick sends it when the hour has room again.
    await announce(deps, approved, 'deferred');

    return { kind: 'deferred', request: approved };
  }

  let sending: EnrolmentRequest;
  try {
    sending = await deps.store.transition(requestId, 'approved', 'sending', undefined, {
      actor: { platform: 'system', id: 'enrolbot', name: 'enrolbot' },
      action: 'sending',
    });
  } catch (err) {
    if (err instanceof StaleRequestError)
      return { kind: 'skipped', state: err.actualState as RequestState };
    throw err;
  }
  crashPoint(deps, 'sending');
  await announce(deps, sending, 'sending');

  return runSend(deps, sending);
}

/** Call Duo for a request already in `sending`, resuming from its recorded progress. */
export async function runSend(deps: WorkflowDeps, request: EnrolmentRequest): Promise<SendResult> {
  const log = requestLogger(deps.logger, request.id);
  let durable: SendProgress = request.progress;
  const record = async (progress: SendProgress): Promise<void> => {
    if (!mustRecordNow(durable, progress)) return;

    await deps.store.update(
      request.id,
      (r) => {
        r.progress = progress;
      },
      { expectState: 'sending' },
    );
    durable = reachedDisk(deps, durable, progress);
  };
  const duo = deps.config.testCrashAfter ? crashAfterCalls(deps) : deps.duo;
  const enrolDeps = { duo, now: deps.now, record, logger: log };
  const contractor = {
    username: request.contractor.duoUsername,
    aliases: aliasesFromRequest(request),
    realname: request.contractor.displayName,
    expiresAt: request.contractor.expiresAt ? new Date(request.contractor.expiresAt) : undefined,
  };

  try {
    const progress =
      request.method === 'sms'
        ? await enrolBySms(
            enrolDeps,
            {
              ...contractor,
              phone: request.destination ?? '',
              validSecs: deps.config.duo.activationValidSecs,
              install: deps.config.duo.installDuoMobile,
              directoryKey: deps.config.duo.directoryKey,
            },
            request.progress,
          )
        : await enrolByEmail(
            enrolDeps,
            {
              ...contractor,
              email: request.destination ?? '',
              validSecs: deps.config.duo.enrolValidSecs,
            },
            request.progress,
          );
    const sent = await deps.store.transition(
      request.id,
      'sending',
      'sent',
      (r) => {
        r.progress = progress;
      },
      { actor: systemActor(), action: 'sent', detail: sentDetail(request) },
    );
    durable = reachedDisk(deps, durable, progress);
    log.info({ method: request.method }, 'enrolment_sent');
    crashPoint(deps, 'sent');
    await announce(deps, sent, 'sent');

    return { kind: 'sent', request: sent };
  } catch (err) {
    return settleFailure(deps, request.id, err);
  }
}

/**
 * Which progress must be on disk before the send goes on. Facts Duo's live state cannot show are
 * written at once: a user the bot created or synced and a phone it attached (revoke and offboarding
 * act on them), and `sendStartedAt`, which reconciliation needs before the SMS or e-mail goes out.
 * The rest waits for the next write, because a resumed send finds it again in Duo: the id of a
 * user or phone that already existed, a phone created and not yet attached (it is found by number
 * and attached then). `sentAt` is carried by the transition to `sent`, the very next write, with
 * no Duo call in between. Each write rewrites the whole store; a new contractor's SMS send now
 * records its progress three times instead of five.
 */
function mustRecordNow(durable: SendProgress, progress: SendProgress): boolean {
  const IMMEDIATE = ['createdUser', 'syncedUser', 'attachedPhone', 'sendStartedAt'] as const;

  return IMMEDIATE.some((key) => progress[key] !== undefined && durable[key] === undefined);
}

/** After a write of `progress`: the crash tests' `recorded:<key>` hooks, and the new durable mark. */
function reachedDisk(
  deps: WorkflowDeps,
  durable: SendProgress,
  progress: SendProgress,
): SendProgress {
  for (const key of Object.keys(progress) as (keyof SendProgress)[])
    if (durable[key] === undefined) crashPoint(deps, `recorded:${key}`);

  return { ...progress };
}

/** Put a failed send where a person can see and continue it; never resend on our own. */
async function settleFailure(
  deps: WorkflowDeps,
  requestId: string,
  err: unknown,
): Promise<SendResult> {
  const log = requestLogger(deps.logger, requestId);
  const current = deps.store.get(requestId);
  if (!current || current.state !== 'sending') throw err;

  if (err instanceof DuoRateLimitError) return holdRateLimited(deps, current);

  const inDoubt = !!current.progress.sendStartedAt && !current.progress.sentAt;
  const { to, message } = classify(err, inDoubt);
  log.warn({ err, to }, 'enrolment_send_failed');
  const code = err instanceof EnrolBotError ? err.code : 'unexpected';
  const settled = await deps.store.transition(
    requestId,
    'sending',
    to,
    (r) => {
      r.failure = { code, message };
    },
    { actor: systemActor(), action: to, detail: maskText(message) },
  );
  await announce(deps, settled, to);

  return { kind: to, request: settled };
}

/**
 * A DuoRateLimitError reaches here only when every attempt of the call was answered 429 (any other
 * failure ends the transport's retries at once), and a 429 is Duo refusing before it acts. So even
 * when the refused call was the SMS or e-mail itself, after `sendStartedAt` was recorded, nothing
 * went out: the mark is cleared in the same compare-and-set that keeps the request in `sending`,
 * and the caller (the send queue) resumes it later from its recorded steps. A crash before this
 * write leaves the mark, and start-up reconciliation then hands the request to a person.
 */
async function holdRateLimited(deps: WorkflowDeps, current: EnrolmentRequest): Promise<SendResult> {
  const held = await deps.store.update(
    current.id,
    (r) => {
      if (!r.progress.sentAt) delete r.progress.sendStartedAt;
    },
    { expectState: 'sending', expectVersion: current.version },
  );
  requestLogger(deps.logger, current.id).warn('enrolment_send_rate_limited');

  return { kind: 'rate_limited', request: held };
}

function classify(
  err: unknown,
  inDoubt: boolean,
): { to: 'failed' | 'needs_attention'; message: string } {
  if (err instanceof PhoneOwnedByOtherUserError) {
    return {
      to: 'needs_attention',
      message:
        'this number already belongs to another Duo user; the bot will not move a phone between people. ' +
        'A Duo administrator must check who owns it',
    };
  }
  if (inDoubt) {
    return {
      to: 'needs_attention',
      message: `Duo did not confirm the send (${errorText(err)}); it may or may not have gone out. Check Duo before resending`,
    };
  }
  if (err instanceof AccountExpiringError) return { to: 'failed', message: err.message };
  if (err instanceof DuoRateLimitError) {
    return {
      to: 'failed',
      message:
        'Duo is rate-limiting the bot; nothing was sent. An approver can say "retry" to try again',
    };
  }
  if (err instanceof DuoUnavailableError) {
    return {
      to: 'failed',
      message: `Duo could not be reached (${err.message}); nothing was sent. An approver can say "retry"`,
    };
  }
  if (err instanceof DuoApiError) return { to: 'failed', message: `Duo refused: ${err.message}` };

  return { to: 'failed', message: `unexpected error (${errorText(err)}); nothing was sent` };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Keep under MAX_SENDS_PER_HOUR: SMS costs money and can be abused. */
async function overSendLimit(deps: WorkflowDeps): Promise<boolean> {
  const count = await deps.store.incrementMeta('limit:sends', 1, { ttlMs: 3_600_000 });
  if (count <= deps.config.limits.maxSendsPerHour) return false;

  // Give the slot back: this send did not happen.
  await deps.store.incrementMeta('limit:sends', -1, { ttlMs: 3_600_000 });
  // Every request still queued meets the limit in turn: say it once an hour, not once each.
  const first = await deps.store.setMetaIfAbsent('limit:sends:logged', true, {
    ttlMs: 3_600_000,
  });
  const log = { max: deps.config.limits.maxSendsPerHour };
  if (first) deps.logger.warn(log, 'send_limit_reached');
  else deps.logger.debug(log, 'send_limit_reached');

  return true;
}

/** The directory username, when Duo's username is another attribute (a UPN, say). */
export function aliasesFromRequest(request: EnrolmentRequest): string[] {
  const { username, duoUsername } = request.contractor;

  return username.toLowerCase() === duoUsername.toLowerCase() ? [] : [username];
}

function sentDetail(request: EnrolmentRequest): string {
  return request.method === 'sms' ? 'activation SMS sent' : 'enrolment e-mail sent';
}

/** The actor of the bot's own moves in the audit log. */
export function systemActor() {
  return { platform: 'system' as const, id: 'enrolbot', name: 'enrolbot' };
}

/**
 * The crash tests' hook (ENROLBOT_TEST_CRASH_AFTER, refused in production): die as `kill -9`
 * would, right after `step`, so every step of the send path can be interrupted on purpose.
 */
export function crashPoint(deps: Pick<WorkflowDeps, 'config'>, step: string): void {
  if (deps.config.testCrashAfter === step) process.kill(process.pid, 'SIGKILL');
}

/** The Duo client with a crash point after every call returns: `duo:<method>`. */
function crashAfterCalls(deps: WorkflowDeps): DuoAdmin {
  return new Proxy(deps.duo, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;

      return async (...args: unknown[]) => {
        const answer = (await (value as (...a: unknown[]) => Promise<unknown>).apply(
          target,
          args,
        )) as unknown;
        crashPoint(deps, `duo:${String(name)}`);

        return answer;
      };
    },
  });
}
