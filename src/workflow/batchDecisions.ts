/**
 * Approving or denying a batch: one click decides for every ready request in it. The batch itself
 * is a compare-and-set first, so a double click or two approvers at once decide once; then each
 * request goes through the same approval as a single one (recordApproval, its own CAS), so a
 * request that was cancelled meanwhile is simply left out. With Duo Push step-up configured, the
 * click starts one push for the whole batch and the approval counts when it is accepted.
 */
import { StaleRequestError } from '../errors.js';
import type { Batch } from '../store/requestStore.js';
import { batchPushSubject, clearBatchPush } from './batchPush.js';
import { deny, recordApproval, type Clicker } from './decisions.js';
import type { WorkflowDeps } from './deps.js';
import { approverPolicy, mayDecide } from './policy.js';
import type { Decision } from './types.js';

/** What a batch click did; `awaiting_push` means the approval counts once the push is accepted. */
export type BatchDecision =
  | { kind: 'not_found'; batchId: string }
  | { kind: 'refused'; batch: Batch; message: string }
  | { kind: 'awaiting_push'; batch: Batch }
  | { kind: 'approval_recorded'; batch: Batch; remaining: number }
  | { kind: 'approved'; batch: Batch; queued: string[]; selfApproval: boolean }
  | { kind: 'denied'; batch: Batch };

/**
 * Approve the ready requests of a batch; each approved one is handed to `enqueue`. With step-up,
 * `onPushEnded` is told when the push this click started ends, so the card stops saying it waits.
 */
export async function approveBatch(
  deps: WorkflowDeps,
  batchId: string,
  clicker: Clicker,
  enqueue: (requestId: string) => void,
  onPushEnded?: (batchId: string) => Promise<void>,
): Promise<BatchDecision> {
  const checked = await check(deps, batchId, clicker);
  if (checked.kind !== 'ok') return checked;
  const { batch, selfApproval } = checked;
  if (batch.approvals?.some((a) => same(a, clicker))) {
    return { kind: 'refused', batch, message: `you have already approved ${batch.id}` };
  }

  // Step-up: the click only starts a Duo Push; the approval counts when the approver accepts it.
  if (deps.stepUp) {
    const accepted = async (txid: string) => {
      const current = deps.store.getBatch(batch.id);
      if (!current) return;

      const detail = `batch ${batch.id}, duo push ${txid}`;
      const outcome = await recordBatchApproval(
        deps,
        current,
        clicker,
        selfApproval,
        enqueue,
        detail,
      );
      // Only a batch that moved on meanwhile gets here with the push still on it.
      if (outcome.kind === 'refused') await clearBatchPush(deps, batch.id, txid);
    };
    const subject = batchPushSubject(deps, batch, pendingMembers(deps, batch), {
      accepted,
      ended: onPushEnded,
    });
    const started = await deps.stepUp.start(deps, subject, clicker);
    const latest = deps.store.getBatch(batch.id) ?? batch;

    return started.ok
      ? { kind: 'awaiting_push', batch: latest }
      : { kind: 'refused', batch: latest, message: started.message };
  }

  return recordBatchApproval(deps, batch, clicker, selfApproval, enqueue, `batch ${batch.id}`);
}

/**
 * Count one approval of the batch on the version the clicker saw (the batch moves to approved at
 * the quorum), then approve its members; `detail` goes into each member's audit event.
 */
async function recordBatchApproval(
  deps: WorkflowDeps,
  batch: Batch,
  clicker: Clicker,
  selfApproval: boolean,
  enqueue: (requestId: string) => void,
  detail: string,
): Promise<BatchDecision> {
  const decision: Decision = {
    outcome: 'approved',
    by: clicker.actor,
    at: deps.now().toISOString(),
  };
  const needed = deps.config.limits.approvalsRequired;
  let saved: Batch;
  try {
    saved = await deps.store.updateBatch(
      batch.id,
      (b) => {
        b.approvals = [...(b.approvals ?? []), decision];
        delete b.push;
        if (b.approvals.length >= needed) {
          b.state = 'approved';
          b.decision = decision;
        }
      },
      { expectVersion: batch.version, expectState: 'pending_approval' },
    );
  } catch (err) {
    if (err instanceof StaleRequestError) return alreadyDecided(deps, batch);
    throw err;
  }

  const queued = await approveMembers(deps, saved, clicker, selfApproval, enqueue, detail);
  if (saved.state !== 'approved') {
    return { kind: 'approval_recorded', batch: saved, remaining: needed - saved.approvals!.length };
  }

  return { kind: 'approved', batch: saved, queued, selfApproval };
}

