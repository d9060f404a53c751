/**
 * What people do to a request after it was sent: `resend` (a new request after the link expired
 * unused), `retry` (an approver sends a failed request again) and `revoke` (an approver undoes a
 * send in Duo). Each is checked against the same approver policy as a decision, and audited.
 */
import { DuoNotFoundError, StaleRequestError } from '../errors.js';
import type { Clicker } from './decisions.js';
import { announce, type WorkflowDeps } from './deps.js';
import { approverPolicy, isRequester, mayDecide } from './policy.js';
import { requestFor, type EnrolOutcome } from './requests.js';
import type { EnrolmentRequest } from './types.js';

/** Refusals shared by the three actions. */
export type ActionRefusal =
  | { kind: 'not_found'; requestId: string }
  | { kind: 'refused'; request: EnrolmentRequest; message: string };

/** Ask again for a contractor whose link expired unused; through approval unless configured. */
export async function resend(
  deps: WorkflowDeps,
  requestId: string,
  clicker: Clicker & { record: NonNullable<Clicker['record']> },
): Promise<ActionRefusal | EnrolOutcome> {
  const old = deps.store.get(requestId);
  if (!old) return { kind: 'not_found', requestId };

  const lapsed =
    old.state === 'link_expired' ||
    (old.state === 'sent' &&
      !!old.progress.validUntil &&
      old.progress.validUntil <= deps.now().toISOString());
  if (!lapsed) {
    return {
      kind: 'refused',
      request: old,
      message: `${old.id} is ${old.state.replace('_', ' ')}; only a request whose link expired unused can be resent`,
    };
  }
  const verdict = await mayDecide(approverPolicy(deps), clicker.actor, clicker.record, old);
  if (!isRequester(clicker.actor, clicker.record, old) && !verdict.ok) {
    return {
      kind: 'refused',
      request: old,
      message: 'only the requester or an approver can resend a request',
    };
  }

  const records = await deps.directory.find(old.contractor.username);
  const record = records.find((r) => r.id === old.contractor.directoryId) ?? records[0];
  if (!record)
    return {
      kind: 'refused',
      request: old,
      message: `${old.contractor.username} is no longer in the directory`,
    };

  const skipApproval = !deps.config.lifecycle.resendNeedsApproval;
  const at = deps.now().toISOString();

  return requestFor(
    deps,
    {
      requester: clicker.actor,
      requesterRecord: clicker.record,
      who: record.username,
      method: old.method,
      reason: `resend of ${old.id}${old.reason ? `: ${old.reason}` : ''}`,
      origin: old.origin,
      resendOf: old.id,
      preApproved: skipApproval
        ? { outcome: 'approved', by: clicker.actor, at, comment: 'RESEND_NEEDS_APPROVAL=false' }
        : undefined,
    },
    record,
  );
}

/** An approver sends a failed request again (the operator edge failed → sending). */
export async function retry(
  deps: WorkflowDeps,
  requestId: string,
  clicker: Clicker,
): Promise<ActionRefusal | { kind: 'retrying'; request: EnrolmentRequest }> {
  const request = deps.store.get(requestId);
  if (!request) return { kind: 'not_found', requestId };

  const verdict = await mayDecide(approverPolicy(deps), clicker.actor, clicker.record, request);
  if (!verdict.ok) return { kind: 'refused', request, message: verdict.reason };
  if (request.state !== 'failed') {
    return {
      kind: 'refused',
      request,
      message: `${request.id} is ${request.state.replace('_', ' ')}; only a failed send can be retried`,
    };
  }

  try {
    const sending = await deps.store.transition(
      requestId,
      'failed',
      'sending',
      (r) => {
        delete r.failure;
      },
      { actor: clicker.actor, action: 'retried', operator: true },
    );
    await announce(deps, sending, 'sending');

    return { kind: 'retrying', request: sending };
  } catch (err) {
    if (!(err instanceof StaleRequestError)) throw err;

    return { kind: 'refused', request, message: `${request.id} has moved on meanwhile` };
  }
}

/** States in which the bot may have changed something in Duo. */
const REVOCABLE = ['sent', 'activated', 'link_expired', 'needs_attention', 'failed'];

/**
 * Undo a send: detach the phone the bot attached, and delete the Duo user only if the bot created
 * it and it has never logged in. Anything the bot did not do itself is left alone and said so.
 */
export async function revoke(
  deps: WorkflowDeps,
  requestId: string,
  clicker: Clicker,
): Promise<ActionRefusal | { kind: 'revoked'; request: EnrolmentRequest; steps: string[] }> {
  const request = deps.store.get(requestId);
  if (!request) return { kind: 'not_found', requestId };

  const verdict = await mayDecide(approverPolicy(deps), clicker.actor, clicker.record, request);
  if (!verdict.ok) return { kind: 'refused', request, message: verdict.reason };
  if (request.revoked)
    return { kind: 'refused', request, message: `${request.id} was already revoked` };
  if (!REVOCABLE.includes(request.state)) {
    return {
      kind: 'refused',
      request,
      message: `${request.id} is ${request.state.replace('_', ' ')}; nothing was sent to undo`,
    };
  }

  const steps = await undoInDuo(deps, request);
  const detail = steps.join('; ');
  const revoked = await deps.store.update(request.id, (r) => {
    r.revoked = { by: clicker.actor, at: deps.now().toISOString(), detail };
  });
  await deps.store.note(request.id, { actor: clicker.actor, action: 'revoked', detail });
  await announce(deps, revoked, 'revoked');

  return { kind: 'revoked', request: revoked, steps };
}

async function undoInDuo(deps: WorkflowDeps, request: EnrolmentRequest): Promise<string[]> {
  const { progress } = request;
  const steps: string[] = [];
  const user =
    (progress.duoUserId && (await deps.duo.getUser(progress.duoUserId).catch(ignoreNotFound))) ||
    (await deps.duo.findUserByUsername(request.contractor.duoUsername));
  if (!user) return ['Duo has no such user any more; nothing to undo'];

  if (progress.phoneId && progress.attachedPhone) {
    await deps.duo.detachPhone(user.user_id, progress.phoneId).catch(ignoreNotFound);
    steps.push('detached the phone the bot attached');
  } else if (request.method === 'sms') {
    steps.push("the phone was already the contractor's, so it was left attached");
  }

  // The e-mail route creates the user inside users/enroll when the bot found none beforehand.
  const created = !!progress.createdUser || (request.method === 'email' && !progress.duoUserId);
  if (!created) steps.push('kept the Duo user: the bot did not create it');
  else if (user.last_login) steps.push('kept the Duo user: it has logged in');
  else {
    await deps.duo.deleteUser(user.user_id);
    steps.push('deleted the Duo user the bot created (it had never logged in)');
  }

  return steps;
}

function ignoreNotFound(err: unknown): undefined {
  if (err instanceof DuoNotFoundError) return undefined;
  throw err;
}
