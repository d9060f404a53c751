/**
 * The request lifecycle of DESIGN.md as data: which state may follow which, which states are
 * final, and how each state reads to a person. The store consults this on every transition, so a
 * bug elsewhere can never move a request along an edge that is not drawn here.
 */
import type { EnrolMethod, RequestState } from './types.js';

/** Edges any part of the bot may take. */
const TRANSITIONS: Readonly<Record<RequestState, readonly RequestState[]>> = {
  requested: ['pending_approval', 'rejected'],
  // Quorum approvals are updates of a pending request, not a transition to itself.
  pending_approval: ['approved', 'denied', 'cancelled', 'expired'],
  approved: ['sending', 'cancelled'],
  sending: ['sent', 'failed', 'needs_attention'],
  sent: ['activated', 'link_expired', 'needs_attention'],
  activated: [],
  rejected: [],
  denied: [],
  cancelled: [],
  expired: [],
  failed: [],
  // A resend is a new request; the old one stays link_expired as the record of what happened.
  link_expired: [],
  needs_attention: [],
};

/**
 * Edges only an operator may take, after looking at Duo themselves: retrying a failed send, or
 * settling a request the bot could not judge. The bot never takes these on its own, because a
 * blind resend is exactly the double send the lifecycle exists to prevent.
 */
const OPERATOR_TRANSITIONS: Readonly<Partial<Record<RequestState, readonly RequestState[]>>> = {
  failed: ['sending'],
  needs_attention: ['sending', 'sent', 'failed', 'cancelled'],
};

/**
 * States a request may be created in: checked (`requested`), waiting (`pending_approval`), refused
 * by validation (`rejected`, kept as a record), or `approved` for a resend that the configuration
 * lets skip approval (RESEND_NEEDS_APPROVAL=false). Never anything past approval.
 */
export const INITIAL_STATES: readonly RequestState[] = [
  'requested',
  'pending_approval',
  'rejected',
  'approved',
];

/** States a request never leaves. `failed` and `needs_attention` wait for an operator instead. */
export const TERMINAL_STATES: readonly RequestState[] = [
  'activated',
  'rejected',
  'denied',
  'cancelled',
  'expired',
  'link_expired',
];

/** Options of `canTransition`. */
export interface TransitionCheck {
  /** The move is an explicit operator action (see OPERATOR_TRANSITIONS). */
  operator?: boolean;
}

/** Whether a request may move from `from` to `to`. */
export function canTransition(
  from: RequestState,
  to: RequestState,
  check: TransitionCheck = {},
): boolean {
  if (TRANSITIONS[from].includes(to)) return true;

  return check.operator === true && (OPERATOR_TRANSITIONS[from]?.includes(to) ?? false);
}

/** The states reachable from `from`, for help texts and tests. */
export function nextStates(from: RequestState, check: TransitionCheck = {}): RequestState[] {
  const operator = check.operator ? (OPERATOR_TRANSITIONS[from] ?? []) : [];

  return [...TRANSITIONS[from], ...operator];
}

/** True for a state the request never leaves. */
export function isTerminal(state: RequestState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** One line of plain English per state, worded for the method where it matters. */
export function stateLabel(state: RequestState, method: EnrolMethod): string {
  const sms = method === 'sms';

  switch (state) {
    case 'requested':
      return 'Checking the request';
    case 'pending_approval':
      return 'Waiting for approval';
    case 'approved':
      return 'Approved, about to send';
    case 'sending':
      return sms ? 'Sending the activation SMS' : 'Sending the enrolment e-mail';
    case 'sent':
      return sms ? 'Activation SMS sent' : 'Enrolment e-mail sent';
    case 'activated':
      return sms ? 'Duo Mobile activated' : 'Enrolled in Duo';
    case 'rejected':
      return 'Rejected: the checks failed, so no approval was asked';
    case 'denied':
      return 'Denied by an approver';
    case 'cancelled':
      return 'Cancelled';
    case 'expired':
      return 'Expired: nobody decided in time';
    case 'failed':
      return sms ? 'Failed: Duo refused the activation SMS' : 'Failed: Duo refused the enrolment';
    case 'link_expired':
      return sms ? 'Activation link expired unused' : 'Enrolment link expired unused';
    case 'needs_attention':
      return 'Needs attention: a person must check Duo';
  }
}
