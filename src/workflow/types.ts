/** The enrolment request and its lifecycle, as stored. */

export const REQUEST_STATES = [
  'requested',
  'pending_approval',
  'approved',
  'sending',
  'sent',
  'activated',
  'rejected',
  'denied',
  'cancelled',
  'expired',
  'failed',
  'link_expired',
  'needs_attention',
] as const;

export type RequestState = (typeof REQUEST_STATES)[number];

export type EnrolMethod = 'sms' | 'email';

export type Platform = 'teams' | 'slack' | 'cli';

/** Who did something, as recorded on requests and in the audit log. */
export interface ActorRef {
  platform: Platform;
  /** The chat platform's user id (Teams `from.id`, Slack user id). */
  platformUserId: string;
  displayName: string;
  /** Directory id (DN or object id) when resolved. */
  directoryId?: string;
  /** UPN or e-mail used to resolve the person. */
  login?: string;
}

/** Where to write to later; opaque to the domain, owned by the adapter that made it. */
export interface ConversationHandle {
  platform: Platform;
  /** Serialised platform reference (Teams ConversationReference, Slack channel id + thread). */
  ref: Record<string, unknown>;
}

/** A check made before approval was asked. */
export interface CheckResult {
  name: string;
  ok: boolean;
  /** What a manager can act on when it failed, or what passed. */
  detail: string;
}

export interface Decision {
  outcome: 'approved' | 'denied';
  by: ActorRef;
  at: string;
  comment?: string;
}

/** What the send did in Duo, recorded step by step so a crash can be reconciled. */
export interface SendProgress {
  duoUserId?: string;
  createdUser?: boolean;
  syncedUser?: boolean;
  phoneId?: string;
  createdPhone?: boolean;
  attachedPhone?: boolean;
  /** Set before the non-idempotent call (SMS or e-mail) is made. */
  sendStartedAt?: string;
  sentAt?: string;
  enrolCode?: string;
  validUntil?: string;
}

export interface EnrolmentRequest {
  id: string;
  state: RequestState;
  /** Bumped on every write; compare-and-set checks it. */
  version: number;
  createdAt: string;
  updatedAt: string;
  requester: ActorRef;
  contractor: {
    directory: string;
    directoryId: string;
    username: string;
    displayName: string;
    duoUsername: string;
    expiresAt?: string;
  };
  method: EnrolMethod;
  /** E.164 number or e-mail address; never logged unmasked. */
  destination?: string;
  /** Directory attribute the destination came from. */
  destinationAttribute?: string;
  reason?: string;
  checks: CheckResult[];
  /** Things the approver should know that do not block (bypass, locked out...). */
  warnings: string[];
  approvals: Decision[];
  decision?: Decision;
  progress: SendProgress;
  failure?: { code: string; message: string };
  origin?: ConversationHandle;
  card?: ConversationHandle;
  batchId?: string;
  sandbox: boolean;
  /** An approval waiting for the approver's Duo Push (step-up), when DUO_AUTH_* is configured. */
  push?: { by: ActorRef; startedAt: string; txid?: string };
  /** When approvers were reminded of this pending request; they are reminded once. */
  remindedAt?: string;
  /** The last activation follow-up against Duo, so checks stay gentle on rate limits. */
  checkedAt?: string;
  /** The request this one resends, after its link expired unused. */
  resendOf?: string;
  /** An approver undid the send in Duo (`revoke`). */
  revoked?: { by: ActorRef; at: string; detail: string };
  /** The Duo user the bot created was offboarded because the directory account ended. */
  offboarded?: { at: string; action: 'disabled' | 'reported'; reason: string };
}
