/**
 * Words and tones shared by both renderers, so a request reads the same on Teams and on Slack.
 */
import type { EnrolMethod, RequestState } from '../src/workflow/types.js';
import type { ApprovalView } from './views.js';

/** How a state should look: good news, bad news, waiting, or neutral. */
export type Tone = 'good' | 'attention' | 'waiting' | 'neutral';

/** The method as a person would say it. */
export const METHOD_LABELS: Record<EnrolMethod, string> = {
  sms: 'SMS activation link',
  email: 'Enrolment email',
};

/** The decision outcome as a person would say it. */
export const OUTCOME_LABELS: Record<NonNullable<ApprovalView['decision']>['outcome'], string> = {
  approved: 'Approved',
  denied: 'Denied',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

const STATE_TONES: Record<RequestState, Tone> = {
  requested: 'waiting',
  pending_approval: 'waiting',
  approved: 'good',
  sending: 'waiting',
  sent: 'good',
  activated: 'good',
  rejected: 'attention',
  denied: 'attention',
  cancelled: 'neutral',
  expired: 'neutral',
  failed: 'attention',
  link_expired: 'attention',
  needs_attention: 'attention',
};

/** The tone a request's state is shown in. */
export function stateTone(state: RequestState): Tone {
  return STATE_TONES[state];
}

/** Marks for a check line; words would be longer than the checks themselves. */
export const CHECK_MARKS = { ok: '✓', failed: '✗' } as const;

/** The method in one word, for rows and buttons. */
export const METHOD_SHORT: Record<EnrolMethod, string> = { sms: 'SMS', email: 'email' };

/** How many rows of each kind a batch card lists before "…and N more". */
export const BATCH_ROWS_SHOWN = 10;

/** How many failure reasons a batch tally lists. */
export const BATCH_FAILURES_SHOWN = 10;
