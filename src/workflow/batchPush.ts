/**
 * One Duo Push for a whole batch: how PushStepUp records it on the batch and clears it. The push
 * is on the batch, not on its members, so one approver's phone confirms every ready request.
 */
import { StaleRequestError } from '../errors.js';
import type { Batch } from '../store/requestStore.js';
import type { WorkflowDeps } from './deps.js';
import type { PushSubject } from './push.js';
import type { EnrolmentRequest } from './types.js';

/** What happens when a batch's push ends; the card lives in bot/, so it is told by callback. */
export interface BatchPushHooks {
  /** The approver accepted: count the approval of the batch. */
  accepted(txid: string): Promise<void>;
  /** The push ended either way and the batch changed: refresh its card. */
  ended?(batchId: string): Promise<void>;
}

/** The push subject for `batch` as the clicker saw it, with its pending `members`. */
export function batchPushSubject(
  deps: WorkflowDeps,
  batch: Batch,
  members: EnrolmentRequest[],
  hooks: BatchPushHooks,
): PushSubject {
  const id = batch.id;
  const methods = [...new Set(members.map((m) => m.method))].sort().join(' and ');

  return {
    id,
    noun: 'batch',
    logger: deps.logger.child({ batch_id: id }),
    push: batch.push,
    pushInfo: `Approve ${id}: ${members.length} contractors by ${methods}`,
    record: async (push) => {
      await deps.store.updateBatch(
        id,
        (b) => {
          b.push = push;
        },
        { expectVersion: batch.version, expectState: 'pending_approval' },
      );
    },
    started: async (txid) => {
      await deps.store.updateBatch(id, (b) => {
        if (b.push) b.push.txid = txid;
      });
    },
    awaits: (txid) => {
      const current = deps.store.getBatch(id);

      return current?.state === 'pending_approval' && current.push?.txid === txid;
    },
    clear: async (txid, tell) => {
      if ((await clearBatchPush(deps, id, txid)) && tell) await hooks.ended?.(id);
    },
    accepted: async (txid) => {
      await hooks.accepted(txid);
      await hooks.ended?.(id);
    },
  };
}

/**
 * Drop a pending batch's push (only this txid's, when given); false when the batch is no longer
 * pending, so there is nothing to show.
 */
export async function clearBatchPush(
  deps: WorkflowDeps,
  batchId: string,
  txid: string | undefined,
): Promise<boolean> {
  try {
    await deps.store.updateBatch(
      batchId,
      (b) => {
        if (!txid || b.push?.txid === txid) delete b.push;
      },
      { expectState: 'pending_approval' },
    );

    return true;
  } catch (err) {
    if (!(err instanceof StaleRequestError)) throw err;

    return false;
  }
}
