/** The request store's option and argument types, kept apart so requestStore.ts reads as logic. */
import type { ActorRef, EnrolmentRequest, RequestState } from '../workflow/types.js';
import type { AuditActor, AuditLog } from './auditLog.js';
import type { WriteOps } from './durableFile.js';
import type { StoreLogger } from './lockFile.js';

/** What a caller supplies to create a request; the store assigns the rest. */
export type NewRequest = Omit<EnrolmentRequest, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

/** Who moved a request and why, for the audit event a transition appends. */
export interface AuditEntryInput {
  actor: AuditActor | ActorRef;
  /** Defaults to the target state, e.g. `approved`. */
  action?: string;
  /** Already masked: never a raw phone number or e-mail address. */
  detail?: string;
  /** An explicit operator action, allowed to take the operator-only edges of the lifecycle. */
  operator?: boolean;
}

/** Conditions for `update`: the change is refused with StaleRequestError unless they hold. */
export interface UpdateExpectation {
  expectVersion?: number;
  expectState?: RequestState | RequestState[];
}

/** Options of `RequestStore.open`. */
export interface StoreOptions {
  now: () => Date;
  logger?: StoreLogger;
  /** Where transitions append their audit events; without it transitions are not audited. */
  auditLog?: AuditLog;
  /** Whether a pid is running, for the stale-lock check; injected by tests. */
  isAlive?: (pid: number) => boolean;
  /** File operations for writes; injected by tests that simulate a crash. */
  writeOps?: WriteOps;
}
