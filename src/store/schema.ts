/**
 * The shape of the store file and the check made before the bot trusts it. A file that fails the
 * check is reported, never repaired: a reset would forget requests that may already have sent an
 * activation link, and the next retry would send a second one.
 */
import { StoreCorruptError } from '../errors.js';
import type {
  ActorRef,
  ConversationHandle,
  Decision,
  EnrolMethod,
  EnrolmentRequest,
} from '../workflow/types.js';
import { REQUEST_STATES } from '../workflow/types.js';
import {
  actorProblem,
  check,
  checkRequest,
  decisionProblem,
  isObject,
  list,
  oneOf,
  type Fail,
} from './recordCheck.js';

/** The file format version this code reads and writes. */
export const STORE_SCHEMA = 1;

/** Every state a batch can be in. */
export const BATCH_STATES = [
  'pending_approval',
  'approved',
  'denied',
  'cancelled',
  'expired',
  'done',
] as const;

const BATCH_STATE_LIST = BATCH_STATES.join(', ');

/** Where a bulk request stands as a whole; each of its requests keeps its own state. */
export type BatchState = (typeof BATCH_STATES)[number];

/** A bulk request: many enrolment requests approved on one card. */
export interface Batch {
  id: string;
  state: BatchState;
  /** Bumped on every write; updateBatch can compare-and-set on it. */
  version: number;
  createdAt: string;
  updatedAt: string;
  requester: ActorRef;
  requestIds: string[];
  /** The approval card, so it can be updated after a decision. */
  card?: ConversationHandle;
  /** The method asked for when a row did not name its own. */
  method?: EnrolMethod;
  reason?: string;
  origin?: ConversationHandle;
  /** Rows that got no request to approve, with the reason (not found, ambiguous, duplicate...). */
  blocked?: { who: string; displayName?: string; method: EnrolMethod; reason: string }[];
  /** Rows already enrolled in Duo with an activated phone: nothing to send. */
  alreadyEnrolled?: { username: string; displayName: string; method: EnrolMethod }[];
  /** Approvers so far (a quorum may need several) and the decision that settled the batch. */
  approvals?: Decision[];
  decision?: Decision;
  /** An approval of the whole batch waiting for the approver's Duo Push (step-up). */
  push?: { by: ActorRef; startedAt: string; txid?: string };
}

/** A small record in `meta`, with an optional expiry for things like processed event ids. */
export interface MetaEntry {
  value: unknown;
  expiresAt?: string;
}

/** Everything in the store file. */
export interface StoreData {
  schema: typeof STORE_SCHEMA;
  nextRequestNumber: number;
  nextBatchNumber: number;
  requests: EnrolmentRequest[];
  batches: Batch[];
  meta: Record<string, MetaEntry>;
}

/** The content of a store created from nothing. */
export function emptyStore(): StoreData {
  return {
    schema: STORE_SCHEMA,
    nextRequestNumber: 1,
    nextBatchNumber: 1,
    requests: [],
    batches: [],
    meta: {},
  };
}

/** The number in `REQ-42` or `BATCH-7`, or undefined when the id is not of that form. */
export function idNumber(id: string, prefix: string): number | undefined {
  const match = new RegExp(`^${prefix}-([1-9][0-9]*)$`).exec(id);

  return match ? Number(match[1]) : undefined;
}

