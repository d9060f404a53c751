/**
 * The checks made before approval is asked: is this record a contractor the requester may enrol,
 * by this method, to a destination that can work? Every failed check is written so a manager can
 * act on it, and every check is reported, passed or failed, so the approver sees what was verified.
 */
import type { GroupIdsBySource, CombinedDirectory, DirectoryRecord } from '../directory/types.js';
import { normaliseEmail } from '../email.js';
import { maskEmail, maskPhone } from '../mask.js';
import { normalisePhone, type PhoneRefusal } from '../phone.js';
import type { CheckResult, EnrolMethod } from './types.js';

/** What the checks need to know besides the record. */
export interface CheckContext {
  directory: CombinedDirectory;
  contractorGroup: GroupIdsBySource;
  requesterGroup: GroupIdsBySource;
  defaultPhoneRegion?: string;
  now: Date;
}

/** The result of checking one contractor for one method. */
export interface CheckOutcome {
  checks: CheckResult[];
  ok: boolean;
  /** E.164 number or normalised e-mail, when one was found. */
  destination?: string;
  destinationAttribute?: string;
  /** Masked form of the destination, safe for a channel. */
  maskedDestination?: string;
  warnings: string[];
}

/** Run every check; never stops at the first failure, so the answer lists every reason. */
export async function checkContractor(
  ctx: CheckContext,
  record: DirectoryRecord,
  requester: DirectoryRecord,
  method: EnrolMethod,
): Promise<CheckOutcome> {
  const who = record.username;
  const checks: CheckResult[] = [];
  const warnings: string[] = [];

  checks.push(
    record.enabled
      ? { name: 'enabled', ok: true, detail: 'account is enabled' }
      : {
          name: 'enabled',
          ok: false,
          detail: `${who}'s account is disabled in the directory; re-enable it before enrolling`,
        },
  );
  checks.push(expiryCheck(who, record.expiresAt, ctx.now));
  checks.push(await contractorCheck(ctx, record));
  checks.push(await requesterCheck(ctx, record, requester));

  const destination =
    method === 'sms'
      ? smsDestination(who, record, ctx.defaultPhoneRegion)
      : emailDestination(who, record);
  checks.push(destination.check);
  if (destination.warning) warnings.push(destination.warning);

  return {
    checks,
    ok: checks.every((c) => c.ok),
    destination: destination.value,
    destinationAttribute: destination.attribute,
    maskedDestination: destination.masked,
    warnings,
  };
}

function expiryCheck(who: string, expiresAt: Date | undefined, now: Date): CheckResult {
  if (!expiresAt) return { name: 'not_expired', ok: true, detail: 'account does not expire' };

  const day = expiresAt.toISOString().slice(0, 10);
  if (expiresAt.getTime() <= now.getTime()) {
    return {
      name: 'not_expired',
      ok: false,
      detail: `${who}'s account expired on ${day}; extend it in the directory before enrolling`,
    };
  }

  return { name: 'not_expired', ok: true, detail: `account is valid until ${day}` };
}

async function contractorCheck(ctx: CheckContext, record: DirectoryRecord): Promise<CheckResult> {
  const group = ctx.contractorGroup[record.source];
  if (!group) {
    return {
      name: 'contractor',
      ok: false,
      detail: `no contractor group is configured for ${record.source} (CONTRACTOR_GROUP)`,
    };
  }
  if (await ctx.directory.isMember(record, ctx.contractorGroup)) {
    return {
      name: 'contractor',
      ok: true,
      detail: `member of the contractor group ${groupName(group)}`,
    };
  }

  return {
    name: 'contractor',
    ok: false,
    detail: `${record.username} is not in the contractor group ${groupName(group)}; this bot only enrols contractors`,
  };
}

