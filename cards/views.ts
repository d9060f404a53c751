/**
 * Platform-neutral view models. The bot builds these; `cards/adaptive/*` turns them into Adaptive
 * Cards for Teams and `cards/blockkit/*` into Block Kit for Slack. All strings here are plain user
 * text: each renderer escapes them for its own platform.
 */
import type { EnrolMethod, RequestState } from '../src/workflow/types.js';

/** A line in a checklist: what was checked and how it came out. */
export interface CheckLine {
  ok: boolean;
  text: string;
}

/** The approval card for one contractor, in every state of its life. */
export interface ApprovalView {
  kind: 'approval';
  requestId: string;
  state: RequestState;
  /** Plain words for the state: "Waiting for approval", "Activation SMS sent"... */
  stateLabel: string;
  requester: string;
  contractorName: string;
  contractorUsername: string;
  directory: string;
  method: EnrolMethod;
  /** `+44 •••• ••3456` or `j•••@contractorco.example`. */
  maskedDestination: string;
  destinationAttribute?: string;
  reason?: string;
  checks: CheckLine[];
  warnings: string[];
  /** Show Approve and Deny (only while pending, and only to approvers where the platform can tell). */
  actionable: boolean;
  /** Approvals so far when a quorum is needed, e.g. "1 of 2 approvals". */
  quorum?: string;
  decision?: {
    outcome: 'approved' | 'denied' | 'cancelled' | 'expired';
    by: string;
    at: string;
    comment?: string;
  };
  /** Outcome of the Duo work, e.g. "Activation SMS sent at 14:02 UTC" or "Duo refused: ...". */
  result?: { ok: boolean; text: string };
  /** "sandbox: nothing was sent" when the simulator is in use. */
  sandboxNote?: string;
  /** Shown when the demo switch lets the requester approve their own request. */
  selfApprovalNote?: string;
  /** Waiting for the approver's Duo Push. */
  pushNote?: string;
}

/** One row of a batch card. */
export interface BatchRow {
  username: string;
  displayName: string;
  method: EnrolMethod;
  maskedDestination?: string;
  /** Why it is blocked, or what happened to it. */
  note?: string;
}

/** The approval card for a batch of contractors. */
export interface BatchView {
  kind: 'batch';
  batchId: string;
  stateLabel: string;
  requester: string;
  reason?: string;
  readyCount: number;
  blockedCount: number;
  readyRows: BatchRow[];
  blockedRows: BatchRow[];
  actionable: boolean;
  decision?: ApprovalView['decision'];
  progress?: { done: number; total: number };
  tally?: { sent: number; alreadyEnrolled: number; failed: number; failures: string[] };
  sandboxNote?: string;
  selfApprovalNote?: string;
  /** Waiting for the approver's Duo Push for the whole batch. */
  pushNote?: string;
}

/** Several directory records matched: one button per match. */
export interface ChooseView {
  kind: 'choose';
  question: string;
  options: { label: string; detail: string; command: string }[];
}

/** A titled list of facts, used by status and pending answers. */
export interface InfoView {
  kind: 'info';
  title: string;
  sections: { heading?: string; lines: string[] }[];
}

/** The help card. */
export interface HelpView {
  kind: 'help';
  intro: string;
  commands: { usage: string; description: string }[];
}

/** The request form shown for a bare `enrol`. */
export interface RequestFormView {
  kind: 'form';
  /** Initial choices for the contractor picker (type-ahead fills the rest). */
  contractors: { title: string; value: string }[];
}

export type CardView =
  ApprovalView | BatchView | ChooseView | InfoView | HelpView | RequestFormView;

/** Verbs carried by card actions, shared by both platforms. */
export const ACTION_VERBS = {
  approve: 'enrol.approve',
  deny: 'enrol.deny',
  batchApprove: 'enrol.batch.approve',
  batchDeny: 'enrol.batch.deny',
  choose: 'enrol.choose',
  submitForm: 'enrol.form',
  /** Slack: a button that opens the request form modal (a modal needs a click's trigger_id). */
  openForm: 'enrol.form.open',
  refresh: 'enrol.refresh',
} as const;
