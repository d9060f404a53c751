/**
 * The approval message for a batch: counts, the first rows of each kind, progress, the tally.
 */
import { BATCH_FAILURES_SHOWN, BATCH_ROWS_SHOWN, METHOD_SHORT } from '../labels.js';
import { scaled } from '../text.js';
import { ACTION_VERBS, type BatchRow, type BatchView } from '../views.js';
import {
  capLines,
  context,
  decisionBlocks,
  fields,
  header,
  section,
  type Block,
} from './common.js';
import { mrkdwnBlock, mrkdwnLine, plain } from './escape.js';
import { SLACK_LIMITS, type BlockKitMessage } from './limits.js';

function rowLines(rows: BatchRow[], scale: number): string[] {
  const line = (text: string, cap: number) => mrkdwnLine(text, scaled(cap, scale, 8));
  const lines = rows.slice(0, BATCH_ROWS_SHOWN).map((row) => {
    const where = row.maskedDestination ? ` ${line(row.maskedDestination, 60)}` : '';
    const note = row.note ? `: ${line(row.note, 150)}` : '';
    return `• ${line(row.displayName, 60)} (${line(row.username, 40)}) · ${METHOD_SHORT[row.method]}${where}${note}`;
  });
  const hidden = rows.length - BATCH_ROWS_SHOWN;
  return hidden > 0 ? [...lines, `…and ${hidden} more`] : lines;
}

function batchButtons(view: BatchView): Block[] {
  return [
    {
      type: 'actions',
      block_id: 'enrol.batch.decision',
      elements: [
        {
          type: 'button',
          action_id: ACTION_VERBS.batchApprove,
          text: plain(`Approve ${view.readyCount}`, SLACK_LIMITS.buttonText),
          style: 'primary',
          value: view.batchId.slice(0, SLACK_LIMITS.buttonValue),
          confirm: {
            title: plain(`Approve ${view.batchId}?`, SLACK_LIMITS.confirmTitle),
            text: plain(
              `Send to the ${view.readyCount} ready contractors; the ${view.blockedCount} blocked get nothing.`,
              SLACK_LIMITS.confirmText,
            ),
            confirm: plain('Approve', SLACK_LIMITS.confirmButton),
            deny: plain('Back', SLACK_LIMITS.confirmButton),
          },
        },
        {
          type: 'button',
          action_id: ACTION_VERBS.batchDeny,
          text: plain('Deny', SLACK_LIMITS.buttonText),
          style: 'danger',
          value: view.batchId.slice(0, SLACK_LIMITS.buttonValue),
        },
      ],
    },
  ];
}

/** Renders the batch view as Block Kit; `scale` shortens every text cap when it must shrink. */
export function batchMessage(view: BatchView, scale = 1): BlockKitMessage {
  const line = (text: string, cap: number) => mrkdwnLine(text, scaled(cap, scale));
  const failures = capLines(
    (view.tally?.failures ?? []).map((f) => `✗ ${line(f, 200)}`),
    BATCH_FAILURES_SHOWN,
  );

  const blocks: Block[] = [
    header(`Batch enrolment ${view.batchId}`),
    ...context(
      `*${line(view.stateLabel, 120)}*`,
      view.sandboxNote ? `:test_tube: ${line(view.sandboxNote, 200)}` : '',
    ),
    ...fields([
      ['Requested by', line(view.requester, 120)],
      ['Ready', String(view.readyCount)],
      ['Blocked', String(view.blockedCount)],
    ]),
    ...section(view.reason ? `*Reason*\n${mrkdwnBlock(view.reason, scaled(1000, scale, 60))}` : ''),
    ...section(
      view.readyRows.length ? `*Ready*\n${rowLines(view.readyRows, scale).join('\n')}` : '',
    ),
    ...section(
      view.blockedRows.length ? `*Blocked*\n${rowLines(view.blockedRows, scale).join('\n')}` : '',
    ),
    ...context(
      view.selfApprovalNote ? `:warning: ${line(view.selfApprovalNote, 300)}` : '',
      view.pushNote ? `:iphone: ${line(view.pushNote, 300)}` : '',
    ),
    ...decisionBlocks(view.decision, scale),
    ...section(
      view.progress
        ? `:hourglass_flowing_sand: Sending: ${view.progress.done} of ${view.progress.total} done`
        : '',
    ),
    ...(view.tally
      ? fields([
          ['Sent', String(view.tally.sent)],
          ['Already enrolled', String(view.tally.alreadyEnrolled)],
          ['Failed', String(view.tally.failed)],
        ])
      : []),
    ...section(failures.join('\n')),
    ...(view.actionable ? batchButtons(view) : []),
  ];

  return { text: `Batch enrolment ${view.batchId}: ${line(view.stateLabel, 120)}`, blocks };
}
