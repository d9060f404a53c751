/**
 * Turning "enrol contractor X by M" into a stored request: find the contractor, run every check,
 * ask Duo what it already knows, and store the request as pending approval or rejected.
 */
import type { DirectoryRecord } from '../directory/types.js';
import { duoView, type DuoView } from '../duo/enrol.js';
import {
  DirectoryUnavailableError,
  DuoApiError,
  DuoRateLimitError,
  DuoUnavailableError,
} from '../errors.js';
import { requestLogger } from '../logging.js';
import { checkContractor } from './checks.js';
import { announce, type WorkflowDeps } from './deps.js';
import type {
  ActorRef,
  CheckResult,
  ConversationHandle,
  Decision,
  EnrolMethod,
  EnrolmentRequest,
} from './types.js';

/** One person asking for one contractor. */
export interface EnrolInput {
  requester: ActorRef;
  requesterRecord: DirectoryRecord;
  who: string;
  method: EnrolMethod;
  reason?: string;
  origin?: ConversationHandle;
  batchId?: string;
  /** Batches skip the per-request limit: the batch counted once. */
  skipRequestLimit?: boolean;
  /** Checks made by the caller (a CSV row's own e-mail or phone against the directory). */
  extraChecks?: CheckResult[];
  /** A resend of this request (its link expired unused). */
  resendOf?: string;
  /** Store it approved by this decision (RESEND_NEEDS_APPROVAL=false); only when every check passed. */
  preApproved?: Decision;
}

/** What happened to an enrolment ask; the bot turns each into words. */
export type EnrolOutcome =
  | { kind: 'not_found'; who: string }
  | { kind: 'ambiguous'; who: string; matches: DirectoryRecord[] }
  | { kind: 'directory_unavailable'; message: string }
  | { kind: 'duo_unavailable'; message: string; rateLimited?: boolean }
  | { kind: 'limit'; message: string }
  | { kind: 'duplicate'; request: EnrolmentRequest }
  | { kind: 'already_enrolled'; record: DirectoryRecord; view: DuoView }
  | { kind: 'rejected'; request: EnrolmentRequest }
  | { kind: 'pending'; request: EnrolmentRequest };

/** States in which a contractor already has a request on its way. */
const OPEN_STATES = ['pending_approval', 'approved', 'sending'];

/**
 * Waiting, being sent, or sent with a link that may still be used: a second request would send a
 * second SMS or e-mail to the same person. A lapsed link is what `resend` is for.
 */
function stillOpen(request: EnrolmentRequest, now: Date): boolean {
  if (OPEN_STATES.includes(request.state)) return true;
  const until = request.progress.validUntil;

  return request.state === 'sent' && !(until && until <= now.toISOString());
}

/** Ask for one enrolment. Nothing is stored unless a contractor was identified. */
export async function requestEnrolment(
  deps: WorkflowDeps,
  input: EnrolInput,
): Promise<EnrolOutcome> {
  const limited = await overRequestLimit(deps, input);
  if (limited) return limited;

  let matches: DirectoryRecord[];
  try {
    matches = await deps.directory.find(input.who);
  } catch (err) {
    if (err instanceof DirectoryUnavailableError) return unavailable(deps, err);
    throw err;
  }
  if (matches.length === 0) return { kind: 'not_found', who: input.who };
  if (matches.length > 1) return { kind: 'ambiguous', who: input.who, matches };

  return requestFor(deps, input, matches[0]!);
}

