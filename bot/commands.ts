/**
 * What a chat message means, as the parser hands it to the bot. Every message becomes exactly one
 * Command; anything the parser cannot read becomes `unknown` with a hint to show the person.
 */
import type { EnrolMethod } from '../src/workflow/types.js';

/**
 * Whom an enrolment request is for, exactly as the requester named them (not yet resolved).
 * A `list` always holds two or more distinct names; `contractors jdoe` is read as `one`.
 */
export type EnrolTarget =
  { type: 'one'; who: string } | { type: 'list'; who: string[] } | { type: 'group'; group: string };

/** `enrol contractor jdoe by sms because ...`, and its list and group forms. */
export interface EnrolCommand {
  kind: 'enrol';
  target: EnrolTarget;
  method: EnrolMethod;
  /** At most MAX_REASON_LENGTH characters; absent when no `because` was given. */
  reason?: string;
}

/** A bare `enrol`: the bot answers with a form to fill in. */
export interface EnrolFormCommand {
  kind: 'enrol_form';
}

/** `status jdoe` or `status REQ-7`: exactly one of the two is set. */
export interface StatusCommand {
  kind: 'status';
  who?: string;
  requestId?: string;
}

/** Commands that act on one stored request, named by its id (`REQ-7`). */
export interface RequestActionCommand {
  kind: 'cancel' | 'resend' | 'revoke' | 'retry';
  requestId: string;
}

/** `audit` or `audit 30`: the audit log of the last `days` days as a CSV file. */
export interface AuditCommand {
  kind: 'audit';
  days?: number;
}

/** Anything else; `hint` is a short, fixed sentence safe to show as it is (never user text). */
export interface UnknownCommand {
  kind: 'unknown';
  hint: string;
}

/** Every meaning a message can have. */
export type Command =
  | EnrolCommand
  | EnrolFormCommand
  | StatusCommand
  | { kind: 'pending' }
  | { kind: 'my_requests' }
  | { kind: 'help' }
  | RequestActionCommand
  | AuditCommand
  | UnknownCommand;

/** The longest reason kept from `because ...`, in characters (code points). */
export const MAX_REASON_LENGTH = 500;

/** The longest name kept for one contractor or group. */
export const MAX_WHO_LENGTH = 256;

/** The largest `audit` window, in days (ten years). */
export const MAX_AUDIT_DAYS = 3650;
