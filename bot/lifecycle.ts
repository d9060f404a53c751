/** Words for resend, retry, revoke and audit; the rules are in src/workflow/requestActions.ts. */
import { readAuditFile, toCsv, type AuditEvent } from '../src/store/auditLog.js';
import type { WorkflowDeps } from '../src/workflow/deps.js';
import type { SendQueue } from '../src/workflow/queue.js';
import { resend, retry, revoke } from '../src/workflow/requestActions.js';
import { enrolReplies } from './enrolReplies.js';
import type { Identity } from './identity.js';
import type { Reply } from './ports.js';

type Known = Extract<Identity, { ok: true }>;

/** Run `resend`, `retry` or `revoke` for one request and say what happened. */
export async function lifecycleReplies(
  queue: SendQueue,
  kind: 'resend' | 'retry' | 'revoke',
  requestId: string,
  identity: Known,
): Promise<Reply[]> {
  const deps = queue.deps;
  const outcome =
    kind === 'resend'
      ? await resend(deps, requestId, identity)
      : kind === 'retry'
        ? await retry(deps, requestId, identity)
        : await revoke(deps, requestId, identity);

  switch (outcome.kind) {
    case 'not_found':
      if ('requestId' in outcome) return [{ text: `I have no request ${outcome.requestId}.` }];
      break;
    case 'refused':
      return [{ text: `Sorry, ${outcome.message}.` }];
    case 'retrying':
      queue.enqueue(outcome.request.id, { resume: true });

      return [
        { text: `${outcome.request.id}: trying the send again; the card will show how it went.` },
      ];
    case 'revoked':
      return [
        {
          text: `${outcome.request.id} is revoked: ${outcome.steps.join('; ')}. It is in the audit log.`,
        },
      ];
    default:
      break;
  }
  if (outcome.kind === 'pending' && outcome.request.state === 'approved') {
    queue.enqueue(outcome.request.id);

    return [
      {
        text: `${outcome.request.id}: a new link for ${outcome.request.contractor.displayName} is on its way (resends need no approval here: RESEND_NEEDS_APPROVAL=false).`,
      },
    ];
  }

  return enrolReplies(outcome, deps.store.get(requestId)?.method ?? 'sms');
}

/** The audit log of the last `days` days as a CSV file. */
export async function auditReplies(deps: WorkflowDeps, days: number): Promise<Reply[]> {
  const since = new Date(deps.now().getTime() - days * 86_400_000);
  const events: AuditEvent[] = [];
  const read = readAuditFile(deps.config.auditPath, { since, logger: deps.logger });
  for await (const event of read) events.push(event);

  const day = deps.now().toISOString().slice(0, 10);

  return [
    {
      text: `The audit log of the last ${days} days: ${events.length} events.`,
      file: { name: `enrolbot-audit-${day}.csv`, contentType: 'text/csv', content: toCsv(events) },
    },
  ];
}