/** Deny every request still waiting in the batch. */
export async function denyBatch(
  deps: WorkflowDeps,
  batchId: string,
  clicker: Clicker,
  comment?: string,
): Promise<BatchDecision> {
  const checked = await check(deps, batchId, clicker);
  if (checked.kind !== 'ok') return checked;

  const decision: Decision = {
    outcome: 'denied',
    by: clicker.actor,
    at: deps.now().toISOString(),
    comment,
  };
  let saved: Batch;
  try {
    saved = await deps.store.updateBatch(
      batchId,
      (b) => {
        b.state = 'denied';
        b.decision = decision;
        delete b.push;
      },
      { expectVersion: checked.batch.version, expectState: 'pending_approval' },
    );
  } catch (err) {
    if (err instanceof StaleRequestError) return alreadyDecided(deps, checked.batch);
    throw err;
  }
  for (const member of pendingMembers(deps, saved)) {
    await deny(deps, member.id, clicker, decision.comment);
  }

  return { kind: 'denied', batch: saved };
}

/**
 * At start-up: a batch approved just before a crash may have members still waiting; approve them
 * with the batch's recorded decision, as the approver asked.
 */
export async function resumeBatches(
  deps: WorkflowDeps,
  enqueue: (requestId: string) => void,
): Promise<number> {
  let resumed = 0;
  for (const batch of deps.store.listBatches((b) => b.state === 'approved' && !!b.decision)) {
    const clicker = { actor: batch.decision!.by, record: undefined };
    resumed += (await approveMembers(deps, batch, clicker, false, enqueue)).length;
  }

  return resumed;
}

async function approveMembers(
  deps: WorkflowDeps,
  batch: Batch,
  clicker: Clicker,
  selfApproval: boolean,
  enqueue: (requestId: string) => void,
  detail = `batch ${batch.id}`,
): Promise<string[]> {
  const queued: string[] = [];
  const members = pendingMembers(deps, batch).filter(
    (m) => !m.approvals.some((a) => a.by.platformUserId === clicker.actor.platformUserId),
  );
  // A few at a time: each approval is its own CAS and disk write, and writes in flight coalesce.
  let next = 0;
  const worker = async () => {
    while (next < members.length) {
      const member = members[next++]!;
      const outcome = await recordApproval(deps, member, clicker, selfApproval, detail);
      if (outcome.kind === 'approved') {
        enqueue(member.id);
        queued.push(member.id);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));

  return queued;
}

async function check(deps: WorkflowDeps, batchId: string, clicker: Clicker) {
  const batch = deps.store.getBatch(batchId);
  if (!batch) return { kind: 'not_found' as const, batchId };
  if (batch.state !== 'pending_approval') return alreadyDecided(deps, batch);

  const first = pendingMembers(deps, batch)[0];
  if (!first) return { kind: 'refused' as const, batch, message: `nothing in ${batch.id} waits` };

  const verdict = await mayDecide(approverPolicy(deps), clicker.actor, clicker.record, first);
  if (!verdict.ok) return { kind: 'refused' as const, batch, message: verdict.reason };

  return { kind: 'ok' as const, batch, selfApproval: verdict.selfApproval };
}

function pendingMembers(deps: WorkflowDeps, batch: Batch) {
  return deps.store.list((r) => r.batchId === batch.id && r.state === 'pending_approval');
}

function alreadyDecided(deps: WorkflowDeps, batch: Batch): BatchDecision {
  const now = deps.store.getBatch(batch.id) ?? batch;
  const by = now.decision ? ` by ${now.decision.by.displayName}` : '';

  return {
    kind: 'refused',
    batch: now,
    message: `${now.id} is already ${now.state.replace('_', ' ')}${by}; nothing was changed`,
  };
}

function same(decision: Decision, clicker: Clicker): boolean {
  const a = decision.by;
  const b = clicker.actor;
  if (a.directoryId && b.directoryId)
    return a.directoryId.toLowerCase() === b.directoryId.toLowerCase();

  return a.platform === b.platform && a.platformUserId === b.platformUserId;
}
