/** What the workflow services share: the store, the directory, Duo, configuration and the clock. */
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { CombinedDirectory } from '../directory/types.js';
import type { DuoAdmin } from '../duo/types.js';
import type { RequestStore } from '../store/requestStore.js';
import type { PushStepUp } from './push.js';
import type { EnrolmentRequest } from './types.js';

/** Why a listener is told about a request. */
export type RequestEvent =
  | 'created'
  | 'rejected'
  | 'approval_recorded'
  | 'approved'
  | 'denied'
  | 'cancelled'
  | 'sending'
  | 'sent'
  | 'failed'
  | 'needs_attention'
  | 'expired'
  | 'reminder'
  | 'activated'
  | 'link_expired'
  | 'push_waiting'
  | 'push_refused'
  | 'deferred'
  | 'revoked'
  | 'offboarded';

/** Told after every change a person should see; the bot renders and delivers it. */
export type RequestListener = (request: EnrolmentRequest, event: RequestEvent) => Promise<void>;

export interface WorkflowDeps {
  config: Config;
  store: RequestStore;
  directory: CombinedDirectory;
  duo: DuoAdmin;
  now: () => Date;
  logger: Logger;
  listener: RequestListener;
  /** Duo Push step-up for approvals, when a Duo Auth API application is configured. */
  stepUp?: PushStepUp;
  /**
   * Hold every paced Duo call back after Duo answered 429 (`inARow` counts the 429s in a row);
   * the sending queue provides it, so bulk checks back off on the same pacer as the sends.
   */
  backOffDuo?: (inARow: number) => void;
}

/** Tell the listener, never letting a delivery problem undo or block the workflow. */
export async function announce(
  deps: WorkflowDeps,
  request: EnrolmentRequest,
  event: RequestEvent,
): Promise<void> {
  try {
    await deps.listener(request, event);
  } catch (err) {
    deps.logger.error({ err, request_id: request.id, event }, 'announce_failed');
  }
}