/** Ask for one enrolment of a record already found (batches, picks from a list). */
export async function requestFor(
  deps: WorkflowDeps,
  input: EnrolInput,
  record: DirectoryRecord,
): Promise<EnrolOutcome> {
  const asked = deps.now();
  const [open] = deps.store.byContractor(
    record.username,
    (r) => stillOpen(r, asked) && r.contractor.directory === record.source,
  );
  if (open) return { kind: 'duplicate', request: open };

  const now = deps.now();
  let outcome;
  let duo: DuoView;
  try {
    outcome = await checkContractor(
      {
        directory: deps.directory,
        contractorGroup: deps.config.contractorGroup,
        requesterGroup: deps.config.requesterGroup,
        defaultPhoneRegion: deps.config.defaultPhoneRegion,
        now,
      },
      record,
      input.requesterRecord,
      input.method,
    );
    duo = await duoView(deps.duo, record.duoUsername, {
      aliases: aliasesOf(record),
      directoryMobiles: record.mobiles.map((m) => m.value),
    });
  } catch (err) {
    if (err instanceof DirectoryUnavailableError) return unavailable(deps, err);
    if (err instanceof DuoUnavailableError || err instanceof DuoApiError) {
      deps.logger.warn({ err }, 'duo_check_failed');

      return {
        kind: 'duo_unavailable',
        message: `Duo could not be asked about ${record.username} (${err.message}); nothing was requested, try again shortly`,
        rateLimited: err instanceof DuoRateLimitError,
      };
    }
    throw err;
  }

  if (input.extraChecks?.length) {
    outcome.checks.push(...input.extraChecks);
    outcome.ok &&= input.extraChecks.every((c) => c.ok);
  }
  if (outcome.ok && duo.alreadyEnrolled) return { kind: 'already_enrolled', record, view: duo };
  const preApproved = outcome.ok ? input.preApproved : undefined;

  const warnings = [...outcome.warnings];
  if (duo.statusWarning) warnings.push(duo.statusWarning);
  const request = await deps.store.create(
    {
      state: preApproved ? 'approved' : outcome.ok ? 'pending_approval' : 'rejected',
      requester: input.requester,
      contractor: {
        directory: record.source,
        directoryId: record.id,
        username: record.username,
        displayName: record.displayName,
        duoUsername: record.duoUsername,
        expiresAt: record.expiresAt?.toISOString(),
      },
      method: input.method,
      destination: outcome.destination,
      destinationAttribute: outcome.destinationAttribute,
      reason: input.reason,
      checks: outcome.checks,
      warnings,
      approvals: preApproved ? [preApproved] : [],
      decision: preApproved,
      resendOf: input.resendOf,
      progress: {},
      origin: input.origin,
      batchId: input.batchId,
      sandbox: deps.config.duo.simulator,
    },
    {
      actor: input.requester,
      action: outcome.ok ? 'requested' : 'rejected',
      detail: outcome.ok
        ? `${input.method} to ${outcome.maskedDestination}`
        : outcome.checks
            .filter((c) => !c.ok)
            .map((c) => c.name)
            .join(', '),
    },
  );
  requestLogger(deps.logger, request.id).info(
    { state: request.state, method: request.method, contractor: record.username },
    'request_created',
  );
  if (!input.batchId) await announce(deps, request, outcome.ok ? 'created' : 'rejected');

  return outcome.ok ? { kind: 'pending', request } : { kind: 'rejected', request };
}

/** Other names Duo may know the contractor by. */
export function aliasesOf(record: DirectoryRecord): string[] {
  const names = [record.username, record.userPrincipalName, record.emails[0]?.value];

  return [...new Set(names.filter((n): n is string => !!n && n !== record.duoUsername))];
}

async function overRequestLimit(
  deps: WorkflowDeps,
  input: EnrolInput,
): Promise<EnrolOutcome | undefined> {
  if (input.skipRequestLimit) return undefined;

  const key = `limit:requests:${input.requester.platform}:${input.requester.platformUserId}`;
  const count = await deps.store.incrementMeta(key, 1, { ttlMs: 3_600_000 });
  const max = deps.config.limits.maxRequestsPerHour;
  if (count <= max) return undefined;

  deps.logger.warn({ requester: input.requester.platformUserId, max }, 'request_limit_reached');

  return {
    kind: 'limit',
    message: `you have made ${max} requests in the last hour, the most allowed (MAX_REQUESTS_PER_HOUR); try again later`,
  };
}

function unavailable(deps: WorkflowDeps, err: DirectoryUnavailableError): EnrolOutcome {
  deps.logger.warn({ err }, 'directory_unavailable');

  return {
    kind: 'directory_unavailable',
    message: `the directory (${err.directory}) cannot be reached right now, so nothing was requested; try again shortly`,
  };
}
