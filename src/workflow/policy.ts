/**
 * Who may decide on a request, checked at the moment of the click against the directory and
 * failing closed: an unreachable directory or an unconfigured approver group means nobody can.
 */
import type { CombinedDirectory, DirectoryRecord, GroupIdsBySource } from '../directory/types.js';
import { DirectoryUnavailableError } from '../errors.js';
import type { ActorRef, EnrolmentRequest } from './types.js';

/** The answer to "may this person approve or deny this request?". */
export type ApproverVerdict = { ok: true; selfApproval: boolean } | { ok: false; reason: string };

export interface ApproverPolicy {
  directory: CombinedDirectory;
  approverGroup: GroupIdsBySource;
  /** Simulator-only demo switch: the requester may approve their own request. */
  demoSelfApproval: boolean;
}

/** The policy as the workflow's configuration sets it. */
export function approverPolicy(deps: {
  directory: CombinedDirectory;
  config: { approverGroup: GroupIdsBySource; demoSelfApproval: boolean };
}): ApproverPolicy {
  return {
    directory: deps.directory,
    approverGroup: deps.config.approverGroup,
    demoSelfApproval: deps.config.demoSelfApproval,
  };
}

/** Decide whether `record` (the clicking user, resolved now) may approve or deny `request`. */
export async function mayDecide(
  policy: ApproverPolicy,
  actor: ActorRef,
  record: DirectoryRecord | undefined,
  request: EnrolmentRequest,
): Promise<ApproverVerdict> {
  if (!record) {
    return {
      ok: false,
      reason: 'I cannot find you in the directory, so I cannot accept your decision',
    };
  }

  const group = policy.approverGroup[record.source];
  if (!group) {
    return {
      ok: false,
      reason: 'no approver group is configured (APPROVER_GROUP), so nobody can approve',
    };
  }

  let member: boolean;
  try {
    member = await policy.directory.isMember(record, policy.approverGroup);
  } catch (err) {
    if (err instanceof DirectoryUnavailableError) {
      return {
        ok: false,
        reason: 'the directory cannot be reached, so approvals are paused; try again shortly',
      };
    }
    throw err;
  }
  if (!member)
    return { ok: false, reason: 'only members of the approver group can approve or deny requests' };

  if (isRequester(actor, record, request)) {
    if (policy.demoSelfApproval) return { ok: true, selfApproval: true };

    return { ok: false, reason: 'you asked for this enrolment, so another approver must decide' };
  }

  return { ok: true, selfApproval: false };
}

/** The requester, recognised by directory id or by chat identity. */
export function isRequester(
  actor: ActorRef,
  record: DirectoryRecord | undefined,
  request: EnrolmentRequest,
): boolean {
  const byDirectory =
    !!record &&
    !!request.requester.directoryId &&
    record.id.toLowerCase() === request.requester.directoryId.toLowerCase();
  const byChat =
    actor.platform === request.requester.platform &&
    actor.platformUserId === request.requester.platformUserId;

  return byDirectory || byChat;
}
