/**
 * The check of each stored record before the bot trusts the store. A hand-edited or damaged
 * record that passed would fail later, mid-command or mid-send, where nobody can tell why; worse,
 * a request moved past approval by hand would be sent with no approval on record. So the shape
 * the code relies on is checked once, at start-up, and a record that breaks it stops the bot with
 * a message naming the record and the field.
 *
 * The checks run on thousands of records at every start, so they allocate nothing on the way:
 * each returns undefined when all is well, and a Problem only when something is wrong.
 */
import type { RequestState } from '../workflow/types.js';

/** Reports what is wrong with the file; never returns. */
export type Fail = (what: string) => never;

/** What is wrong under a field: the rest of its path, what was found and what was expected. */
export interface Problem {
  at: string;
  found: unknown;
  want: string;
  /** Print the value found (only for enumerations, so no phone number or e-mail is echoed). */
  showValue?: boolean;
}

const METHODS: readonly unknown[] = ['sms', 'email'];
const OUTCOMES: readonly unknown[] = ['approved', 'denied'];

/** States only an approval leads to (see stateMachine.ts): pending_approval → approved → … */
const APPROVED_STATES: ReadonlySet<unknown> = new Set<RequestState>([
  'approved',
  'sending',
  'sent',
  'activated',
  'link_expired',
]);

/** States reached after an approved send, or by the bot refusing one; only the former sends. */
const SEND_OUTCOME_STATES: ReadonlySet<unknown> = new Set<RequestState>([
  'failed',
  'needs_attention',
]);

/** States in which an SMS or e-mail may already have gone out. */
const MAY_HAVE_SENT: ReadonlySet<unknown> = new Set<RequestState>([
  'sent',
  'activated',
  'link_expired',
  'failed',
  'needs_attention',
]);

const CONTRACTOR_TEXT = ['directory', 'directoryId', 'username', 'displayName', 'duoUsername'];

/**
 * Check one request whose id, state and version are already known to be sound: the shape the
 * code relies on, and that a request past approval carries the approval that moved it there.
 */
export function checkRequest(request: Record<string, unknown>, id: string, fail: Fail): void {
  check(id, 'requester', actorProblem(request.requester), fail);
  check(id, 'contractor', contractorProblem(request.contractor), fail);
  check(id, 'method', oneOf(request.method, METHODS, 'sms or email'), fail);
  check(id, 'destination', optionalText(request.destination), fail);
  check(id, 'checks', list(request.checks), fail);
  check(id, 'warnings', list(request.warnings), fail);
  check(id, 'progress', object(request.progress), fail);
  check(id, 'createdAt', text(request.createdAt), fail);
  check(id, 'updatedAt', text(request.updatedAt), fail);
  if (typeof request.sandbox !== 'boolean') {
    report(id, 'sandbox', { at: '', found: request.sandbox, want: 'true or false' }, fail);
  }

  const approvals = request.approvals;
  check(id, 'approvals', list(approvals), fail);
  for (let index = 0; index < (approvals as unknown[]).length; index += 1) {
    const problem = decisionProblem((approvals as unknown[])[index]);
    if (problem) report(id, `approvals[${index}]`, problem, fail);
  }
  if (request.decision !== undefined) {
    check(id, 'decision', decisionProblem(request.decision), fail);
  }

  checkApproval(request, id, fail);
}

/**
 * A request that only an approval leads to must carry the approving decision; without it the
 * start-up recovery would finish a send nobody approved. `failed` and `needs_attention` follow a
 * send, so they need one too once the send has left a trace in `progress`.
 */
