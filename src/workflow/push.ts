/**
 * Step-up approval by Duo Push: with a Duo Auth API application configured, an Approve click only
 * starts a push to the approver's own phone, and the approval counts once they accept it. A stolen
 * chat session can click, but cannot answer the push. A denied or timed-out push, or a restart
 * while it waits, leaves the request (or batch) pending: failing closed costs a second click.
 */
import type { Logger } from 'pino';
import type { DuoPreauth, DuoPushStatus } from '../duo/authClient.js';
import { DuoApiError, DuoUnavailableError, StaleRequestError } from '../errors.js';
import { clearBatchPush } from './batchPush.js';
import type { Clicker, DecisionOutcome } from './decisions.js';
import type { WorkflowDeps } from './deps.js';
import { clearRequestPush, requestPushSubject } from './requestPush.js';
import { send } from './sender.js';
import type { ActorRef, EnrolmentRequest } from './types.js';

/** The Auth API calls step-up needs; DuoAuthClient implements it. */
export interface PushAuth {
  preauth(username: string): Promise<DuoPreauth>;
  auth(p: { username: string; factor: 'push'; async: true; pushInfo?: string }): Promise<string>;
  authStatus(txid: string): Promise<DuoPushStatus>;
}

/** Options of PushStepUp; sleep and clock are injected so tests never wait. */
export interface PushStepUpOptions {
  auth: PushAuth;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /** Between auth_status polls (default 2 s). */
  pollMs?: number;
  /** Give up after this long even if Duo has not (default 90 s; Duo's own push lasts 60 s). */
  timeoutMs?: number;
}

/** A push as it is recorded on what it approves. */
export interface PushRecord {
  by: ActorRef;
  startedAt: string;
  txid?: string;
}

/**
 * What one push approves, a single request or a whole batch: how to record the push on it, and
 * what to do when the push ends. The Auth API exchange itself is the same for both.
 */
export interface PushSubject {
  /** REQ-42 or BATCH-3. */
  id: string;
  /** For refusals: "the request changed", "the batch changed". */
  noun: 'request' | 'batch';
  logger: Logger;
  /** The push already recorded on it, if any. */
  push?: PushRecord;
  /** Shown in Duo Mobile, e.g. "Approve BATCH-3: 40 contractors by sms". */
  pushInfo: string;
  /** Record the push: a compare-and-set on the version the clicker saw (StaleRequestError). */
  record(push: PushRecord): Promise<void>;
  /** Duo took the push: keep its transaction id with the record. */
  started(txid: string): Promise<void>;
  /** Whether the push with this txid is still the one the subject waits for. */
  awaits(txid: string): boolean;
  /** Drop the recorded push (only this txid's, when given); `tell` shows people it ended. */
  clear(txid: string | undefined, tell: boolean): Promise<void>;
  /** The approver accepted the push: count their approval. */
  accepted(txid: string): Promise<void>;
}

/** Whether a push was started; if not, a polite sentence for the clicker. */
export type PushStart = { ok: true } | { ok: false; message: string };

