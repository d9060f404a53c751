/**
 * Approve, deny and cancel. Each is a compare-and-set on the stored request, so a second click, a
 * redelivered invoke or an Approve racing a Cancel changes the request once and only once.
 */
import type { DirectoryRecord } from '../directory/types.js';
import { StaleRequestError } from '../errors.js';
import { requestLogger } from '../logging.js';
import { announce, type WorkflowDeps } from './deps.js';
import { approverPolicy, isRequester, mayDecide } from './policy.js';
import { crashPoint } from './sender.js';
import type { ActorRef, Decision, EnrolmentRequest } from './types.js';

/** What a click did; `refused` carries a polite sentence for the clicker. */
export type DecisionOutcome =
  | { kind: 'not_found'; requestId: string }
  | { kind: 'refused'; request: EnrolmentRequest; message: string }
  | { kind: 'approval_recorded'; request: EnrolmentRequest; remaining: number }
  | { kind: 'awaiting_push'; request: EnrolmentRequest }
  | { kind: 'approved'; request: EnrolmentRequest; selfApproval: boolean }
  | { kind: 'denied'; request: EnrolmentRequest }
  | { kind: 'cancelled'; request: EnrolmentRequest };

/** Who decided what; kept apart so approvals can be finished after a Duo Push. */
export interface Clicker {
  actor: ActorRef;
  record: DirectoryRecord | undefined;
}

/** Approve a pending request; the send itself is started by the caller on `approved`. */
export async function approve(
  deps: WorkflowDeps,
  requestId: string,
  clicker: Clicker,
): Promise<DecisionOutcome> {
  const request = deps.store.get(requestId);
  if (!request) return { kind: 'not_found', requestId };
  if (request.state !== 'pending_approval') return alreadyDecided(request);

  const verdict = await mayDecide(approverPolicy(deps), clicker.actor, clicker.record, request);
  if (!verdict.ok) return refuse(deps, request, clicker, 'approve', verdict.reason);

  if (request.approvals.some((a) => sameActor(a.by, clicker.actor))) {
    return {
      kind: 'refused',
      request,
      message: `you have already approved ${request.id}; another approver is needed`,
    };
  }

  // Step-up: the click only starts a Duo Push; the approval counts when the approver accepts it.
  if (deps.stepUp) return deps.stepUp.begin(deps, request, clicker, verdict.selfApproval);

  return recordApproval(deps, request, clicker, verdict.selfApproval);
}

/**
 * Count one approval: below the quorum it is stored and the request stays pending; at the quorum
 * the request moves to `approved`. Both are compare-and-set on the version the clicker saw.
 */
export async function recordApproval(
  deps: WorkflowDeps,
  seen: EnrolmentRequest,
  clicker: Clicker,
  selfApproval: boolean,
  detail?: string,
): Promise<DecisionOutcome> {
  const decision: Decision = {
    outcome: 'approved',
    by: clicker.actor,
    at: deps.now().toISOString(),
  };
  const needed = deps.config.limits.approvalsRequired;
  const remaining = needed - seen.approvals.length - 1;

  try {
    if (remaining > 0) {
      const request = await deps.store.update(
        seen.id,
        (r) => {
          r.approvals.push(decision);
          delete r.push;
        },
        {
          expectVersion: seen.version,
          expectState: 'pending_approval',
        },
      );
      // Not a move between states, so the store does not audit it by itself: every approver of a
      // quorum (and their push, with step-up) belongs in the trail.
      await deps.store.note(seen.id, {
        actor: clicker.actor,
        action: 'approval_recorded',
        detail: `${remaining} more needed${detail ? `; ${detail}` : ''}`,
      });
      await deps.store.flush();
      await announce(deps, request, 'approval_recorded');

      return { kind: 'approval_recorded', request, remaining };
    }

    const request = await deps.store.transition(
      seen.id,
      'pending_approval',
      'approved',
      (r) => {
        r.approvals.push(decision);
        r.decision = decision;
        delete r.push;
      },
      {
        actor: clicker.actor,
        action: selfApproval ? 'approved_by_requester_demo' : 'approved',
        detail,
      },
    );
    requestLogger(deps.logger, request.id).info(
      { self_approval: selfApproval },
      'request_approved',
    );
    crashPoint(deps, 'approved');
    await announce(deps, request, 'approved');

    return { kind: 'approved', request, selfApproval };
  } catch (err) {
    if (err instanceof StaleRequestError) return alreadyDecided(deps.store.get(seen.id) ?? seen);
    throw err;
  }
}

