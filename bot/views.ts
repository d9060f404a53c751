/** Pure builders from stored requests to the card view models. No clock, no I/O. */
import type { ApprovalView, InfoView } from '../cards/views.js';
import { maskEmail, maskPhone } from '../src/mask.js';
import { stateLabel } from '../src/workflow/stateMachine.js';
import type { EnrolmentRequest } from '../src/workflow/types.js';

/** Settings that change how every approval card reads. */
export interface ViewSettings {
  /** The Duo simulator is in use: every card says nothing was sent. */
  sandbox: boolean;
  approvalsRequired: number;
  /** The simulator-only demo switch is on: the requester may approve their own request. */
  demoSelfApproval?: boolean;
  /** Names of the directories, by source, for "found in Active Directory". */
  directoryNames?: Record<string, string>;
}

export const SANDBOX_NOTE =
  'Sandbox: this bot talks to the built-in Duo simulator, so nothing was sent to anyone.';

/** The masked destination, safe to show where the whole channel sees it. */
export function maskedDestination(request: EnrolmentRequest): string {
  if (!request.destination) return 'none found';

  return request.method === 'sms' ? maskPhone(request.destination) : maskEmail(request.destination);
}

/** The approval card for a request, in whatever state it is. */
export function approvalView(request: EnrolmentRequest, settings: ViewSettings): ApprovalView {
  const pending = request.state === 'pending_approval';
  const selfApproved = request.decision?.outcome === 'approved' && sameRequester(request);
  const view: ApprovalView = {
    kind: 'approval',
    requestId: request.id,
    state: request.state,
    stateLabel: request.revoked
      ? 'Revoked: the send was undone in Duo'
      : stateLabel(request.state, request.method),
    requester: request.requester.displayName,
    contractorName: request.contractor.displayName,
    contractorUsername: request.contractor.username,
    directory:
      settings.directoryNames?.[request.contractor.directory] ?? request.contractor.directory,
    method: request.method,
    maskedDestination: maskedDestination(request),
    destinationAttribute: request.destinationAttribute,
    reason: request.reason,
    checks: request.checks.map((c) => ({ ok: c.ok, text: c.detail })),
    warnings: request.warnings,
    actionable: pending,
  };

  if (settings.approvalsRequired > 1 && pending) {
    view.quorum = `${request.approvals.length} of ${settings.approvalsRequired} approvals`;
  }
  if (request.decision) view.decision = decisionOf(request);
  const result = resultOf(request);
  if (result) view.result = result;
  if (request.sandbox || settings.sandbox) view.sandboxNote = SANDBOX_NOTE;
  if (selfApproved) {
    view.selfApprovalNote =
      'Demo mode: the requester approved their own request. This is only possible with the Duo simulator.';
  } else if (pending && settings.demoSelfApproval) {
    view.selfApprovalNote =
      'Demo mode: the requester may approve this request themselves, because the bot runs on the Duo simulator.';
  }
  if (request.push && pending) {
    view.pushNote = `Waiting for ${request.push.by.displayName} to accept the Duo Push sent to their phone.`;
  }

  return view;
}

function decisionOf(request: EnrolmentRequest): NonNullable<ApprovalView['decision']> {
  const d = request.decision!;
  const outcome =
    request.state === 'cancelled'
      ? 'cancelled'
      : request.state === 'expired'
        ? 'expired'
        : d.outcome;

  return { outcome, by: d.by.displayName, at: time(d.at), comment: d.comment };
}

function resultOf(request: EnrolmentRequest): ApprovalView['result'] | undefined {
  const sms = request.method === 'sms';
  if (request.revoked) {
    return {
      ok: false,
      text: `Revoked by ${request.revoked.by.displayName}: ${request.revoked.detail}`,
    };
  }
  switch (request.state) {
    case 'sent':
      return {
        ok: true,
        text: sms
          ? `Activation SMS sent to ${maskedDestination(request)} at ${time(request.progress.sentAt)}`
          : `Enrolment e-mail sent to ${maskedDestination(request)} at ${time(request.progress.sentAt)}`,
      };
    case 'activated':
      return { ok: true, text: 'The contractor has finished enrolling in Duo.' };
    case 'failed':
    case 'needs_attention':
      return { ok: false, text: request.failure?.message ?? 'The send did not complete.' };
    case 'link_expired':
      return {
        ok: false,
        text: `The link expired unused; say "resend ${request.id}" for a new one.`,
      };
    case 'expired':
      return { ok: false, text: 'Nobody decided in time; ask again if it is still needed.' };
    default:
      return undefined;
  }
}

/** A short status block for one request, used by `status` and `my requests`. */
export function requestLines(request: EnrolmentRequest): string[] {
  const lines = [
    `${request.id}: ${stateLabel(request.state, request.method)} (${request.method.toUpperCase()} to ${maskedDestination(request)})`,
    `requested by ${request.requester.displayName} on ${time(request.createdAt)}`,
  ];
  if (request.decision)
    lines.push(
      `${request.decision.outcome} by ${request.decision.by.displayName} on ${time(request.decision.at)}`,
    );
  if (request.failure) lines.push(request.failure.message);
  if (request.revoked)
    lines.push(`revoked by ${request.revoked.by.displayName}: ${request.revoked.detail}`);
  if (request.offboarded) lines.push(`offboarded: ${request.offboarded.reason}`);
  for (const check of request.checks.filter((c) => !c.ok)) lines.push(`✗ ${check.detail}`);

  return lines;
}

/** An info card listing requests. */
export function requestListView(
  title: string,
  requests: EnrolmentRequest[],
  empty: string,
): InfoView {
  if (requests.length === 0) return { kind: 'info', title, sections: [{ lines: [empty] }] };

  return {
    kind: 'info',
    title,
    sections: requests.slice(-20).map((r) => ({
      heading: `${r.contractor.displayName} (${r.contractor.username})`,
      lines: requestLines(r),
    })),
  };
}

/** "2026-12-04 14:02 UTC" from an ISO time. */
export function time(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : 'unknown time';
}

function sameRequester(request: EnrolmentRequest): boolean {
  const by = request.decision?.by;
  if (!by) return false;

  return (
    by.platform === request.requester.platform &&
    by.platformUserId === request.requester.platformUserId
  );
}

/** Info cards say "nothing was sent" too when the simulator is in use. */
export function withSandboxNote(view: InfoView, settings: ViewSettings): InfoView {
  if (!settings.sandbox) return view;

  return { ...view, sections: [...view.sections, { heading: 'Sandbox', lines: [SANDBOX_NOTE] }] };
}
