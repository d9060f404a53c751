/**
 * Adaptive Cards for Teams from the platform-neutral view models. Pure: data in, JSON out.
 */
import type { Tone } from '../labels.js';
import { ACTION_VERBS, type CardView } from '../views.js';
import { approvalCard } from './approval.js';
import { batchCard } from './batch.js';
import { chooseCard } from './choose.js';
import { fitToBudget } from './expand.js';
import { formCard } from './form.js';
import { helpCard } from './help.js';
import { infoCard } from './info.js';
import { noticeCard } from './notice.js';

export { ADAPTIVE_CARD_MAX_BYTES, ADAPTIVE_CARD_VERSION, cardBytes } from './expand.js';
export { CONTRACTOR_DATASET } from './form.js';
export { escapeMarkdown } from './escape.js';

/** Options for {@link toAdaptiveCard}. */
export interface AdaptiveCardOptions {
  /**
   * Teams user ids (`29:…` or AAD object ids) who get a user-specific view: their client asks the
   * bot to refresh the card, so approvers can be shown buttons while everyone else sees the state.
   */
  refreshUserIds?: string[];
}

/** Teams refreshes automatically for at most 60 users per card. */
export const MAX_REFRESH_USERS = 60;

function render(view: CardView, scale: number): Record<string, unknown> {
  switch (view.kind) {
    case 'approval':
      return approvalCard(view, scale);
    case 'batch':
      return batchCard(view, scale);
    case 'choose':
      return chooseCard(view, scale);
    case 'info':
      return infoCard(view, scale);
    case 'help':
      return helpCard(view, scale);
    case 'form':
      return formCard(view, scale);
  }
}

function refreshData(view: CardView): Record<string, string> | undefined {
  if (view.kind === 'approval') return { requestId: view.requestId };
  if (view.kind === 'batch') return { batchId: view.batchId };
  return undefined;
}

/**
 * Renders a view model as an Adaptive Card (schema 1.5, full width), shortening text if needed to
 * stay within Teams' message size. With `refreshUserIds`, approval and batch cards get a `refresh`
 * action so those users' clients fetch their own view of the card.
 */
export function toAdaptiveCard(view: CardView, opts: AdaptiveCardOptions = {}): object {
  const data = refreshData(view);
  const userIds = opts.refreshUserIds?.slice(0, MAX_REFRESH_USERS) ?? [];
  const refresh =
    data && userIds.length > 0
      ? { action: { type: 'Action.Execute', verb: ACTION_VERBS.refresh, data }, userIds }
      : undefined;

  // The refresh is counted inside the budget: 60 user ids weigh a few kilobytes.
  return fitToBudget((scale) => {
    const card = render(view, scale);
    return refresh ? { ...card, refresh } : card;
  });
}

/** A one-line card in a tone's colour, within the same size budget. */
export function toNoticeCard(text: string, tone: Tone = 'neutral'): object {
  return fitToBudget((scale) => noticeCard(text, tone, scale));
}
