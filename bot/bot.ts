/**
 * The conversation: a message or a card click in, platform-neutral answers out. Every command is
 * run against the workflow in src/; every person is resolved through the directory first.
 */
import type { Logger } from 'pino';
import { ACTION_VERBS } from '../cards/views.js';
import type { Config } from '../src/config/index.js';
import type { CombinedDirectory } from '../src/directory/types.js';
import type { DuoAdmin } from '../src/duo/types.js';
import type { RequestStore } from '../src/store/requestStore.js';
import { approve, cancel, deny, type DecisionOutcome } from '../src/workflow/decisions.js';
import type { RequestListener, WorkflowDeps } from '../src/workflow/deps.js';
import type { PushStepUp } from '../src/workflow/push.js';
import { requestEnrolment } from '../src/workflow/requests.js';
import { SendQueue, type SendQueueOptions } from '../src/workflow/queue.js';
import { BatchCommands, csvFileOf } from './batch.js';
import type { BatchCards } from './batchCards.js';
import type { Command } from './commands.js';
import { enrolReplies } from './enrolReplies.js';
import { HELP_VIEW, SHORT_HELP } from './help.js';
import { resolveUser, type Identity } from './identity.js';
import { cleanPlainText } from './cleanMessage.js';
import { capCodePoints, parseCommand } from './parse.js';
import type { ActionAnswer, CardAction, IncomingMessage, Reply } from './ports.js';
import { QueryCommands } from './queries.js';
import { approvalView, type ViewSettings } from './views.js';

/** What the bot is built from; the composition root supplies it. */
export interface BotDeps {
  config: Config;
  store: RequestStore;
  directory: CombinedDirectory;
  duo: DuoAdmin;
  now: () => Date;
  logger: Logger;
  listener: RequestListener;
  settings: ViewSettings;
  /** Posts and updates batch cards; without it a batch card comes back as a reply. */
  batchCards?: BatchCards;
  /** Sending-queue options (tests: concurrency, pacing clock, back-off). */
  queue?: SendQueueOptions;
  /** Duo Push step-up for approvals, when DUO_AUTH_* is configured. */
  stepUp?: PushStepUp;
  /** How long a bulk request's checks may hold the chat turn before answering later. */
  batchAnswerWithinMs?: number;
}

/** The bot: stateless between turns apart from the store. */
export class EnrolBot {
  readonly workflow: WorkflowDeps;
  /** Every approved request is sent through this queue. */
  readonly queue: SendQueue;
  private readonly queries: QueryCommands;
  private readonly batches: BatchCommands;
  private closing = false;

  constructor(private readonly deps: BotDeps) {
    this.workflow = {
      config: deps.config,
      store: deps.store,
      directory: deps.directory,
      duo: deps.duo,
      now: deps.now,
      logger: deps.logger,
      listener: deps.listener,
      stepUp: deps.stepUp,
    };
    // An approval completed by an accepted push is sent through the same queue as any other.
    if (deps.stepUp) deps.stepUp.startSend = (_workflow, id) => this.startSend(id);
    this.queue = new SendQueue(this.workflow, deps.queue);
    this.queries = new QueryCommands(this.workflow, this.queue, deps.settings);
    this.batches = new BatchCommands({
      queue: this.queue,
      settings: deps.settings,
      cards: deps.batchCards,
      answerWithinMs: deps.batchAnswerWithinMs,
    });
  }

  /** Answer one message. Never throws: problems become a sentence and a log line. */
  async handleMessage(message: IncomingMessage): Promise<Reply[]> {
    const command = parseCommand(message.text, {
      maxLength: this.deps.config.limits.maxMessageLength,
    });
    try {
      const csv = csvFileOf(message);
      if (csv) return await this.withIdentity(message, (id) => this.batches.csv(csv, id, message));

      return await this.run(command, message);
    } catch (err) {
      this.deps.logger.error({ err, command: command.kind }, 'message_failed');

      return [
        {
          text: 'Something went wrong on my side and nothing was changed. The error is in my log; try again, or tell IT if it keeps happening.',
        },
      ];
    }
  }

  /** Handle a card click or form submission. Never throws. */
  async handleAction(action: CardAction): Promise<ActionAnswer> {
    try {
      return await this.act(action);
    } catch (err) {
      this.deps.logger.error({ err, verb: action.verb }, 'action_failed');

      return { notice: 'Something went wrong on my side and nothing was changed; try again.' };
    }
  }

  /** Contractors whose name starts with the text, for type-ahead pickers. */
  async searchContractors(text: string, limit = 25): Promise<{ title: string; value: string }[]> {
    let records;
    try {
      records = await this.deps.directory.search(text.slice(0, 64), limit * 2);
    } catch (err) {
      this.deps.logger.warn({ err }, 'contractor_search_failed');

      return [];
    }
    // Only contractors belong in the picker; a failed membership check leaves the person out.
    const group = this.deps.config.contractorGroup;
    const member = await Promise.all(
      records.map((r) => this.deps.directory.isMember(r, group).catch(() => false)),
    );

    return records
      .filter((_, i) => member[i])
      .slice(0, limit)
      .map((r) => ({ title: `${r.displayName} (${r.username})`, value: r.username }));
  }

  /** Resolves when every bulk check and every send queued so far has finished. */
  async idle(): Promise<void> {
    await this.batches.idle();
    await this.queue.idle();
  }

  /** Stop taking work and wait for sends in flight; queued ones stay approved in the store. */
  async close(): Promise<void> {
    this.closing = true;
    await this.batches.idle();
    await this.queue.close();
    await this.deps.batchCards?.close();
  }

  /** Send an approved request in the background, through the sending queue. */
  startSend(requestId: string): void {
    if (this.closing) return;

    this.queue.enqueue(requestId);
  }