/** Parse and check the text of a store file; throws StoreCorruptError saying what is wrong. */
export function parseStore(text: string, path: string): StoreData {
  const fail = (what: string, cause?: unknown): never => {
    throw new StoreCorruptError(
      path,
      `The store file ${path} ${what}. The bot will not reset or overwrite it, because that ` +
        'would lose the record of requests already sent. Restore it from a backup or repair it ' +
        'by hand, or move it aside to start with an empty store.',
      { cause },
    );
  };

  if (text.trim() === '') fail('is empty (was it truncated by a crash or a full disk?)');

  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    fail(
      `is not valid JSON (${(error as Error).message}); it may be truncated or hand-edited`,
      error,
    );
  }

  if (!isObject(raw)) return fail('does not hold a JSON object');
  if (!('schema' in raw)) fail('has no "schema" field, so it is not an enrolbot store');
  if (raw.schema !== STORE_SCHEMA) {
    fail(`has schema ${JSON.stringify(raw.schema)}, but this version reads schema ${STORE_SCHEMA}`);
  }
  for (const counter of ['nextRequestNumber', 'nextBatchNumber']) {
    const value = raw[counter];
    if (!Number.isSafeInteger(value) || (value as number) < 1) {
      fail(`has no valid "${counter}" (a positive whole number)`);
    }
  }
  if (!Array.isArray(raw.requests)) fail('has "requests" that is not a list');
  if (!Array.isArray(raw.batches)) fail('has "batches" that is not a list');
  if (!isObject(raw.meta)) fail('has "meta" that is not an object');

  const data = raw as unknown as StoreData;
  checkRecords(data, fail);

  return data;
}

function checkRecords(data: StoreData, fail: Fail): void {
  const seen = new Set<string>();
  data.requests.forEach((request: unknown, index) => {
    if (!isObject(request)) fail(`has request #${index} that is not an object`);
    const { id, state, version } = request as Record<string, unknown>;
    const number = typeof id === 'string' ? idNumber(id, 'REQ') : undefined;
    if (number === undefined) fail(`has request #${index} without an id like REQ-42`);
    if (seen.has(id as string)) fail(`has the request id ${String(id)} twice`);
    if ((number as number) >= data.nextRequestNumber) {
      fail(
        `has ${String(id)} but "nextRequestNumber" ${data.nextRequestNumber}, so ids would repeat`,
      );
    }
    if (!REQUEST_STATES.includes(state as never)) fail(`has ${String(id)} in an unknown state`);
    if (!Number.isSafeInteger(version)) fail(`has ${String(id)} without a version number`);
    checkRequest(request as Record<string, unknown>, id as string, fail);
    seen.add(id as string);
  });

  data.batches.forEach((batch: unknown, index) => {
    const id = isObject(batch) ? batch.id : undefined;
    const number = typeof id === 'string' ? idNumber(id, 'BATCH') : undefined;
    if (number === undefined) fail(`has batch #${index} without an id like BATCH-7`);
    if ((number as number) >= data.nextBatchNumber) {
      fail(`has ${String(id)} but "nextBatchNumber" ${data.nextBatchNumber}, so ids would repeat`);
    }
    checkBatch(batch as Record<string, unknown>, id as string, fail);
    // A member that is not in the store would be counted, shown and approved as nothing.
    for (const member of (batch as { requestIds: string[] }).requestIds) {
      if (!seen.has(member)) fail(`has ${String(id)} naming ${member}, which is not in the store`);
    }
  });
}

/** The fields of a batch the bulk flow relies on. */
function checkBatch(batch: Record<string, unknown>, id: string, fail: Fail): void {
  check(id, 'state', oneOf(batch.state, BATCH_STATES, BATCH_STATE_LIST), fail);
  if (!Number.isSafeInteger(batch.version)) fail(`has ${id} without a version number`);
  check(id, 'requester', actorProblem(batch.requester), fail);

  const requestIds = batch.requestIds;
  check(id, 'requestIds', list(requestIds), fail);
  for (let index = 0; index < (requestIds as unknown[]).length; index += 1) {
    const member = (requestIds as unknown[])[index];
    if (typeof member !== 'string') {
      check(id, `requestIds[${index}]`, { at: '', found: member, want: 'text' }, fail);
    }
  }

  if (batch.approvals !== undefined) {
    check(id, 'approvals', list(batch.approvals), fail);
    for (let index = 0; index < (batch.approvals as unknown[]).length; index += 1) {
      const problem = decisionProblem((batch.approvals as unknown[])[index]);
      if (problem) check(id, `approvals[${index}]`, problem, fail);
    }
  }
  if (batch.decision !== undefined) check(id, 'decision', decisionProblem(batch.decision), fail);
}
