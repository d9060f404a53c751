/**
 * Delivers workflow events to people: the approval card is posted or updated wherever it lives,
 * and the requester is told about outcomes in their personal chat. Delivery problems are logged
 * by the workflow's `announce` and never undo a decision.
 */
import type { Logger } from 'pino';
import type { RequestEvent, RequestListener } from '../src/workflow/deps.js';
import type { RequestStore } from '../src/store/requestStore.js';
import type { EnrolmentRequest, Platform } from '../src/workflow/types.js';
import type { ChatGateway } from './ports.js';
import { approvalView, maskedDestination, type ViewSettings } from './views.js';

export interface NotifierDeps {
  store: RequestStore;
  gateways: Partial<Record<Platform, ChatGateway>>;
  settings: ViewSettings;
  logger: Logger;
  /** Batch requests are shown on their batch card instead; called for every batch member event. */
  onBatchMember?: (request: EnrolmentRequest, event: RequestEvent) => Promise<void>;
}

/** Events after which the requester hears from the bot directly. */
const TELL_REQUESTER: Partial<Record<RequestEvent, (r: EnrolmentRequest) => string>> = {
  denied: (r) =>
    `${r.id}: ${r.decision?.by.displayName ?? 'an approver'} denied enrolling ${r.contractor.displayName}` +
    (r.decision?.comment ? ` ("${r.decision.comment}")` : '') +
    '.',
  sent: (r) =>
    r.method === 'sms'
      ? `${r.id}: approved by ${r.decision?.by.displayName}; Duo sent the activation SMS to ${r.contractor.displayName} (${maskedDestination(r)}).`
      : `${r.id}: approved by ${r.decision?.by.displayName}; Duo sent the enrolment e-mail to ${r.contractor.displayName} (${maskedDestination(r)}).`,
  failed: (r) =>
    `${r.id}: enrolling ${r.contractor.displayName} failed: ${r.failure?.message ?? 'unknown reason'}.`,
  needs_attention: (r) =>
    `${r.id}: enrolling ${r.contractor.displayName} needs a person to look: ${r.failure?.message ?? ''}. The security team has been told.`,
  expired: (r) =>
    `${r.id}: nobody approved enrolling ${r.contractor.displayName} in time, so the request expired. Ask again if it is still needed.`,
  activated: (r) => `${r.id}: ${r.contractor.displayName} has finished enrolling in Duo.`,
  link_expired: (r) =>
    `${r.id}: ${r.contractor.displayName} did not use the Duo link before it expired. Say "resend ${r.id}" for a new one.`,
  deferred: (r) =>
    `${r.id}: approved, but the hourly send limit (MAX_SENDS_PER_HOUR) is reached; it will be sent when there is room.`,
  revoked: (r) =>
    `${r.id}: ${r.revoked?.by.displayName ?? 'an approver'} revoked the enrolment of ${r.contractor.displayName}: ${r.revoked?.detail ?? ''}.`,
  push_refused: (r) =>
    `${r.id}: the approver's Duo Push was not accepted, so the request is still waiting for approval.`,
};

/** Events about one batch member that its requester or the approvers still hear of directly. */
const BATCH_PERSONAL: RequestEvent[] = [
  'activated',
  'link_expired',
  'revoked',
  'offboarded',
  // A send in doubt needs a person; the batch card only counts it among the failures.
  'needs_attention',
];

/** Events the approvers' channel hears of. */
const TELL_APPROVERS: Partial<Record<RequestEvent, (r: EnrolmentRequest) => string>> = {
  needs_attention: (r) => `${r.id} needs attention: ${r.failure?.message ?? ''}`,
  reminder: (r) =>
    `Reminder: ${r.id} (${r.contractor.displayName} by ${r.method.toUpperCase()}, asked by ${r.requester.displayName}) still waits for a decision; it expires if nobody decides.`,
  offboarded: (r) =>
    `Offboarding: ${r.contractor.displayName} (${r.contractor.username}, ${r.id}): ${r.offboarded?.reason ?? ''}; ` +
    (r.offboarded?.action === 'disabled'
      ? 'the Duo user the bot created is now disabled.'
      : 'the Duo user the bot created is still active (OFFBOARDING_ACTION=report); disable it in Duo.'),
};

/** Build the workflow listener that renders and delivers each event. */
export function createNotifier(deps: NotifierDeps): RequestListener {
  return async (request, event) => {
    if (request.batchId) {
      await deps.onBatchMember?.(request, event);
      if (!BATCH_PERSONAL.includes(event)) return;
    }

    const gateway = gatewayFor(deps, request);
    if (!gateway) {
      deps.logger.warn({ request_id: request.id, event }, 'no_gateway_for_request');

      return;
    }

    const view = approvalView(request, deps.settings);
    if (event === 'created') {
      const card = await gateway.postApproval(view, request.origin);
      await deps.store.update(request.id, (r) => {
        r.card = card;
      });
    } else if (request.card) {
      await gateway.updateCard(request.card, view);
    }

    const message = TELL_REQUESTER[event]?.(request);
    if (message) await gateway.notify(request.requester, request.origin, { text: message });
    const approvers = TELL_APPROVERS[event]?.(request);
    if (approvers) await gateway.notifyApprovers({ text: approvers });
  };
}

function gatewayFor(deps: NotifierDeps, request: EnrolmentRequest): ChatGateway | undefined {
  const platform = request.card?.platform ?? request.origin?.platform ?? request.requester.platform;

  return deps.gateways[platform];
}