/** Starts pushes for approvals and finishes them in the background when accepted. */
export class PushStepUp {
  /** Starts the send once a push completed the quorum; the app points it at bot.startSend. */
  startSend: (deps: WorkflowDeps, requestId: string) => void;
  private readonly inflight = new Set<Promise<unknown>>();
  private closing = false;
  private wake: () => void = () => undefined;
  /** Resolves on close(), so a poll waiting between two auth_status calls stops at once. */
  private readonly closed = new Promise<void>((resolve) => {
    this.wake = resolve;
  });
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly pollMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: PushStepUpOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms).unref()));
    this.pollMs = options.pollMs ?? 2000;
    this.timeoutMs = options.timeoutMs ?? 90_000;
    this.startSend = (deps, id) => this.track(deps, send(deps, id));
  }

  /** Begin a push for a single request's Approve click that policy already allowed. */
  async begin(
    deps: WorkflowDeps,
    request: EnrolmentRequest,
    clicker: Clicker,
    selfApproval: boolean,
  ): Promise<DecisionOutcome> {
    const subject = requestPushSubject(deps, request, clicker, selfApproval, (id) =>
      this.startSend(deps, id),
    );
    const started = await this.start(deps, subject, clicker);
    const latest = deps.store.get(request.id) ?? request;

    return started.ok
      ? { kind: 'awaiting_push', request: latest }
      : { kind: 'refused', request: latest, message: started.message };
  }

  /**
   * Begin a push for any subject. Only one push per subject at a time: the record of it is a
   * compare-and-set on the version the clicker saw.
   */
  async start(deps: WorkflowDeps, subject: PushSubject, clicker: Clicker): Promise<PushStart> {
    if (subject.push && !this.isStale(deps, subject.push.startedAt)) {
      return refused(`${subject.push.by.displayName} is already confirming a Duo Push`);
    }
    const username = clicker.record?.duoUsername;
    if (!username) return refused('I do not know your Duo username, so I cannot push');

    try {
      return await this.push(deps, subject, clicker, username);
    } catch (err) {
      if (!(err instanceof DuoApiError || err instanceof DuoUnavailableError)) throw err;
      subject.logger.warn({ err }, 'push_start_failed');

      return refused(
        'Duo could not start the push to confirm your approval; nothing was changed, try again shortly',
      );
    }
  }

  private async push(
    deps: WorkflowDeps,
    subject: PushSubject,
    clicker: Clicker,
    username: string,
  ): Promise<PushStart> {
    const pre = await this.options.auth.preauth(username);
    if (pre.result !== 'auth') {
      // "allow" means bypass: no proof of the approver at all, so it is refused like the rest.
      subject.logger.warn({ preauth: pre.result }, 'push_preauth_refused');

      return refused(
        `Duo cannot push to you (${pre.status_msg ?? pre.result}); ask another approver`,
      );
    }

    try {
      await subject.record({ by: clicker.actor, startedAt: deps.now().toISOString() });
    } catch (err) {
      if (!(err instanceof StaleRequestError)) throw err;

      return refused(`the ${subject.noun} changed; look again`);
    }

    const txid = await this.options.auth
      .auth({ username, factor: 'push', async: true, pushInfo: subject.pushInfo })
      .catch(async (err: unknown) => {
        await subject.clear(undefined, false);
        throw err;
      });
    await subject.started(txid);
    subject.logger.info({ txid, approver: clicker.actor.platformUserId }, 'push_started');
    this.track(deps, this.await(deps, subject, txid));

    return { ok: true };
  }

  /**
   * After a restart nobody polls the pushes in the store: clear them, the approver clicks again.
   * `onBatchCleared` lets the caller refresh the card of each batch whose push was cleared.
   */
  async clearInterrupted(
    deps: WorkflowDeps,
    onBatchCleared?: (batchId: string) => Promise<void>,
  ): Promise<number> {
    const stuck = deps.store.list((r) => r.state === 'pending_approval' && !!r.push);
    for (const request of stuck) await clearRequestPush(deps, request.id, request.push?.txid, true);

    const batches = deps.store.listBatches((b) => b.state === 'pending_approval' && !!b.push);
    for (const batch of batches) {
      if (await clearBatchPush(deps, batch.id, batch.push?.txid)) await onBatchCleared?.(batch.id);
    }

    return stuck.length + batches.length;
  }

  /** Resolves when no push is being awaited. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** Stop polling; pushes still waiting are cleared at the next start. */
  async close(): Promise<void> {
    this.closing = true;
    this.wake();
    await this.idle();
  }

  private async await(deps: WorkflowDeps, subject: PushSubject, txid: string): Promise<void> {
    const deadline = deps.now().getTime() + this.timeoutMs;
    let status: DuoPushStatus = { result: 'waiting', status: 'pushed' };
    try {
      while (status.result === 'waiting' && !this.closing && deps.now().getTime() < deadline) {
        status = await this.options.auth.authStatus(txid);
        if (status.result === 'waiting') await Promise.race([this.sleep(this.pollMs), this.closed]);
      }
    } catch (err) {
      subject.logger.warn({ err, txid }, 'push_status_failed');
      status = { result: 'deny', status: 'error' };
    }
    if (this.closing && status.result === 'waiting') return;

    if (!subject.awaits(txid)) return;
    if (status.result !== 'allow') {
      subject.logger.info({ txid, status: status.status }, 'push_refused');
      await subject.clear(txid, true);

      return;
    }

    subject.logger.info({ txid }, 'push_accepted');
    await subject.accepted(txid);
  }

  private isStale(deps: WorkflowDeps, startedAt: string): boolean {
    return deps.now().getTime() - Date.parse(startedAt) > this.timeoutMs;
  }

  private track(deps: WorkflowDeps, job: Promise<unknown>): void {
    const tracked = job
      .catch((err: unknown) => deps.logger.error({ err }, 'push_task_failed'))
      .finally(() => this.inflight.delete(tracked));
    this.inflight.add(tracked);
  }
}

function refused(message: string): PushStart {
  return { ok: false, message };
}