function checkApproval(request: Record<string, unknown>, id: string, fail: Fail): void {
  const state = request.state;
  const needed =
    APPROVED_STATES.has(state) ||
    (SEND_OUTCOME_STATES.has(state) && hasKeys(request.progress as object));
  if (!needed || (request.decision as { outcome?: unknown } | undefined)?.outcome === 'approved') {
    return;
  }

  const progress = request.progress as { sendStartedAt?: unknown };
  // Back to pending_approval is safe only while nothing can have been sent: otherwise a later
  // approval would send the contractor a second link.
  const advice =
    MAY_HAVE_SENT.has(state) || progress.sendStartedAt !== undefined
      ? 'will not act on it. A link may already have gone out, so restore the file from a ' +
        'backup rather than setting its state back to pending_approval'
      : 'will not send it. Restore the file from a backup, or set its state back to ' +
        'pending_approval';
  fail(`has ${id} in state ${String(state)} but no approval is recorded; the bot ${advice}`);
}

/** A person who did something (ActorRef), or what is wrong with it. */
export function actorProblem(value: unknown): Problem | undefined {
  if (!isObject(value)) return { at: '', found: value, want: 'an object' };
  if (typeof value.platform !== 'string') return textProblem('.platform', value.platform);
  if (typeof value.platformUserId !== 'string') {
    return textProblem('.platformUserId', value.platformUserId);
  }
  if (typeof value.displayName !== 'string') return textProblem('.displayName', value.displayName);
  if (value.login !== undefined && typeof value.login !== 'string') {
    return textProblem('.login', value.login);
  }
  if (value.directoryId !== undefined && typeof value.directoryId !== 'string') {
    return textProblem('.directoryId', value.directoryId);
  }

  return undefined;
}

/** An approver's decision (Decision), or what is wrong with it. */
export function decisionProblem(value: unknown): Problem | undefined {
  if (!isObject(value)) return { at: '', found: value, want: 'an object' };
  const outcome = oneOf(value.outcome, OUTCOMES, 'approved or denied');
  if (outcome) return { ...outcome, at: '.outcome' };
  if (typeof value.at !== 'string') return textProblem('.at', value.at);
  const by = actorProblem(value.by);

  return by && { ...by, at: `.by${by.at}` };
}

function contractorProblem(value: unknown): Problem | undefined {
  if (!isObject(value)) return { at: '', found: value, want: 'an object' };
  for (const key of CONTRACTOR_TEXT) {
    if (typeof value[key] !== 'string') return textProblem(`.${key}`, value[key]);
  }
  if (value.expiresAt !== undefined && typeof value.expiresAt !== 'string') {
    return textProblem('.expiresAt', value.expiresAt);
  }

  return undefined;
}

/** Fail with the problem of `field` of the record `id`, if there is one. */
export function check(id: string, field: string, problem: Problem | undefined, fail: Fail): void {
  if (problem) report(id, field, problem, fail);
}

function report(id: string, field: string, problem: Problem, fail: Fail): never {
  const path = `"${field}${problem.at}"`;
  if (problem.found === undefined) return fail(`has ${id} without ${path}`);

  const found =
    problem.showValue && typeof problem.found === 'string'
      ? JSON.stringify(problem.found.slice(0, 40))
      : kind(problem.found);

  return fail(`has ${id} whose ${path} is ${found}, not ${problem.want}`);
}

/** Text, or the problem with it. */
export function text(value: unknown): Problem | undefined {
  return typeof value === 'string' ? undefined : textProblem('', value);
}

function optionalText(value: unknown): Problem | undefined {
  return value === undefined ? undefined : text(value);
}

function textProblem(at: string, found: unknown): Problem {
  return { at, found, want: 'text' };
}

/** One of `allowed`, or the problem with it; the value is echoed, being a word from a list. */
export function oneOf(value: unknown, allowed: readonly unknown[], want: string) {
  return allowed.includes(value) ? undefined : { at: '', found: value, want, showValue: true };
}

/** A list, or the problem with it. */
export function list(value: unknown): Problem | undefined {
  return Array.isArray(value) ? undefined : { at: '', found: value, want: 'a list' };
}

function object(value: unknown): Problem | undefined {
  return isObject(value) ? undefined : { at: '', found: value, want: 'an object' };
}

function hasKeys(value: object): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return true;

  return false;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'boolean') return 'true/false';

  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A JSON object (not null, not a list). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
