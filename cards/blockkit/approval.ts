/**
 * The approval message for one contractor, in every state of its life.
 */
import { CHECK_MARKS, METHOD_LABELS } from '../labels.js';
import { scaled, shortText } from '../text.js';
import { ACTION_VERBS, type ApprovalView } from '../views.js';
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

const MAX_CHECKS = 12;
const MAX_WARNINGS = 8;

/** Approve and Deny; Deny opens the reason modal in the adapter, so it needs no confirm here. */
function decisionButtons(view: ApprovalView): Block[] {
  const who = shortText(`${view.contractorName} (${view.contractorUsername})`, 120);

  return [
    {
      type: 'actions',
      block_id: 'enrol.decision',
      elements: [
        {
          type: 'button',
          action_id: ACTION_VERBS.approve,
          text: plain('Approve', SLACK_LIMITS.buttonText),
          style: 'primary',
          value: view.requestId.slice(0, SLACK_LIMITS.buttonValue),
          confirm: {
            title: plain(`Approve ${view.requestId}?`, SLACK_LIMITS.confirmTitle),
            text: plain(
              `${METHOD_LABELS[view.method]} for ${who} to ${view.maskedDestination}.`,
              SLACK_LIMITS.confirmText,
            ),
            confirm: plain('Approve', SLACK_LIMITS.confirmButton),
            deny: plain('Back', SLACK_LIMITS.confirmButton),
          },
        },
        {
          type: 'button',
          action_id: ACTION_VERBS.deny,
          text: plain('Deny', SLACK_LIMITS.buttonText),
          style: 'danger',
          value: view.requestId.slice(0, SLACK_LIMITS.buttonValue),
        },
      ],
    },
  ];
}

/** Renders the approval view as Block Kit; `scale` shortens every text cap when it must shrink. */
export function approvalMessage(view: ApprovalView, scale = 1): BlockKitMessage {
  const line = (text: string, cap: number) => mrkdwnLine(text, scaled(cap, scale));
  const destination = view.destinationAttribute
    ? `${line(view.maskedDestination, 80)} (from ${line(view.destinationAttribute, 60)})`
    : line(view.maskedDestination, 80);
  const checks = view.checks.map(
    (c) => `${c.ok ? CHECK_MARKS.ok : CHECK_MARKS.failed} ${line(c.text, 200)}`,
  );
  const warnings = view.warnings.map((w) => `:warning: ${line(w, 200)}`);
  const result = view.result
    ? `${view.result.ok ? ':white_check_mark:' : ':x:'} *${mrkdwnBlock(view.result.text, scaled(600, scale, 60))}*`
    : '';

  const blocks: Block[] = [
    header(`Enrolment request ${view.requestId}`),
    ...context(
      `*${line(view.stateLabel, 120)}*`,
      view.sandboxNote ? `:test_tube: ${line(view.sandboxNote, 200)}` : '',
    ),
    ...fields([
      ['Requested by', line(view.requester, 120)],
      ['Contractor', `${line(view.contractorName, 120)} (${line(view.contractorUsername, 120)})`],
      ['Directory', line(view.directory, 80)],
      ['Method', METHOD_LABELS[view.method]],
      ['Destination', destination],
      ['Approvals', line(view.quorum ?? '', 80)],
    ]),
    ...section(view.reason ? `*Reason*\n${mrkdwnBlock(view.reason, scaled(1000, scale, 60))}` : ''),
    ...section(checks.length ? `*Checks*\n${capLines(checks, MAX_CHECKS).join('\n')}` : ''),
    ...section(capLines(warnings, MAX_WARNINGS).join('\n')),
    ...context(
      view.selfApprovalNote ? `:warning: ${line(view.selfApprovalNote, 300)}` : '',
      view.pushNote ? `:iphone: ${line(view.pushNote, 300)}` : '',
    ),
    ...decisionBlocks(view.decision, scale),
    ...section(result),
    ...(view.actionable ? decisionButtons(view) : []),
  ];

  const who = mrkdwnLine(`${view.contractorName} (${view.contractorUsername})`, 150);
  return {
    text: `Enrolment request ${view.requestId} for ${who}: ${line(view.stateLabel, 120)}`,
    blocks,
  };
}
