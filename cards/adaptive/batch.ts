/**
 * The approval card for a batch of contractors: counts, the first rows of each kind, progress
 * while sending and the final tally.
 */
import { BATCH_FAILURES_SHOWN, BATCH_ROWS_SHOWN, METHOD_SHORT } from '../labels.js';
import { scaled } from '../text.js';
import { ACTION_VERBS, type BatchRow, type BatchView } from '../views.js';
import { capList, decisionData, fallback, TONE_STYLES } from './common.js';
import { mdBlock, mdLine } from './escape.js';
import { expand } from './expand.js';
import template from './templates/batch.json' with { type: 'json' };

function rowLines(rows: BatchRow[], scale: number): string[] {
  const line = (text: string, cap: number) => mdLine(text, scaled(cap, scale, 8));
  const { shown, more } = capList(rows, BATCH_ROWS_SHOWN);
  const lines = shown.map((row) => {
    const who = `${line(row.displayName, 80)} (${line(row.username, 64)})`;
    const where = row.maskedDestination ? ` ${line(row.maskedDestination, 60)}` : '';
    const note = row.note ? `: ${line(row.note, 200)}` : '';
    return `${who} · ${METHOD_SHORT[row.method]}${where}${note}`;
  });
  return more ? [...lines, more] : lines;
}

/** Fills the batch template; `scale` shortens every text cap when the card must shrink. */
export function batchCard(view: BatchView, scale = 1): Record<string, unknown> {
  const line = (text: string, cap: number) => mdLine(text, scaled(cap, scale));
  const failures = capList(view.tally?.failures ?? [], BATCH_FAILURES_SHOWN);
  const tone = view.tally?.failed ? 'attention' : view.tally ? 'good' : 'neutral';

  return expand(template, {
    fallbackText: fallback(`Batch enrolment ${view.batchId}: ${view.stateLabel}`),
    batchId: line(view.batchId, 40),
    stateLabel: line(view.stateLabel, 120),
    headerStyle: TONE_STYLES[tone],
    sandboxNote: line(view.sandboxNote ?? '', 200),
    requester: line(view.requester, 120),
    reason: mdBlock(view.reason ?? '', scaled(1000, scale, 60)),
    readyCount: String(view.readyCount),
    blockedCount: String(view.blockedCount),
    readyRows: rowLines(view.readyRows, scale),
    blockedRows: rowLines(view.blockedRows, scale),
    selfApprovalNote: line(view.selfApprovalNote ?? '', 300),
    pushNote: line(view.pushNote ?? '', 300),
    progress: view.progress ? `Sending: ${view.progress.done} of ${view.progress.total} done` : '',
    tally: {
      sent: String(view.tally?.sent ?? 0),
      alreadyEnrolled: String(view.tally?.alreadyEnrolled ?? 0),
      failed: String(view.tally?.failed ?? 0),
    },
    failures: [
      ...failures.shown.map((f) => line(f, 200)),
      ...(failures.more ? [failures.more] : []),
    ],
    decision: decisionData(view.decision, scale),
    actionable: view.actionable,
    verbs: ACTION_VERBS,
    show: {
      sandbox: Boolean(view.sandboxNote),
      reason: Boolean(view.reason),
      ready: view.readyRows.length > 0,
      blocked: view.blockedRows.length > 0,
      selfApproval: Boolean(view.selfApprovalNote),
      push: Boolean(view.pushNote),
      progress: Boolean(view.progress),
      tally: Boolean(view.tally),
      decision: Boolean(view.decision),
      comment: Boolean(view.decision?.comment),
    },
  });
}
