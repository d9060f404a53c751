/**
 * Bulk requests: many contractors, one approval. Each contractor becomes an ordinary request with
 * the batch's id, checked exactly as a single request is; rows that cannot become a request (not
 * found, ambiguous, already on their way) are kept on the batch with the reason. The batch counts
 * once against MAX_REQUESTS_PER_HOUR.
 */
import type { DirectoryRecord } from '../directory/types.js';
import { DirectoryUnavailableError } from '../errors.js';
import type { Batch } from '../store/requestStore.js';
import { rowChecks, type BatchEntry } from './batchInput.js';
import type { WorkflowDeps } from './deps.js';
import { requestFor, type EnrolOutcome } from './requests.js';
import type { ActorRef, ConversationHandle, EnrolMethod, EnrolmentRequest } from './types.js';

export { approveBatch, denyBatch, resumeBatches, type BatchDecision } from './batchDecisions.js';

/** What the requester asked for in bulk. */
export interface BatchInput {
  requester: ActorRef;
  requesterRecord: DirectoryRecord;
  /** A typed list or CSV rows; or `group` to take every member of a directory group. */
  entries?: BatchEntry[];
  group?: string;
  /** For rows that do not name their own method. */
  method?: EnrolMethod;
  reason?: string;
  origin?: ConversationHandle;
}

/** What became of a bulk ask. */
export type BatchOutcome =
  | { kind: 'too_large'; count: number; max: number }
  | { kind: 'empty'; message: string }
  | { kind: 'limit'; message: string }
  | { kind: 'directory_unavailable'; message: string }
  | { kind: 'created'; batch: Batch; members: EnrolmentRequest[] };

/** Rows checked at once: Duo calls are paced anyway, this lets store writes overlap. */
const CHECK_CONCURRENCY = 8;

/** Times a row is checked again after Duo answered 429; the waits double each time. */
const ROW_RATE_LIMIT_RETRIES = 5;

function rateLimited(outcome: EnrolOutcome): boolean {
  return outcome.kind === 'duo_unavailable' && outcome.rateLimited === true;
}

/** Check every row and store the batch with its requests; nothing is sent before approval. */
export async function requestBatch(deps: WorkflowDeps, input: BatchInput): Promise<BatchOutcome> {
  let rows: { entry: BatchEntry; record?: DirectoryRecord }[];
  try {
    rows = await rowsOf(deps, input);
  } catch (err) {
    if (!(err instanceof DirectoryUnavailableError)) throw err;

    return {
      kind: 'directory_unavailable',
      message: `the directory (${err.directory}) cannot be reached right now, so nothing was requested`,
    };
  }
  if (rows.length === 0) {
    return {
      kind: 'empty',
      message: input.group
        ? `the group "${input.group}" has no members`
        : 'no contractors were named',
    };
  }
  const max = deps.config.limits.maxBatchSize;
  if (rows.length > max) return { kind: 'too_large', count: rows.length, max };

  const key = `limit:requests:${input.requester.platform}:${input.requester.platformUserId}`;
  const count = await deps.store.incrementMeta(key, 1, { ttlMs: 3_600_000 });
  if (count > deps.config.limits.maxRequestsPerHour) {
    return {
      kind: 'limit',
      message: `you have made ${deps.config.limits.maxRequestsPerHour} requests in the last hour, the most allowed (MAX_REQUESTS_PER_HOUR); try again later`,
    };
  }

  const batch = await deps.store.saveBatch({
    state: 'pending_approval',
    requester: input.requester,
    requestIds: [],
    method: input.method,
    reason: input.reason,
    origin: input.origin,
    blocked: [],
    alreadyEnrolled: [],
    approvals: [],
  });
  const results = await mapLimit(rows, CHECK_CONCURRENCY, (row) =>
    checkRow(deps, input, batch, row),
  );

  const saved = await deps.store.updateBatch(batch.id, (b) => {
    for (const result of results) {
      if (result.kind === 'request') b.requestIds.push(result.request.id);
      if (result.kind === 'blocked') b.blocked!.push(result.row);
      if (result.kind === 'enrolled') b.alreadyEnrolled!.push(result.row);
    }
    if (!results.some((r) => r.kind === 'request' && r.request.state === 'pending_approval')) {
      b.state = 'done';
    }
  });
  deps.logger.info({ batch_id: batch.id, rows: rows.length }, 'batch_created');

  return { kind: 'created', batch: saved, members: batchMembers(deps, saved) };
}

