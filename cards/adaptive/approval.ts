/**
 * The approval card for one contractor, in every state of its life.
 */
import { CHECK_MARKS, METHOD_LABELS, stateTone } from '../labels.js';
import { scaled } from '../text.js';
import { ACTION_VERBS, type ApprovalView } from '../views.js';
import { capList, decisionData, fallback, TONE_COLOURS, TONE_STYLES } from './common.js';
import { mdBlock, mdLine } from './escape.js';
import { expand } from './expand.js';
import template from './templates/approval.json' with { type: 'json' };

const MAX_CHECKS = 12;
const MAX_WARNINGS = 8;

/** Fills the approval template; `scale` shortens every text cap when the card must shrink. */
export function approvalCard(view: ApprovalView, scale = 1): Record<string, unknown> {
  const line = (text: string, cap: number) => mdLine(text, scaled(cap, scale));
  const tone = stateTone(view.state);
  const checks = capList(view.checks, MAX_CHECKS);
  const warnings = capList(view.warnings, MAX_WARNINGS);
  const destination = view.destinationAttribute
    ? `${line(view.maskedDestination, 80)} (from ${line(view.destinationAttribute, 60)})`
    : line(view.maskedDestination, 80);
  const resultTone = view.result?.ok ? 'good' : 'attention';

  return expand(template, {
    fallbackText: fallback(`Enrolment request ${view.requestId}: ${view.stateLabel}`),
    requestId: line(view.requestId, 40),
    stateLabel: line(view.stateLabel, 120),
    headerStyle: TONE_STYLES[tone],
    stateColour: TONE_COLOURS[tone],
    sandboxNote: line(view.sandboxNote ?? '', 200),
    requester: line(view.requester, 120),
    contractor: `${line(view.contractorName, 120)} (${line(view.contractorUsername, 120)})`,
    directory: line(view.directory, 80),
    methodLabel: METHOD_LABELS[view.method],
    destination,
    reason: mdBlock(view.reason ?? '', scaled(1000, scale, 60)),
    quorum: line(view.quorum ?? '', 80),
    checks: [
      ...checks.shown.map((c) => ({
        mark: c.ok ? CHECK_MARKS.ok : CHECK_MARKS.failed,
        text: line(c.text, 300),
        colour: c.ok ? 'Good' : 'Attention',
      })),
      ...(checks.more ? [{ mark: '', text: checks.more, colour: 'Default' }] : []),
    ],
    warnings: [
      ...warnings.shown.map((w) => line(w, 300)),
      ...(warnings.more ? [warnings.more] : []),
    ],
    selfApprovalNote: line(view.selfApprovalNote ?? '', 300),
    pushNote: line(view.pushNote ?? '', 300),
    decision: decisionData(view.decision, scale),
    result: {
      text: view.result ? mdBlock(view.result.text, scaled(600, scale, 60)) : '',
      colour: TONE_COLOURS[resultTone],
    },
    actionable: view.actionable,
    verbs: ACTION_VERBS,
    show: {
      sandbox: Boolean(view.sandboxNote),
      reason: Boolean(view.reason),
      quorum: Boolean(view.quorum),
      checks: view.checks.length > 0,
      selfApproval: Boolean(view.selfApprovalNote),
      push: Boolean(view.pushNote),
      decision: Boolean(view.decision),
      comment: Boolean(view.decision?.comment),
      result: Boolean(view.result),
    },
  });
}
