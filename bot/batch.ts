/**
 * Bulk requests in chat: a typed list, a directory group, or a CSV file attached to the message;
 * and the Approve and Deny clicks on the batch card. The rules are in src/workflow/batch.ts.
 */
import type { BatchView } from '../cards/views.js';
import {
  approveBatch,
  batchMembers,
  denyBatch,
  requestBatch,
  type BatchDecision,
  type BatchOutcome,
} from '../src/workflow/batch.js';
import { methodWord, parseBatchCsv, type BatchEntry } from '../src/workflow/batchInput.js';
import type { SendQueue } from '../src/workflow/queue.js';
import type { EnrolMethod } from '../src/workflow/types.js';
import type { BatchCards } from './batchCards.js';
import { batchCsv, batchView } from './batchView.js';
import type { Command } from './commands.js';
import type { Identity } from './identity.js';
import {
  FileRefusedError,
  type ActionAnswer,
  type IncomingFile,
  type IncomingMessage,
  type Reply,
} from './ports.js';
import type { ViewSettings } from './views.js';

type Known = Extract<Identity, { ok: true }>;
type EnrolCommand = Extract<Command, { kind: 'enrol' }>;

/** What bulk requests need from the bot. */
export interface BatchCommandDeps {
  queue: SendQueue;
  settings: ViewSettings;
  /** Posts the batch card to approvers; without it the card comes back in the reply. */
  cards?: BatchCards;
  /**
   * How long a bulk request's checks may hold the chat turn (default 3 s). Teams gives up on a
   * turn after about 15 s; a longer check answers "checking" at once and reports when done.
   */
  answerWithinMs?: number;
}

/** The first attached CSV file, if any: such a message is a bulk request. */
export function csvFileOf(message: IncomingMessage): IncomingFile | undefined {
  return message.files?.find((f) => f.name.toLowerCase().endsWith('.csv'));
}

/** Bulk commands. */
export class BatchCommands {
  /** Bulk checks that outlasted their chat turn and will answer by message. */
  readonly #checking = new Set<Promise<void>>();

  constructor(private readonly deps: BatchCommandDeps) {}