  private async withIdentity(
    message: IncomingMessage,
    then: (identity: Extract<Identity, { ok: true }>) => Promise<Reply[]>,
  ): Promise<Reply[]> {
    if (this.closing)
      return [{ text: 'I am shutting down for maintenance; try again in a minute.' }];
    const identity = await resolveUser(this.deps.directory, message.user);

    return identity.ok ? then(identity) : [{ text: identity.message }];
  }

  private async run(command: Command, message: IncomingMessage): Promise<Reply[]> {
    if (command.kind === 'help') return [{ card: HELP_VIEW }];
    if (command.kind === 'unknown') {
      const text = /\bhelp\b/.test(command.hint) ? command.hint : `${command.hint} ${SHORT_HELP}`;

      return [{ text }];
    }
    if (this.closing)
      return [{ text: 'I am shutting down for maintenance; try again in a minute.' }];

    const identity = await resolveUser(this.deps.directory, message.user);
    if (!identity.ok) return [{ text: identity.message }];

    switch (command.kind) {
      case 'enrol':
        return this.enrol(command, identity, message);
      case 'enrol_form':
        return [{ card: { kind: 'form', contractors: await this.searchContractors('', 20) } }];
      case 'cancel':
        return decisionReplies(await cancel(this.workflow, command.requestId, identity));
      default:
        return this.queries.run(command, identity, message.personal);
    }
  }

  private async enrol(
    command: Extract<Command, { kind: 'enrol' }>,
    identity: Extract<Identity, { ok: true }>,
    message: IncomingMessage,
  ): Promise<Reply[]> {
    if (command.target.type !== 'one') return this.batches.typed(command, identity, message);

    const outcome = await requestEnrolment(this.workflow, {
      requester: identity.actor,
      requesterRecord: identity.record,
      who: command.target.who,
      method: command.method,
      reason: command.reason,
      origin: message.conversation,
    });

    return enrolReplies(outcome, command.method, command.reason);
  }

  private async act(action: CardAction): Promise<ActionAnswer> {
    const data = action.data;
    if (action.verb === ACTION_VERBS.choose && typeof data.command === 'string') {
      return { replies: await this.handleMessage({ ...action, text: data.command }) };
    }
    if (action.verb === ACTION_VERBS.submitForm) {
      return { replies: await this.handleMessage({ ...action, text: formCommand(data) }) };
    }

    const batchVerb =
      action.verb === ACTION_VERBS.batchApprove
        ? 'approve'
        : action.verb === ACTION_VERBS.batchDeny
          ? 'deny'
          : undefined;
    if (batchVerb && typeof data.batchId === 'string') {
      const identity = await resolveUser(this.deps.directory, action.user);
      if (!identity.ok) return { notice: identity.message };
      return this.batches.act(batchVerb, data.batchId, identity, commentOf(data));
    }

    const requestId = typeof data.requestId === 'string' ? data.requestId : undefined;
    if (!requestId)
      return { notice: 'That button no longer works; say "pending" to see what waits.' };

    const identity = await resolveUser(this.deps.directory, action.user);
    if (!identity.ok) return { notice: identity.message };

    if (action.verb === ACTION_VERBS.refresh)
      return { card: await this.queries.cardFor(requestId, identity) };
    if (action.verb === ACTION_VERBS.approve) {
      const outcome = await approve(this.workflow, requestId, identity);
      if (outcome.kind === 'approved') this.startSend(requestId);

      return actionAnswer(outcome, this.deps.settings);
    }
    if (action.verb === ACTION_VERBS.deny) {
      return actionAnswer(
        await deny(this.workflow, requestId, identity, commentOf(data)),
        this.deps.settings,
      );
    }

    return { notice: 'I do not know that button.' };
  }
}

/** The typed request a form submission stands for. */
function formCommand(data: Record<string, unknown>): string {
  const who = typeof data.contractor === 'string' ? data.contractor.trim() : '';
  const method = data.method === 'email' ? 'email' : 'sms';
  const reason =
    typeof data.reason === 'string' && data.reason.trim() ? ` because ${data.reason.trim()}` : '';

  return who ? `enrol contractor ${who} by ${method}${reason}` : 'enrol';
}

function actionAnswer(outcome: DecisionOutcome, settings: ViewSettings): ActionAnswer {
  if (outcome.kind === 'not_found') return { notice: `I have no request ${outcome.requestId}.` };

  const card = approvalView(outcome.request, settings);
  if (outcome.kind === 'refused') return { card, notice: outcome.message };
  if (outcome.kind === 'approval_recorded') {
    return { card, notice: `Your approval is recorded; ${outcome.remaining} more needed.` };
  }
  if (outcome.kind === 'awaiting_push')
    return { card, notice: 'Approve the Duo Push on your phone to confirm.' };

  return { card };
}

function decisionReplies(outcome: DecisionOutcome): Reply[] {
  if (outcome.kind === 'not_found') return [{ text: `I have no request ${outcome.requestId}.` }];
  if (outcome.kind === 'refused') return [{ text: `Sorry, ${outcome.message}.` }];

  return [{ text: `${outcome.request.id} is ${outcome.kind}.` }];
}

/** The longest comment on a decision kept, in characters. */
const MAX_COMMENT_LENGTH = 500;

/**
 * A decision's comment as the requester, the card and the audit log get it: no control or
 * invisible characters, single spaces, and cut without halving a character.
 */
function commentOf(data: Record<string, unknown>): string | undefined {
  if (typeof data.comment !== 'string') return undefined;

  return capCodePoints(cleanPlainText(data.comment), MAX_COMMENT_LENGTH) || undefined;
}
