/**
 * Teams activities in, bot calls out: messages (personal chat or an @-mention), Universal Actions
 * (`adaptiveCard/action`), Data.Query type-ahead, and installs that tell us where people are.
 */
import {
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type SearchInvokeResponse,
  type SearchInvokeValue,
} from 'botbuilder';
import type { Logger } from 'pino';
import type { EnrolBot } from '../../bot/bot.js';
import type { ActionAnswer, ChatUser } from '../../bot/ports.js';
import type { RequestStore } from '../../src/store/requestStore.js';
import type { TeamsGateway } from './gateway.js';
import { incomingFiles, type TeamsFileOptions } from './files.js';
import { rememberPersonal, toHandle } from './references.js';
import { cardAttachment, replyActivity } from './render.js';

export interface TeamsHandlerDeps {
  bot: EnrolBot;
  gateway: TeamsGateway;
  store: RequestStore;
  logger: Logger;
  /** How attached CSV files are read. */
  files: TeamsFileOptions;
  /**
   * Whether the activity's own `from.aadObjectId` may be believed: only when the request was
   * authenticated (MICROSOFT_APP_ID set). Without it, anyone could claim to be an approver, so the
   * person is who the connector's member look-up says, or nobody.
   */
  trustActivityIdentity: boolean;
}

/** Member look-ups are cached briefly: every message would otherwise cost a connector call. */
const MEMBER_TTL_MS = 10 * 60 * 1000;

export class TeamsHandler extends TeamsActivityHandler {
  private readonly members = new Map<string, { user: ChatUser; until: number }>();

  constructor(private readonly deps: TeamsHandlerDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.noteContext(context);
      await this.message(context);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      await this.noteContext(context);
      await next();
    });
    this.onInstallationUpdate(async (context, next) => {
      await this.noteContext(context);
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    await this.noteContext(context);
    const answer = await this.deps.bot.handleAction({
      user: await this.chatUser(context),
      verb: value.action.verb,
      data: (value.action.data ?? {}) as Record<string, unknown>,
      card: context.activity.replyToId
        ? toHandle(
            TurnContext.getConversationReference(context.activity),
            context.activity.replyToId,
          )
        : undefined,
      conversation: toHandle(TurnContext.getConversationReference(context.activity)),
      personal: context.activity.conversation.conversationType === 'personal',
    });
    for (const reply of answer.replies ?? []) await context.sendActivity(replyActivity(reply));

    return invokeResponse(answer);
  }

  protected override async onSearchInvoke(
    context: TurnContext,
    value: SearchInvokeValue,
  ): Promise<SearchInvokeResponse> {
    const query = typeof value.queryText === 'string' ? value.queryText : '';
    const results = await this.deps.bot.searchContractors(
      query,
      Math.min(value.queryOptions?.top ?? 15, 25),
    );

    return {
      statusCode: 200,
      type: 'application/vnd.microsoft.search.searchResponse',
      value: { results },
    } as SearchInvokeResponse;
  }

  private async message(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const user = await this.chatUser(context);
    const conversation = toHandle(TurnContext.getConversationReference(activity));
    const personal = activity.conversation.conversationType === 'personal';

    // Action.Submit (the fallback of Action.Execute on older clients) arrives as a message with a value.
    const value = activity.value as Record<string, unknown> | undefined;
    if (value && typeof value.verb === 'string' && !activity.text) {
      const answer = await this.deps.bot.handleAction({
        user,
        verb: value.verb,
        data: value,
        card: activity.replyToId
          ? toHandle(TurnContext.getConversationReference(activity), activity.replyToId)
          : undefined,
        conversation,
        personal,
      });
      if (answer.notice) await context.sendActivity(replyActivity({ text: answer.notice }));
      for (const reply of answer.replies ?? []) await context.sendActivity(replyActivity(reply));

      return;
    }

    const replies = await this.deps.bot.handleMessage({
      user,
      text: activity.text ?? '',
      conversation,
      personal,
      files: incomingFiles(activity.attachments, this.deps.files),
    });
    for (const reply of replies) await context.sendActivity(replyActivity(reply));
  }

  private async noteContext(context: TurnContext): Promise<void> {
    await rememberPersonal(this.deps.store, context);
    await this.deps.gateway.noteService(context);
  }

  /** The Teams user with their UPN and e-mail when Teams will tell us. */
  private async chatUser(context: TurnContext): Promise<ChatUser> {
    const from = context.activity.from;
    const cached = this.members.get(from.id);
    if (cached && cached.until > Date.now()) return cached.user;

    const trusted = this.deps.trustActivityIdentity;
    const user: ChatUser = {
      platform: 'teams',
      platformUserId: from.id,
      displayName: from.name ?? 'someone',
      aadObjectId: trusted ? from.aadObjectId : undefined,
    };
    try {
      const member = await TeamsInfo.getMember(context, from.id);
      user.userPrincipalName = member.userPrincipalName ?? undefined;
      user.email = member.email ?? undefined;
      user.aadObjectId = member.aadObjectId ?? user.aadObjectId;
      if (member.name) user.displayName = member.name;
    } catch (err) {
      // Unauthenticated, the person stays unknown: the directory will not find them.
      if (trusted) this.deps.logger.debug({ err }, 'teams_get_member_failed');
      else this.deps.logger.warn({ user_id: from.id }, 'teams_identity_unconfirmed');

      return user;
    }
    this.members.set(from.id, { user, until: Date.now() + MEMBER_TTL_MS });

    return user;
  }
}

function invokeResponse(answer: ActionAnswer): AdaptiveCardInvokeResponse {
  // A refusal is a message for the clicker only; the shared card is updated by the gateway.
  if (answer.notice || !answer.card) {
    return {
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: (answer.notice ?? 'Done.') as never,
    };
  }

  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.card.adaptive',
    value: cardAttachment(answer.card).content as never,
  };
}
