/** Writes to Teams outside a turn: approval threads, card updates and notices to people. */
import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { ChatGateway, Reply } from '../../bot/ports.js';
import type { CardView } from '../../cards/views.js';
import type { RequestStore } from '../../src/store/requestStore.js';
import type { ConversationHandle } from '../../src/workflow/types.js';
import { fromHandle, personalChat, toHandle } from './references.js';
import { cardAttachment, replyActivity } from './render.js';

export interface TeamsGatewayDeps {
  adapter: CloudAdapter;
  store: RequestStore;
  logger: Logger;
  /** MICROSOFT_APP_ID, or '' in anonymous local mode. */
  appId: string;
  approvalChannelId?: string;
}

/** Where the bot last heard from Teams; needed to open a thread in the approval channel. */
const LAST_SERVICE = 'teams:service';

export class TeamsGateway implements ChatGateway {
  readonly platform = 'teams' as const;

  constructor(private readonly deps: TeamsGatewayDeps) {}

  /** Remember the service URL and tenant of the latest turn (called by the handler). */
  async noteService(context: TurnContext): Promise<void> {
    const { serviceUrl, conversation } = context.activity;
    const known = this.deps.store.getMeta<{ serviceUrl: string }>(LAST_SERVICE);
    if (known?.serviceUrl === serviceUrl) return;

    await this.deps.store.setMeta(LAST_SERVICE, { serviceUrl, tenantId: conversation?.tenantId });
  }

  async postApproval(
    view: CardView,
    origin: ConversationHandle | undefined,
  ): Promise<ConversationHandle> {
    const activity = { type: 'message', attachments: [cardAttachment(view)] };
    const channel = this.deps.approvalChannelId;
    if (channel) return this.newThread(channel, activity, origin);
    if (!origin) throw new Error('no conversation to post the approval card in');

    let handle: ConversationHandle | undefined;
    await this.continue(fromHandle(origin), async (ctx) => {
      const sent = await ctx.sendActivity(activity);
      handle = toHandle(fromHandle(origin), sent?.id);
    });

    return handle!;
  }

  async updateCard(card: ConversationHandle, view: CardView): Promise<void> {
    const ref = fromHandle(card);
    await this.continue(ref, async (ctx) => {
      try {
        if (!ref.activityId) throw new Error('no activity id');
        await ctx.updateActivity({
          type: 'message',
          id: ref.activityId,
          attachments: [cardAttachment(view)],
        });
      } catch (err) {
        // Deleted or too old to edit: say it in the thread instead, so the result is not lost.
        this.deps.logger.warn({ err }, 'teams_card_update_failed');
        await ctx.sendActivity({ type: 'message', attachments: [cardAttachment(view)] });
      }
    });
  }

  async notify(
    user: { platformUserId: string },
    fallback: ConversationHandle | undefined,
    reply: Reply,
  ): Promise<void> {
    const personal = personalChat(this.deps.store, user.platformUserId);
    const ref = personal ?? (fallback && fromHandle(fallback));
    if (!ref) {
      this.deps.logger.warn({ user: user.platformUserId }, 'teams_no_conversation_for_user');

      return;
    }
    await this.continue({ ...ref, activityId: undefined }, (ctx) =>
      ctx.sendActivity(replyActivity(reply)).then(() => undefined),
    );
  }

  async notifyApprovers(reply: Reply): Promise<void> {
    const channel = this.deps.approvalChannelId;
    if (!channel) {
      this.deps.logger.info('teams_no_approval_channel_for_notice');

      return;
    }
    await this.newThread(channel, replyActivity(reply), undefined);
  }

  /** A new thread in a channel; Teams puts the root message id in the new conversation id. */
  private async newThread(
    channelId: string,
    activity: Record<string, unknown>,
    origin: ConversationHandle | undefined,
  ): Promise<ConversationHandle> {
    const service = this.deps.store.getMeta<{ serviceUrl: string; tenantId?: string }>(
      LAST_SERVICE,
    );
    const serviceUrl = (origin && fromHandle(origin).serviceUrl) ?? service?.serviceUrl;
    if (!serviceUrl)
      throw new Error(
        'Teams has not contacted the bot yet, so the approval channel cannot be reached',
      );

    const tenantId = (origin && fromHandle(origin).conversation?.tenantId) ?? service?.tenantId;
    let handle: ConversationHandle | undefined;
    await this.deps.adapter.createConversationAsync(
      this.deps.appId,
      'msteams',
      serviceUrl,
      'https://api.botframework.com',
      {
        isGroup: true,
        channelData: { channel: { id: channelId }, tenant: { id: tenantId } },
        activity,
        tenantId,
      } as never,
      async (ctx) => {
        const ref = { ...TurnContextRef(ctx), serviceUrl };
        const id = ref.conversation?.id ?? '';
        const messageId = /;messageid=([^;]+)/.exec(id)?.[1] ?? id;
        handle = toHandle(ref, messageId);
      },
    );

    return handle!;
  }

  private continue(
    ref: Partial<ConversationReference>,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<void> {
    return this.deps.adapter.continueConversationAsync(this.deps.appId, ref, logic);
  }
}

function TurnContextRef(ctx: TurnContext): Partial<ConversationReference> {
  const a = ctx.activity;

  return {
    channelId: a.channelId,
    serviceUrl: a.serviceUrl,
    conversation: a.conversation,
    bot: a.recipient,
  };
}