  /** `enrol contractors a, b by sms` or `enrol group X by email`. */
  async typed(command: EnrolCommand, identity: Known, message: IncomingMessage): Promise<Reply[]> {
    const target = command.target;
    const entries = target.type === 'list' ? target.who.map((who) => ({ who })) : undefined;
    const group = target.type === 'group' ? target.group : undefined;

    return this.#request(identity, message, {
      entries,
      group,
      method: command.method,
      reason: command.reason,
    });
  }

  /** A message with a CSV file; its text may say the method and reason for rows without one. */
  async csv(file: IncomingFile, identity: Known, message: IncomingMessage): Promise<Reply[]> {
    const { maxBatchSize, maxCsvBytes } = this.deps.queue.deps.config.limits;
    const tooBig = `Sorry, ${file.name} is larger than ${Math.round(maxCsvBytes / 1024)} KB (MAX_CSV_BYTES); split it into smaller files.`;
    if (file.size !== undefined && file.size > maxCsvBytes) return [{ text: tooBig }];

    let text: string;
    try {
      text = await file.read();
    } catch (err) {
      if (err instanceof FileRefusedError) return [{ text: err.message }];
      throw err;
    }
    if (Buffer.byteLength(text) > maxCsvBytes) return [{ text: tooBig }];

    const parsed = parseBatchCsv(text, maxBatchSize);
    if (!parsed.ok) return [{ text: `Sorry, I cannot use ${file.name}: ${parsed.message}.` }];

    return this.#request(identity, message, { entries: parsed.entries, ...wordsOf(message.text) });
  }

  /** Approve or Deny on a batch card. */
  async act(
    verb: 'approve' | 'deny',
    batchId: string,
    identity: Known,
    comment?: string,
  ): Promise<ActionAnswer> {
    const { queue, cards } = this.deps;
    // A push ends in the background: its card is refreshed then, accepted or not.
    const onPushEnded = cards && ((id: string) => cards.refresh(id));
    const outcome: BatchDecision =
      verb === 'approve'
        ? await approveBatch(queue.deps, batchId, identity, (id) => queue.enqueue(id), onPushEnded)
        : await denyBatch(queue.deps, batchId, identity, comment);
    if (outcome.kind === 'not_found') return { notice: `I have no batch ${batchId}.` };

    const card = this.#view(outcome.batch.id);
    await cards?.refresh(outcome.batch.id);
    if (outcome.kind === 'refused') return { card, notice: `Sorry, ${outcome.message}.` };
    if (outcome.kind === 'approval_recorded') {
      return { card, notice: `Your approval is recorded; ${outcome.remaining} more needed.` };
    }
    if (outcome.kind === 'awaiting_push') {
      return { card, notice: `Confirm the Duo Push on your phone to approve ${outcome.batch.id}.` };
    }

    return { card };
  }

  /** Resolves when every bulk check still running in the background has answered. */
  async idle(): Promise<void> {
    while (this.#checking.size > 0) await Promise.allSettled([...this.#checking]);
  }

  async #request(
    identity: Known,
    message: IncomingMessage,
    ask: { entries?: BatchEntry[]; group?: string; method?: EnrolMethod; reason?: string },
  ): Promise<Reply[]> {
    const work = requestBatch(this.deps.queue.deps, {
      requester: identity.actor,
      requesterRecord: identity.record,
      origin: message.conversation,
      ...ask,
    }).then((outcome) => this.#replies(outcome));
    const { cards } = this.deps;
    if (!cards) return work;

    // Most lists are checked well within the turn; a big group or file is answered later.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.deps.answerWithinMs ?? 3000);
    });
    const early = await Promise.race([work, late]);
    clearTimeout(timer);
    if (early) return early;

    const told = work
      .then(async (replies) => {
        for (const reply of replies)
          await cards.notify(identity.actor, message.conversation, reply);
      })
      .catch((err: unknown) =>
        this.deps.queue.deps.logger.error({ err }, 'batch_background_check_failed'),
      )
      .finally(() => this.#checking.delete(told));
    this.#checking.add(told);
    const what = ask.group ? `the members of ${ask.group}` : 'the contractors you listed';

    return [
      {
        text: `Checking ${what} in the directory and Duo; a long list takes a while. I will answer here when the approval card is ready.`,
      },
    ];
  }

  async #replies(outcome: BatchOutcome): Promise<Reply[]> {
    switch (outcome.kind) {
      case 'too_large':
        return [
          {
            text: `Sorry, that is ${outcome.count} contractors; one bulk request may hold at most ${outcome.max} (MAX_BATCH_SIZE). Split it into smaller requests.`,
          },
        ];
      case 'empty':
      case 'limit':
      case 'directory_unavailable':
        return [{ text: `Sorry, ${outcome.message}.` }];
      case 'created':
        break;
    }

    const { batch } = outcome;
    // The full list goes with the first answer only; card updates leave it out (it is rebuilt
    // from every member, and a sending batch's card is updated every few seconds).
    const { store } = this.deps.queue.deps;
    const stored = store.getBatch(batch.id)!;
    const members = batchMembers({ store }, stored);
    const view = batchView(stored, members, this.deps.settings);
    const file = {
      name: `${batch.id}.csv`,
      contentType: 'text/csv',
      content: batchCsv(stored, members),
    };
    const enrolled = batch.alreadyEnrolled?.length ?? 0;
    const summary = `${view.readyCount} ready, ${view.blockedCount} blocked, ${enrolled} already enrolled`;
    if (view.readyCount === 0) {
      return [
        { text: `${batch.id}: nothing to approve (${summary}). The full list is attached.`, file },
      ];
    }
    if (!this.deps.cards) return [{ text: `${batch.id}: ${summary}.`, card: view, file }];

    await this.deps.cards.post(batch);

    return [
      {
        text: `${batch.id}: I asked the security team to approve ${view.readyCount} ${view.readyCount === 1 ? 'contractor' : 'contractors'} (${summary}). I will tell you when it is done; the full list is attached.`,
        file,
      },
    ];
  }

  #view(batchId: string): BatchView {
    const { store } = this.deps.queue.deps;
    const batch = store.getBatch(batchId)!;

    return batchView(batch, batchMembers({ store }, batch), this.deps.settings);
  }
}

/** The method and reason said in a CSV message's text ("by sms because new vendor team"). */
function wordsOf(text: string): { method?: EnrolMethod; reason?: string } {
  const lower = text.toLowerCase();
  const method = /\b(?:by|via) +([a-z-]{3,6})\b/.exec(lower)?.[1];
  const because = lower.indexOf('because ');
  const reason =
    because === -1
      ? undefined
      : text
          .slice(because + 8)
          .trim()
          .slice(0, 500) || undefined;

  return { method: method ? methodWord(method) : undefined, reason };
}