async function requesterCheck(
  ctx: CheckContext,
  record: DirectoryRecord,
  requester: DirectoryRecord,
): Promise<CheckResult> {
  if (record.managerId && sameId(record.managerId, requester.id)) {
    return {
      name: 'requester',
      ok: true,
      detail: `requested by ${record.username}'s manager of record`,
    };
  }

  const group = ctx.requesterGroup[requester.source];
  if (group && (await ctx.directory.isMember(requester, ctx.requesterGroup))) {
    return { name: 'requester', ok: true, detail: `requester is in ${groupName(group)}` };
  }

  const groupText = group ? ` nor in the requester group ${groupName(group)}` : '';

  return {
    name: 'requester',
    ok: false,
    detail: `you are neither ${record.username}'s manager of record${groupText}; ask their manager to request it`,
  };
}

interface Destination {
  check: CheckResult;
  value?: string;
  attribute?: string;
  masked?: string;
  warning?: string;
}

const PHONE_PROBLEMS: Record<PhoneRefusal, string> = {
  empty: 'is empty',
  unparseable: 'does not look like a phone number',
  invalid: 'is not a valid phone number',
  no_region: 'has no country code and DEFAULT_PHONE_REGION is not set',
  extension: 'has an extension, so it is a switchboard, not a mobile',
  fixed_line: 'is a fixed line, which cannot receive SMS',
  not_mobile: 'is not a mobile number',
};

/** The first SMS-capable number, in the order the directory's attributes are preferred. */
function smsDestination(who: string, record: DirectoryRecord, region?: string): Destination {
  const problems: string[] = [];
  for (const { attribute, value } of record.mobiles) {
    const result = normalisePhone(value, region);
    if (result.ok) {
      const masked = maskPhone(result.e164);
      const warning =
        result.type === 'fixed_line_or_mobile'
          ? `${masked} may be a fixed line (numbering plans like North America's cannot tell); check it receives SMS`
          : undefined;

      return {
        check: {
          name: 'destination',
          ok: true,
          detail: `${attribute} holds a mobile number (${masked})`,
        },
        value: result.e164,
        attribute,
        masked,
        warning,
      };
    }
    const shown = result.e164 ? ` (${maskPhone(result.e164)})` : '';
    problems.push(`the ${attribute} attribute${shown} ${PHONE_PROBLEMS[result.reason]}`);
  }

  const mobileAttr = record.mobiles[0]?.attribute ?? 'mobile';
  const desk = record.otherPhones[0];
  const deskNote = desk
    ? `; ${desk.attribute} has a number, but a desk phone cannot receive SMS`
    : '';
  const detail = problems.length
    ? `${who} has no usable mobile number: ${problems.join('; ')}${deskNote}; fix it in the directory or use email`
    : `${who} has no mobile number in the directory's ${mobileAttr} attribute${deskNote}; add one or use email`;

  return { check: { name: 'destination', ok: false, detail } };
}

function emailDestination(who: string, record: DirectoryRecord): Destination {
  const problems: string[] = [];
  for (const { attribute, value } of record.emails) {
    const result = normaliseEmail(value);
    if (result.ok) {
      const masked = maskEmail(result.email);

      return {
        check: {
          name: 'destination',
          ok: true,
          detail: `${attribute} holds an e-mail address (${masked})`,
        },
        value: result.email,
        attribute,
        masked,
      };
    }
    problems.push(
      `the ${attribute} attribute is not a valid address (${result.reason.replace('_', ' ')})`,
    );
  }

  const detail = problems.length
    ? `${who} has no usable e-mail address: ${problems.join('; ')}; fix it in the directory or use SMS`
    : `${who} has no e-mail address in the directory's mail attribute; add their external address or use SMS`;

  return { check: { name: 'destination', ok: false, detail } };
}

/** A short group name for answers: the CN of a DN, else the value. */
export function groupName(group: string): string {
  const cn = /^cn=((?:\\.|[^,])+)/i.exec(group);

  return cn?.[1] ? cn[1].replace(/\\(.)/g, '$1') : group;
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
