/**
 * Block Kit for Slack from the platform-neutral view models. Pure: data in, JSON out.
 */
import type { CardView } from '../views.js';
import { approvalMessage } from './approval.js';
import { batchMessage } from './batch.js';
import { chooseMessage } from './choose.js';
import { formMessage } from './form.js';
import { helpMessage } from './help.js';
import { infoMessage } from './info.js';
import { fitToSlack, type BlockKitMessage } from './limits.js';

export { escapeMrkdwn, fitEscaped, mrkdwnBlock, mrkdwnLine } from './escape.js';
export { SLACK_LIMITS, SLACK_TEXT_BUDGET, textLength, type BlockKitMessage } from './limits.js';
export {
  contractorOptions,
  denyModal,
  DENY_MODAL_ID,
  FORM_MODAL_ID,
  MODAL_INPUTS,
  requestFormModal,
  type ContractorOption,
  type RequestFormInitial,
} from './modals.js';

function render(view: CardView, scale: number): BlockKitMessage {
  switch (view.kind) {
    case 'approval':
      return approvalMessage(view, scale);
    case 'batch':
      return batchMessage(view, scale);
    case 'choose':
      return chooseMessage(view, scale);
    case 'info':
      return infoMessage(view, scale);
    case 'help':
      return helpMessage(view, scale);
    case 'form':
      return formMessage(view);
  }
}

/**
 * Renders a view model as a Slack message: `text` for notifications and screen readers (escaped
 * mrkdwn), `blocks` within Block Kit's limits, shortening text if the whole would be too long.
 */
export function toBlockKit(view: CardView): BlockKitMessage {
  return fitToSlack((scale) => render(view, scale));
}
