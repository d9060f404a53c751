/** One Duo Push for a single request: how PushStepUp records it on the request and clears it. */
import { StaleRequestError } from '../errors.js';
import { requestLogger } from '../logging.js';
import { recordApproval, type Clicker } from './decisions.js';
import { announce, type WorkflowDeps } from './deps.js';
import type { PushSubject } from './push.js';
import type { EnrolmentRequest } from './types.js';

/** The push subject for `request` as the clicker saw it; `startSend` runs once it is approved. */
export function requestPushSubject(
  deps: WorkflowDeps,
  request: EnrolmentRequest,
  clicker: Clicker,
  selfApproval: boolean,
  startSend: (requestId: string) => void,
): PushSubject {
  const id = request.id;

  return {
    id,
    noun: 'request',
    logger: requestLogger(deps.logger, id),
    push: request.push,
    pushInfo: `Approve ${id}: ${request.method} to ${request.contractor.username}`,
    record: async (push) => {
      await deps.store.update(
        id,
        (r) => {
          r.push = push;
        },
        { expectVersion: request.version, expectState: 'pending_approval' },
      );
    },
    started: async (txid) => {
      const waiting = await deps.store.update(id, (r) => {
        if (r.push) r.push.txid = txid;
      });
      await announce(deps, waiting, 'push_waiting');
    },
    awaits: (txid) => {
      const current = deps.store.get(id);

      return current?.state === 'pending_approval' && current.push?.txid === txid;
    },
    clear: (txid, tell) => clearRequestPush(deps, id, txid, tell),
    accepted: async (txid) => {
      const current = deps.store.get(id);
      if (!current) return;

      const outcome = await recordApproval(
        deps,
        current,
        clicker,
        selfApproval,
        `duo push ${txid}`,
      );
      if (outcome.kind === 'approved') startSend(id);
    },
  };
}

/** Drop a request's push (only this txid's, when given) and, with `tell`, say it ended. */
export async function clearRequestPush(
  deps: WorkflowDeps,
  requestId: string,
  txid: string | undefined,
  tell: boolean,
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
