/**
 * Pieces the approval and batch cards share: colours for tones, the decision block, list caps.
 */
import { OUTCOME_LABELS, type Tone } from '../labels.js';
import { shortText } from '../text.js';
import type { ApprovalView } from '../views.js';
import { mdBlock, mdLine } from './escape.js';

/** Adaptive Card text colour for a tone. */
export const TONE_COLOURS: Record<Tone, string> = {
  good: 'Good',
  attention: 'Attention',
  waiting: 'Accent',
  neutral: 'Default',
};

/** Adaptive Card container style for a tone. */
export const TONE_STYLES: Record<Tone, string> = {
  good: 'good',
  attention: 'attention',
  waiting: 'emphasis',
  neutral: 'default',
};

/** The decision as template data: outcome words, who, when, and the escaped comment. */
export function decisionData(decision: ApprovalView['decision'], scale: number) {
  if (!decision) return { outcome: '', by: '', at: '', comment: '' };

  return {
    outcome: OUTCOME_LABELS[decision.outcome],
    by: mdLine(decision.by, Math.max(40, 120 * scale)),
    at: mdLine(decision.at, 60),
    comment: decision.comment ? mdBlock(decision.comment, Math.max(60, 1000 * scale)) : '',
  };
}

/** Keeps the first `max` items and says how many were left out, so a long list cannot flood a card. */
export function capList<T>(items: T[], max: number): { shown: T[]; more: string } {
  const hidden = items.length - max;
  return {
    shown: items.slice(0, max),
    more: hidden > 0 ? `…and ${hidden} more` : '',
  };
}

/** Plain text for notifications and screen readers; no markdown is rendered there. */
export function fallback(text: string): string {
  return shortText(text, 300);
}
