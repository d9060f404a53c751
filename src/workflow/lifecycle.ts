/**
 * The lifecycle timers, all driven by one `tick(now)`: pending requests expire after
 * PENDING_EXPIRY_HOURS with one reminder to approvers after REMINDER_HOURS; sent links are followed
 * up every FOLLOW_UP_MINUTES (activated, or expired unused); Duo users the bot created are checked
 * against the directory every OFFBOARDING_MINUTES; approved requests the hourly send limit held
 * back are queued again. The app calls tick on an interval; tests call it with their own clock.
 */
import { DuoNotFoundError, DuoRateLimitError, StaleRequestError } from '../errors.js';
import { findDuoUser } from '../duo/lookup.js';
import { announce, type WorkflowDeps } from './deps.js';
import { offboard } from './offboarding.js';
import type { SendQueue } from './queue.js';
import type { EnrolmentRequest } from './types.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const SYSTEM = { platform: 'system' as const, id: 'enrolbot', name: 'enrolbot' };

/** What one tick did, for logs and tests. */
export interface TickReport {
  expired: number;
  reminded: number;
  activated: number;
  linkExpired: number;
  offboarded: number;
  requeued: number;
}

/** Runs the timers; one tick at a time, whatever the interval. */
export class Lifecycle {
  #running: Promise<TickReport> | undefined;

  constructor(private readonly queue: SendQueue) {}

  /** Do whatever is due at `now`. A tick asked for while one runs shares its result. */
  tick(now: Date = this.queue.deps.now()): Promise<TickReport> {
    this.#running ??= this.#tick(now).finally(() => (this.#running = undefined));

    return this.#running;
  }

  async #tick(now: Date): Promise<TickReport> {
    // Through the queue's pacer, so follow-ups and offboarding share the batch's Duo budget.
    const deps = this.queue.deps;
    const report: TickReport = {
      expired: 0,
      reminded: 0,
      activated: 0,
      linkExpired: 0,
      offboarded: 0,
      requeued: 0,
    };
    await expireAndRemind(deps, now, report);
    await followUp(deps, now, report);
    report.offboarded = await offboard(deps, now);
    report.requeued = requeueApproved(deps, this.queue);
    if (Object.values(report).some((n) => n > 0)) deps.logger.info({ ...report }, 'lifecycle_tick');

    return report;
  }
}

async function expireAndRemind(deps: WorkflowDeps, now: Date, report: TickReport): Promise<void> {
  const { pendingExpiryHours, reminderHours } = deps.config.lifecycle;
  const age = (iso: string) => now.getTime() - Date.parse(iso);

  for (const batch of deps.store.listBatches((b) => b.state === 'pending_approval')) {
    if (age(batch.createdAt) < pendingExpiryHours * HOUR) continue;
    await deps.store
      .updateBatch(batch.id, (b) => void (b.state = 'expired'), { expectState: 'pending_approval' })
      .catch(ignoreStale);
  }

  for (const request of deps.store.list((r) => r.state === 'pending_approval')) {
    if (age(request.createdAt) >= pendingExpiryHours * HOUR) {
      const expired = await deps.store
        .transition(request.id, 'pending_approval', 'expired', undefined, {
          actor: SYSTEM,
          action: 'expired',
          detail: `nobody decided within ${pendingExpiryHours} hours (PENDING_EXPIRY_HOURS)`,
        })
        .catch(ignoreStale);
      if (expired) {
        report.expired += 1;
        await announce(deps, expired, 'expired');
      }
    } else if (
      reminderHours > 0 &&
      !request.remindedAt &&
      age(request.createdAt) >= reminderHours * HOUR
    ) {
      const reminded = await deps.store
        .update(request.id, (r) => void (r.remindedAt = now.toISOString()), {
          expectState: 'pending_approval',
        })
        .catch(ignoreStale);
      if (reminded) {
        report.reminded += 1;
        await deps.store.note(reminded.id, { actor: SYSTEM, action: 'reminded' });
        await announce(deps, reminded, 'reminder');
      }
    }
  }
}

/**
 * Ask Duo about sent links that are due for a look, oldest look first, at most a quarter of a
 * minute's Duo budget per tick, and stop at the first 429: follow-up is never urgent.
 */
async function followUp(deps: WorkflowDeps, now: Date, report: TickReport): Promise<void> {
  const every = deps.config.lifecycle.followUpMinutes * MINUTE;
  const last = (r: EnrolmentRequest) => Date.parse(r.checkedAt ?? r.progress.sentAt ?? r.updatedAt);
  const due = deps.store
    .list((r) => r.state === 'sent' && !r.revoked && now.getTime() - last(r) >= every)
    .sort((a, b) => last(a) - last(b))
    .slice(0, Math.max(1, Math.floor(deps.config.duo.maxCallsPerMinute / 4)));

  for (const request of due) {
    let activated: boolean;
    try {
      activated = await isActivated(deps, request);
    } catch (err) {
      if (err instanceof DuoRateLimitError) return;
      deps.logger.warn({ err, request_id: request.id }, 'follow_up_failed');
      continue;
    }
    const lapsed =
      !!request.progress.validUntil && Date.parse(request.progress.validUntil) <= now.getTime();
    const to = activated ? 'activated' : lapsed ? 'link_expired' : undefined;
    if (!to) {
      await deps.store
        .update(request.id, (r) => void (r.checkedAt = now.toISOString()), { expectState: 'sent' })
        .catch(ignoreStale);
      continue;
    }

    const moved = await deps.store
      .transition(request.id, 'sent', to, (r) => void (r.checkedAt = now.toISOString()), {
        actor: SYSTEM,
        action: to,
        detail: activated ? 'Duo shows the contractor activated' : 'the link expired unused',
      })
      .catch(ignoreStale);
    if (!moved) continue;
    if (activated) report.activated += 1;
    else report.linkExpired += 1;
    await announce(deps, moved, to);
  }
}

/** The phone the bot sent to is activated (SMS), or the user is enrolled (e-mail). */
async function isActivated(deps: WorkflowDeps, request: EnrolmentRequest): Promise<boolean> {
  if (request.method === 'sms' && request.progress.phoneId) {
    const phone = await deps.duo.getPhone(request.progress.phoneId).catch((err: unknown) => {
      if (err instanceof DuoNotFoundError) return undefined;
      throw err;
    });

    return !!phone?.activated;
  }
  const user = await findDuoUser(deps.duo, request.contractor.duoUsername);

  return !!user?.is_enrolled;
}

/** Approved requests the queue does not hold (held back by MAX_SENDS_PER_HOUR) go back in line. */
function requeueApproved(deps: WorkflowDeps, queue: SendQueue): number {
  const used = deps.store.getMeta<number>('limit:sends') ?? 0;
  if (used >= deps.config.limits.maxSendsPerHour) return 0;

  const waiting = deps.store.list((r) => r.state === 'approved' && !queue.has(r.id));
  for (const request of waiting) queue.enqueue(request.id);

  return waiting.length;
}

function ignoreStale(err: unknown): undefined {
  if (err instanceof StaleRequestError) return undefined;
  throw err;
}