/** Deny a pending request, with an optional comment from the approver. */
export async function deny(
  deps: WorkflowDeps,
  requestId: string,
  clicker: Clicker,
  comment?: string,
): Promise<DecisionOutcome> {
  const request = deps.store.get(requestId);
  if (!request) return { kind: 'not_found', requestId };
  if (request.state !== 'pending_approval') return alreadyDecided(request);

  const verdict = await mayDecide(approverPolicy(deps), clicker.actor, clicker.record, request);
  // Anyone may withdraw their own request with cancel; deny is an approver's decision.
  if (!verdict.ok) return refuse(deps, request, clicker, 'deny', verdict.reason);

  const decision: Decision = {
    outcome: 'denied',
    by: clicker.actor,
    at: deps.now().toISOString(),
    comment,
  };
  try {
    const denied = await deps.store.transition(
      requestId,
      'pending_approval',
      'denied',
      (r) => {
        r.decision = decision;
      },
      { actor: clicker.actor, action: 'denied', detail: decision.comment },
    );
    await announce(deps, denied, 'denied');

    return { kind: 'denied', request: denied };
  } catch (err) {
    if (err instanceof StaleRequestError)
      return alreadyDecided(deps.store.get(requestId) ?? request);
    throw err;
  }
}

/** Cancel before sending: the requester or an approver. */
export async function cancel(
  deps: WorkflowDeps,
  requestId: string,
  clicker: Clicker,
): Promise<DecisionOutcome> {
  const request = deps.store.get(requestId);
  if (!request) return { kind: 'not_found', requestId };

  if (!isRequester(clicker.actor, clicker.record, request)) {
    const verdict = await mayDecide(approverPolicy(deps), clicker.actor, clicker.record, request);
    if (!verdict.ok) {
      return refuse(
        deps,
        request,
        clicker,
        'cancel',
        'only the requester or an approver can cancel a request',
      );
    }
  }
  if (request.state !== 'pending_approval' && request.state !== 'approved') {
    return {
      kind: 'refused',
      request,
      message: `${request.id} is ${describe(request)}; it can only be cancelled before sending`,
    };
  }

  try {
    const cancelled = await deps.store.transition(
      requestId,
      ['pending_approval', 'approved'],
      'cancelled',
      (r) => {
        r.decision = {
          outcome: 'denied',
          by: clicker.actor,
          at: deps.now().toISOString(),
          comment: 'cancelled',
        };
      },
      { actor: clicker.actor, action: 'cancelled' },
    );
    await announce(deps, cancelled, 'cancelled');

    return { kind: 'cancelled', request: cancelled };
  } catch (err) {
    if (err instanceof StaleRequestError) {
      const now = deps.store.get(requestId) ?? request;

      return {
        kind: 'refused',
        request: now,
        message: `too late: ${now.id} is already ${describe(now)}`,
      };
    }
    throw err;
  }
}

async function refuse(
  deps: WorkflowDeps,
  request: EnrolmentRequest,
  clicker: Clicker,
  action: string,
  message: string,
): Promise<DecisionOutcome> {
  requestLogger(deps.logger, request.id).warn(
    { actor: clicker.actor.platformUserId, platform: clicker.actor.platform, action },
    'decision_refused',
  );
  // An attempt by someone without the right is part of the trail, not only of the log.
  await deps.store.note(request.id, {
    actor: clicker.actor,
    action: `${action}_refused`,
    detail: message,
  });

  return { kind: 'refused', request, message };
}

/** A polite refusal for a click on a request that has moved on. */
function alreadyDecided(request: EnrolmentRequest): DecisionOutcome {
  return {
    kind: 'refused',
    request,
    message: `${request.id} is already ${describe(request)}; nothing was changed`,
  };
}

/** "approved by Megan Bowen", "sent", "denied by ..." */
export function describe(request: EnrolmentRequest): string {
  const state = request.state.replace('_', ' ');
  const by = request.decision?.by.displayName;

  return by && ['approved', 'denied', 'cancelled'].includes(request.state)
    ? `${state} by ${by}`
    : state;
}

function sameActor(a: ActorRef, b: ActorRef): boolean {
  if (a.directoryId && b.directoryId)
    return a.directoryId.toLowerCase() === b.directoryId.toLowerCase();

  return a.platform === b.platform && a.platformUserId === b.platformUserId;
}
