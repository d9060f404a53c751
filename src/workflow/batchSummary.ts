/** Where a batch stands, counted from its requests: ready, blocked, progress and the final tally. */
import type { Batch } from '../store/requestStore.js';
import type { EnrolmentRequest, RequestState } from './types.js';

/** The counts a batch card and its final message show. */
export interface BatchSummary {
  /** Requests that passed every check (whatever happened to them since). */
  ready: EnrolmentRequest[];
  /** Requests that failed a check. */
  rejected: EnrolmentRequest[];
  /** Ready requests approved for sending, and how many of them are finished. */
  progress: { done: number; total: number };
  tally: { sent: number; alreadyEnrolled: number; failed: number; failures: string[] };
  /** Nothing in the batch is waiting or on its way any more. */
  settled: boolean;
}

const SENT: RequestState[] = ['sent', 'activated', 'link_expired'];
const FAILED: RequestState[] = ['failed', 'needs_attention'];
const UNDECIDED: RequestState[] = ['requested', 'pending_approval'];
const ON_ITS_WAY: RequestState[] = ['approved', 'sending'];

/** Still waiting for a decision, or approved and not yet finished: its batch is not settled. */
export function isUnsettled(request: Pick<EnrolmentRequest, 'state'>): boolean {
  return UNDECIDED.includes(request.state) || ON_ITS_WAY.includes(request.state);
}

/** Count a batch from its stored requests. */
export function summariseBatch(batch: Batch, members: EnrolmentRequest[]): BatchSummary {
  const ready = members.filter((r) => r.state !== 'rejected');
  const rejected = members.filter((r) => r.state === 'rejected');
  const approved = ready.filter((r) => r.decision?.outcome === 'approved');
  const done = approved.filter((r) => !ON_ITS_WAY.includes(r.state));
  const failures = ready
    .filter((r) => FAILED.includes(r.state))
    .map(
      (r) => `${r.contractor.username} (${r.id}): ${r.failure?.message ?? 'no reason recorded'}`,
    );

  return {
    ready,
    rejected,
    progress: { done: done.length, total: approved.length },
    tally: {
      sent: ready.filter((r) => SENT.includes(r.state)).length,
      alreadyEnrolled: batch.alreadyEnrolled?.length ?? 0,
      failed: failures.length,
      failures,
    },
    settled: !members.some(isUnsettled),
  };
}
