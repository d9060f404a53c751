/**
 * Step-up approval by Duo Push: with a Duo Auth API application configured, an Approve click only
 * starts a push to the approver's own phone, and the approval counts once they accept it. A stolen
 * chat session can click, but cannot answer the push. A denied or timed-out push, or a restart
 * while it waits, leaves the request pending: failing closed costs a second click, nothing more.
 */
import type { DuoPreauth, DuoPushStatus } from '../duo/authClient.js';
import { DuoApiError, DuoUnavailableError, StaleRequestError } from '../errors.js';
import { requestLogger } from '../logging.js';
import type { Clicker, DecisionOutcome } from './decisions.js';
import { recordApproval } from './decisions.js';
import { announce, type WorkflowDeps } from './deps.js';
import { send } from './sender.js';
import type { EnrolmentRequest } from './types.js';

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

/** Starts pushes for approve() and finishes the approval in the background when accepted. */
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

  /**
   * Begin a push for a click that policy already allowed. Only one push per request at a time:
   * the record of it is a compare-and-set on the version the clicker saw.
   */
  async begin(
    deps: WorkflowDeps,
    request: EnrolmentRequest,
    clicker: Clicker,
    selfApproval: boolean,
  ): Promise<DecisionOutcome> {
    const log = requestLogger(deps.logger, request.id);
    if (request.push && !this.isStale(deps, request.push.startedAt)) {
      return refused(request, `${request.push.by.displayName} is already confirming a Duo Push`);
    }
    const username = clicker.record?.duoUsername;
    if (!username) return refused(request, 'I do not know your Duo username, so I cannot push');

    try {
      return await this.push(deps, request, clicker, selfApproval, username);
    } catch (err) {
      if (!(err instanceof DuoApiError || err instanceof DuoUnavailableError)) throw err;
      log.warn({ err }, 'push_start_failed');

      return refused(
        deps.store.get(request.id) ?? request,
        'Duo could not start the push to confirm your approval; nothing was changed, try again shortly',
      );
    }
  }

  private async push(
    deps: WorkflowDeps,
    request: EnrolmentRequest,
    clicker: Clicker,
    selfApproval: boolean,
    username: string,
  ): Promise<DecisionOutcome> {
    const log = requestLogger(deps.logger, request.id);
    const pre = await this.options.auth.preauth(username);
    if (pre.result !== 'auth') {
      // "allow" means bypass: no proof of the approver at all, so it is refused like the rest.
      log.warn({ preauth: pre.result }, 'push_preauth_refused');

      return refused(
        request,
        `Duo cannot push to you (${pre.status_msg ?? pre.result}); ask another approver`,
      );
    }

    let waiting: EnrolmentRequest;
    try {
      waiting = await deps.store.update(
        request.id,
        (r) => {
          r.push = { by: clicker.actor, startedAt: deps.now().toISOString() };
        },
        { expectVersion: request.version, expectState: 'pending_approval' },
      );
    } catch (err) {
      if (!(err instanceof StaleRequestError)) throw err;

      return refused(deps.store.get(request.id) ?? request, 'the request changed; look again');
    }

    const txid = await this.options.auth
      .auth({
        username,
        factor: 'push',
        async: true,
        pushInfo: `Approve ${request.id}: ${request.method} to ${request.contractor.username}`,
      })
      .catch(async (err: unknown) => {
        await this.clear(deps, request.id, undefined, false);
        throw err;
      });
    waiting = await deps.store.update(request.id, (r) => {
      if (r.push) r.push.txid = txid;
    });
    log.info({ txid, approver: clicker.actor.platformUserId }, 'push_started');
    await announce(deps, waiting, 'push_waiting');
    this.track(deps, this.await(deps, waiting, clicker, selfApproval, txid));

    return { kind: 'awaiting_push', request: waiting };
  }

  /** After a restart nobody polls the pushes in the store: clear them, the approver clicks again. */
  async clearInterrupted(deps: WorkflowDeps): Promise<number> {
    const stuck = deps.store.list((r) => r.state === 'pending_approval' && !!r.push);
    for (const request of stuck) await this.clear(deps, request.id, request.push?.txid);

    return stuck.length;
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

  private async await(
    deps: WorkflowDeps,
    request: EnrolmentRequest,
    clicker: Clicker,
    selfApproval: boolean,
    txid: string,
  ): Promise<void> {
    const log = requestLogger(deps.logger, request.id);
    const deadline = deps.now().getTime() + this.timeoutMs;
    let status: DuoPushStatus = { result: 'waiting', status: 'pushed' };
    try {
      while (status.result === 'waiting' && !this.closing && deps.now().getTime() < deadline) {
        status = await this.options.auth.authStatus(txid);
        if (status.result === 'waiting') await Promise.race([this.sleep(this.pollMs), this.closed]);
      }
    } catch (err) {
      log.warn({ err, txid }, 'push_status_failed');
      status = { result: 'deny', status: 'error' };
    }
    if (this.closing && status.result === 'waiting') return;

    const current = deps.store.get(request.id);
    if (!current || current.state !== 'pending_approval' || current.push?.txid !== txid) return;
    if (status.result !== 'allow') {
      log.info({ txid, status: status.status }, 'push_refused');
      await this.clear(deps, request.id, txid, true);

      return;
    }

    log.info({ txid }, 'push_accepted');
    const outcome = await recordApproval(deps, current, clicker, selfApproval, `duo push ${txid}`);
    if (outcome.kind === 'approved') this.startSend(deps, request.id);
  }

  private async clear(
    deps: WorkflowDeps,
    requestId: string,
    txid: string | undefined,
    tell = true,
  ): Promise<void> {
    try {
      const cleared = await deps.store.update(
        requestId,
        (r) => {
          if (!txid || r.push?.txid === txid) delete r.push;
        },
        { expectState: 'pending_approval' },
      );
      if (tell) await announce(deps, cleared, 'push_refused');
    } catch (err) {
      if (!(err instanceof StaleRequestError)) throw err;
    }
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

function refused(request: EnrolmentRequest, message: string): DecisionOutcome {
  return { kind: 'refused', request, message };
}
