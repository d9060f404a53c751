/** Pure builders from a stored batch and its requests to the batch card and its CSV list. */
import { stringify } from 'csv-stringify/sync';
import type { BatchRow, BatchView } from '../cards/views.js';
import type { Batch } from '../src/store/requestStore.js';
import { summariseBatch } from '../src/workflow/batchSummary.js';
import { stateLabel } from '../src/workflow/stateMachine.js';
import type { EnrolmentRequest } from '../src/workflow/types.js';
import { maskedDestination, SANDBOX_NOTE, time, type ViewSettings } from './views.js';

/** Rows of each kind shown on the card; the CSV (batchCsv) has them all. */
export const BATCH_CARD_ROWS = 10;

/** The batch card, in whatever state the batch is. */
export function batchView(
  batch: Batch,
  members: EnrolmentRequest[],
  settings: ViewSettings,
): BatchView {
  const summary = summariseBatch(batch, members);
  const blockedRows = [
    ...summary.rejected.map(rejectedRow),
    ...(batch.blocked ?? []).map((b) => ({
      username: b.who,
      displayName: b.displayName ?? b.who,
      method: b.method,
      note: b.reason,
    })),
  ];
  const view: BatchView = {
    kind: 'batch',
    batchId: batch.id,
    stateLabel: batchStateLabel(batch, summary.settled),
    requester: batch.requester.displayName,
    reason: batch.reason,
    readyCount: summary.ready.length,
    blockedCount: blockedRows.length,
    readyRows: summary.ready.slice(0, BATCH_CARD_ROWS).map(readyRow),
    blockedRows: blockedRows.slice(0, BATCH_CARD_ROWS),
    actionable: batch.state === 'pending_approval' && summary.ready.length > 0,
  };
  if (batch.decision) {
    view.decision = {
      outcome: batch.state === 'expired' ? 'expired' : batch.decision.outcome,
      by: batch.decision.by.displayName,
      at: time(batch.decision.at),
      comment: batch.decision.comment,
    };
  }
  if (batch.state === 'approved' && !summary.settled) view.progress = summary.progress;
  if (batch.state === 'approved' && summary.settled) view.tally = summary.tally;
  if (settings.sandbox || members.some((m) => m.sandbox)) view.sandboxNote = SANDBOX_NOTE;
  if (batch.push && batch.state === 'pending_approval') {
    view.pushNote = `Waiting for ${batch.push.by.displayName} to accept the Duo Push sent to their phone.`;
  }

  return view;
}

/** Every row of the batch as CSV: what was asked, what was found, what happened. */
export function batchCsv(batch: Batch, members: EnrolmentRequest[]): string {
  const rows = [
    ...members.map((r) => [
      r.contractor.username,
      r.contractor.displayName,
      r.method,
      maskedDestination(r),
      r.id,
      stateLabel(r.state, r.method),
      r.failure?.message ??
        r.checks
          .filter((c) => !c.ok)
          .map((c) => c.detail)
          .join('; '),
    ]),
    ...(batch.blocked ?? []).map((b) => [
      b.who,
      b.displayName ?? '',
      b.method,
      '',
      '',
      'Blocked',
      b.reason,
    ]),
    ...(batch.alreadyEnrolled ?? []).map((e) => [
      e.username,
      e.displayName,
      e.method,
      '',
      '',
      'Already enrolled in Duo',
      'nothing to send',
    ]),
  ];
  const columns = ['username', 'name', 'method', 'destination', 'request', 'status', 'note'];

  // A leading quote keeps a spreadsheet from running a cell that starts like a formula.
  return stringify(
    rows.map((row) => row.map((cell) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell))),
    { header: true, columns },
  );
}

/** The batch's state in plain words. */
export function batchStateLabel(batch: Batch, settled: boolean): string {
  switch (batch.state) {
    case 'pending_approval':
      return 'Waiting for approval';
    case 'approved':
      return settled ? 'Finished' : `Approved by ${batch.decision?.by.displayName}; sending`;
    case 'denied':
      return `Denied by ${batch.decision?.by.displayName ?? 'an approver'}`;
    case 'cancelled':
      return 'Cancelled';
    case 'expired':
      return 'Expired: nobody decided in time';
    case 'done':
      return 'Nothing to approve: every row is blocked or already enrolled';
  }
}

function readyRow(r: EnrolmentRequest): BatchRow {
  const row: BatchRow = {
    username: r.contractor.username,
    displayName: r.contractor.displayName,
    method: r.method,
    maskedDestination: maskedDestination(r),
  };
  if (r.state !== 'pending_approval')
    row.note = r.failure?.message ?? stateLabel(r.state, r.method);

  return row;
}

function rejectedRow(r: EnrolmentRequest): BatchRow {
  return {
    username: r.contractor.username,
    displayName: r.contractor.displayName,
    method: r.method,
    note: r.checks
      .filter((c) => !c.ok)
      .map((c) => c.detail)
      .join('; '),
  };
}
