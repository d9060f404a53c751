/**
 * Blocks the Slack renderings share: header, facts, decision, lists with "…and N more".
 */
import { OUTCOME_LABELS } from '../labels.js';
import { scaled } from '../text.js';
import type { ApprovalView } from '../views.js';
import { fitEscaped, mrkdwn, mrkdwnBlock, mrkdwnLine, plain } from './escape.js';
import { SLACK_LIMITS } from './limits.js';

/** A loosely typed block: the adapters hand these to the Web API as they are. */
export type Block = Record<string, unknown>;

/** A header block; header text is plain, so user text cannot carry markup into it. */
export function header(text: string): Block {
  return { type: 'header', text: plain(text, SLACK_LIMITS.headerText) };
}

/** A context block from already-escaped mrkdwn strings, skipping empty ones. */
export function context(...texts: string[]): Block[] {
  const elements = texts.filter(Boolean).slice(0, SLACK_LIMITS.contextElements).map(mrkdwn);
  return elements.length ? [{ type: 'context', elements }] : [];
}

/** A section of label/value fields; values must already be escaped. Empty values are skipped. */
export function fields(pairs: [string, string][]): Block[] {
  const shown = pairs.filter(([, value]) => value !== '').slice(0, SLACK_LIMITS.sectionFields);
  if (!shown.length) return [];

  return [
    {
      type: 'section',
      fields: shown.map(([label, value]) =>
        mrkdwn(fitEscaped(`*${label}*\n${value}`, SLACK_LIMITS.fieldText)),
      ),
    },
  ];
}

/** A section of mrkdwn text (already escaped), capped at Slack's section limit. */
export function section(text: string): Block[] {
  return text
    ? [{ type: 'section', text: mrkdwn(fitEscaped(text, SLACK_LIMITS.sectionText)) }]
    : [];
}

/** The decision as fields: outcome, who, when and the comment. */
export function decisionBlocks(decision: ApprovalView['decision'], scale: number): Block[] {
  if (!decision) return [];

  return [
    { type: 'divider' },
    ...fields([
      ['Decision', OUTCOME_LABELS[decision.outcome]],
      ['By', mrkdwnLine(decision.by, scaled(120, scale))],
      ['At', mrkdwnLine(decision.at, 60)],
      ['Comment', decision.comment ? mrkdwnBlock(decision.comment, scaled(1000, scale, 60)) : ''],
    ]),
  ];
}

/** Keeps the first `max` lines and says how many were left out. */
export function capLines(lines: string[], max: number): string[] {
  const hidden = lines.length - max;
  return hidden > 0 ? [...lines.slice(0, max), `…and ${hidden} more`] : lines;
}