/** The requests of a batch, in the order they were asked for. */
export function batchMembers(deps: Pick<WorkflowDeps, 'store'>, batch: Batch): EnrolmentRequest[] {
  const order = new Map(batch.requestIds.map((id, i) => [id, i]));
  const members = deps.store.list((r) => r.batchId === batch.id);

  return members.sort((a, b) => (order.get(a.id) ?? 1e9) - (order.get(b.id) ?? 1e9));
}

type RowResult =
  | { kind: 'request'; request: EnrolmentRequest }
  | { kind: 'blocked'; row: NonNullable<Batch['blocked']>[number] }
  | { kind: 'enrolled'; row: NonNullable<Batch['alreadyEnrolled']>[number] };

async function rowsOf(deps: WorkflowDeps, input: BatchInput) {
  if (input.group) {
    const records = await deps.directory.expandGroup(input.group);
    return records.map((record) => ({ entry: { who: record.username }, record }));
  }
  const seen = new Set<string>();

  return (input.entries ?? [])
    .filter((entry) => {
      const key = entry.who.toLowerCase();
      const fresh = !seen.has(key);
      seen.add(key);
      return fresh;
    })
    .map((entry) => ({ entry }));
}

async function checkRow(
  deps: WorkflowDeps,
  input: BatchInput,
  batch: Batch,
  row: { entry: BatchEntry; record?: DirectoryRecord },
): Promise<RowResult> {
  const { entry } = row;
  const method = entry.method ?? input.method;
  const blocked = (reason: string, displayName?: string): RowResult => ({
    kind: 'blocked',
    row: { who: entry.who, displayName, method: method ?? 'sms', reason },
  });
  if (!method) return blocked('no method: add a "method" column (sms or email), or say "by sms"');

  let record = row.record;
  try {
    if (!record) {
      const matches = await deps.directory.find(entry.who);
      if (matches.length === 0) return blocked('not found in the directory');
      if (matches.length > 1) return blocked(`${matches.length} people match; use the username`);
      record = matches[0]!;
    }
    const ask = {
      requester: input.requester,
      requesterRecord: input.requesterRecord,
      who: entry.who,
      method,
      reason: input.reason,
      origin: input.origin,
      batchId: batch.id,
      skipRequestLimit: true,
      extraChecks: rowChecks(entry, record, deps.config.defaultPhoneRegion),
    };
    let outcome = await requestFor(deps, ask, record);
    // Duo's window was full (after the client's own retries): hold every paced call back, as the
    // sending queue does, and check the row again rather than block it for a busy Duo.
    for (let inARow = 1; rateLimited(outcome) && deps.backOffDuo; inARow += 1) {
      if (inARow > ROW_RATE_LIMIT_RETRIES) break;
      deps.logger.warn({ batch_id: batch.id, attempt: inARow }, 'batch_check_rate_limited');
      deps.backOffDuo(inARow);
      outcome = await requestFor(deps, ask, record);
    }
    const name = record.displayName;
    switch (outcome.kind) {
      case 'pending':
      case 'rejected':
        return { kind: 'request', request: outcome.request };
      case 'already_enrolled':
        return { kind: 'enrolled', row: { username: record.username, displayName: name, method } };
      case 'duplicate':
        return blocked(
          outcome.request.state === 'sent'
            ? `was already sent a link by ${outcome.request.id} that may still be used`
            : `already has ${outcome.request.id} on its way`,
          name,
        );
      case 'directory_unavailable':
      case 'duo_unavailable':
      case 'limit':
        return blocked(outcome.message, name);
      default:
        return blocked('could not be identified', name);
    }
  } catch (err) {
    deps.logger.warn({ err, batch_id: batch.id }, 'batch_row_failed');
    if (err instanceof DirectoryUnavailableError)
      return blocked('the directory could not be asked');

    return blocked('an unexpected error stopped the checks; see the log', record?.displayName);
  }
}

/** Run `fn` over items, at most `limit` at a time, results in input order. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>) {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));

  return results;
}
