/**
 * After a crash: requests caught in `sending` are reconciled against Duo's live state (is the
 * phone attached, was the activation sent?) and finished, resumed or handed to a person. Never
 * blindly sent again.
 */
import { reconcileSend } from '../duo/enrol.js';
import { requestLogger } from '../logging.js';
import { announce, type WorkflowDeps } from './deps.js';
import { aliasesFromRequest, runSend, systemActor } from './sender.js';
import type { EnrolmentRequest } from './types.js';

/**
 * Start-up reconciliation: each request caught in `sending` is finished from Duo's live state,
 * resumed when nothing irreversible happened, or handed to a person. Approved requests whose send
 * never began are sent.
 */
export async function reconcileStuck(
  deps: WorkflowDeps,
  options: { resume?: (request: EnrolmentRequest) => void } = {},
): Promise<{ reconciled: number; errors: number }> {
  let reconciled = 0;
  let errors = 0;
  for (const request of deps.store.list((r) => r.state === 'sending')) {
    const log = requestLogger(deps.logger, request.id);
    try {
      const verdict = await reconcileSend(
        deps.duo,
        {
          method: request.method,
          username: request.contractor.duoUsername,
          aliases: aliasesFromRequest(request),
          phone: request.method === 'sms' ? request.destination : undefined,
        },
        request.progress,
      );
      log.info({ outcome: verdict.outcome }, 'reconcile_verdict');
      // With a send queue, resumable sends go back in line under its rate limit.
      if (verdict.outcome === 'resume' && options.resume) options.resume(request);
      else await applyVerdict(deps, request, verdict.outcome, verdict.reason);
      reconciled += 1;
    } catch (err) {
      // Duo down at start-up: leave it in `sending`; the next tick tries again.
      log.warn({ err }, 'reconcile_failed');
      errors += 1;
    }
  }

  return { reconciled, errors };
}

async function applyVerdict(
  deps: WorkflowDeps,
  request: EnrolmentRequest,
  outcome: 'sent' | 'activated' | 'resume' | 'needs_attention',
  reason: string,
): Promise<void> {
  const audit = { actor: systemActor(), action: `reconciled_${outcome}`, detail: reason };
  if (outcome === 'resume') {
    await runSend(deps, request);

    return;
  }
  if (outcome === 'needs_attention') {
    const flagged = await deps.store.transition(
      request.id,
      'sending',
      'needs_attention',
      (r) => {
        r.failure = { code: 'send_in_doubt', message: reason };
      },
      audit,
    );
    await announce(deps, flagged, 'needs_attention');

    return;
  }

  const sent = await deps.store.transition(
    request.id,
    'sending',
    'sent',
    (r) => {
      r.progress.sentAt ??= deps.now().toISOString();
    },
    audit,
  );
  if (outcome === 'activated') {
    const activated = await deps.store.transition(sent.id, 'sent', 'activated', undefined, audit);
    await announce(deps, activated, 'activated');

    return;
  }
  await announce(deps, sent, 'sent');
}
