/**
 * The batch card on the chat platform: posted once for approval, then kept up to date from the
 * events of its requests. Hundreds of events arrive while a batch sends, so updates are throttled
 * (one per `throttleMs`, the last one always made); the final tally is shown and told at once.
 */
import type { Logger } from 'pino';
import type { Batch, RequestStore } from '../src/store/requestStore.js';
import { batchMembers } from '../src/workflow/batch.js';
import { isUnsettled, summariseBatch } from '../src/workflow/batchSummary.js';
import type { RequestEvent } from '../src/workflow/deps.js';
import type { ConversationHandle, EnrolmentRequest, Platform } from '../src/workflow/types.js';
import { batchView } from './batchView.js';
import type { ChatGateway, Reply } from './ports.js';
import type { ViewSettings } from './views.js';

/** What the batch cards need; the composition root supplies it. */
export interface BatchCardDeps {
  store: RequestStore;
  gateways: Partial<Record<Platform, ChatGateway>>;
  settings: ViewSettings;
  logger: Logger;
  /** Least time between two updates of one card (default 2 s). */
  throttleMs?: number;
}

/** Events after which a batch may have finished. */
const FINAL_EVENTS: RequestEvent[] = [
  'sent',
  'failed',
  'needs_attention',
  'denied',
  'cancelled',
  'expired',
];

/** Posts and updates batch cards. */
export class BatchCards {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #last = new Map<string, number>();

  constructor(private readonly deps: BatchCardDeps) {}

  /** Post the approval card for a new batch where approvers decide, and remember where it is. */
  async post(batch: Batch): Promise<void> {
    const gateway = this.#gateway(batch);
    if (!gateway) return;

    const view = batchView(batch, batchMembers(this.deps, batch), this.deps.settings);
    const card = await gateway.postApproval(view, batch.origin);
    await this.deps.store.updateBatch(batch.id, (b) => {
      b.card = card;
    });
  }

  /** The notifier's hook for every event of a batch's request. */
  async onMember(request: EnrolmentRequest, event: RequestEvent): Promise<void> {
    const batch = request.batchId ? this.deps.store.getBatch(request.batchId) : undefined;
    if (!batch) return;

    if (event === 'reminder') await this.#remind(batch);
    if (event === 'deferred') await this.#tellDeferred(batch);
    if (FINAL_EVENTS.includes(event) && (await this.#finishIfSettled(batch))) return;

    this.#schedule(batch.id);
  }

  /** Update the card now. */
  async refresh(batchId: string): Promise<void> {
    clearTimeout(this.#timers.get(batchId));
    this.#timers.delete(batchId);
    this.#last.set(batchId, Date.now());
    const batch = this.deps.store.getBatch(batchId);
    const gateway = batch && this.#gateway(batch);
    if (!batch?.card || !gateway) return;

    const view = batchView(batch, batchMembers(this.deps, batch), this.deps.settings);
    await gateway
      .updateCard(batch.card, view)
      .catch((err: unknown) =>
        this.deps.logger.warn({ err, batch_id: batchId }, 'batch_card_update_failed'),
      );
  }

  /** Make the updates still waiting, and stop the timers (shutdown). */
  async close(): Promise<void> {
    const waiting = [...this.#timers.keys()];
    for (const id of waiting) await this.refresh(id);
  }

  #schedule(batchId: string): void {
    if (this.#timers.has(batchId)) return;

    const throttle = this.deps.throttleMs ?? 2000;
    const wait = Math.max(0, (this.#last.get(batchId) ?? 0) + throttle - Date.now());
    const timer = setTimeout(() => void this.refresh(batchId), wait);
    timer.unref();
    this.#timers.set(batchId, timer);
  }

  /** When nothing in the batch waits or runs any more: the final card, and the requester told once. */
  async #finishIfSettled(batch: Batch): Promise<boolean> {
    // Asked after each of a batch's sends: a scan without copies answers "not yet" cheaply, and
    // only the last event reads (copies) every member to count them.
    if (this.deps.store.some((r) => r.batchId === batch.id && isUnsettled(r))) return false;

    const members = batchMembers(this.deps, batch);
    const summary = summariseBatch(batch, members);
    if (!summary.settled) return false;

    await this.refresh(batch.id);
    const first = await this.deps.store.setMetaIfAbsent(`batch:told:${batch.id}`, true);
    const gateway = this.#gateway(batch);
    if (!first || !gateway) return true;

    const { sent, alreadyEnrolled, failed } = summary.tally;
    const text =
      batch.state === 'approved'
        ? `${batch.id} is finished: ${sent} sent, ${alreadyEnrolled} already enrolled, ${failed} failed.` +
          (failed ? ` Failures: ${summary.tally.failures.slice(0, 5).join('; ')}` : '')
        : `${batch.id} is ${batch.state === 'expired' ? 'expired: nobody decided in time' : 'closed'}; nothing more will be sent.`;
    await gateway.notify(batch.requester, batch.origin, { text });

    return true;
  }

  async #remind(batch: Batch): Promise<void> {
    const gateway = this.#gateway(batch);
    if (!gateway || !(await this.deps.store.setMetaIfAbsent(`batch:reminded:${batch.id}`, true)))
      return;

    await gateway.notifyApprovers({
      text: `Reminder: ${batch.id} from ${batch.requester.displayName} still waits for a decision; it expires if nobody decides.`,
    });
  }

  /** Write to a requester in the conversation they asked from, on that conversation's platform. */
  async notify(
    user: { platform: Platform; platformUserId: string },
    origin: ConversationHandle | undefined,
    reply: Reply,
  ): Promise<void> {
    await this.deps.gateways[origin?.platform ?? user.platform]?.notify(user, origin, reply);
  }

  /** The hourly send limit paused the batch: tell its requester once an hour, not per row. */
  async #tellDeferred(batch: Batch): Promise<void> {
    const key = `batch:deferred:${batch.id}`;
    if (!(await this.deps.store.setMetaIfAbsent(key, true, { ttlMs: 3_600_000 }))) return;

    const waiting = this.deps.store.list(
      (r) => r.batchId === batch.id && r.state === 'approved',
    ).length;
    await this.#gateway(batch)?.notify(batch.requester, batch.origin, {
      text:
        `${batch.id} is paused: the hourly send limit (MAX_SENDS_PER_HOUR) is reached. ` +
        `The ${waiting} still waiting stay approved and are sent as the hour makes room.`,
    });
  }

  #gateway(batch: Batch): ChatGateway | undefined {
    const platform = batch.card?.platform ?? batch.origin?.platform ?? batch.requester.platform;

    return this.deps.gateways[platform];
  }
}
