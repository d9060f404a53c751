/** Writes to Slack outside a request: approval messages, their updates, and messages to people. */
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { ChatGateway, OutgoingFile, Reply } from '../../bot/ports.js';
import type { CardView } from '../../cards/views.js';
import type { ConversationHandle } from '../../src/workflow/types.js';
import { slackHandle, slackRef, type SlackRef } from './handles.js';
import { cardMessage, inlineFileMessage, replyMessages } from './render.js';

export interface SlackGatewayDeps {
  client: webApi.WebClient;
  logger: Logger;
  /** SLACK_APPROVAL_CHANNEL; unset: the card goes back to the channel the request came from. */
  approvalChannel?: string;
}

export class SlackGateway implements ChatGateway {
  readonly platform = 'slack' as const;

  constructor(private readonly deps: SlackGatewayDeps) {}

  async postApproval(
    view: CardView,
    origin: ConversationHandle | undefined,
  ): Promise<ConversationHandle> {
    const channel = this.deps.approvalChannel ?? slackRef(origin)?.channel;
    if (!channel)
      throw new Error('no Slack channel for the approval card; set SLACK_APPROVAL_CHANNEL');

    const sent = await this.deps.client.chat.postMessage({ channel, ...cardMessage(view) });

    return slackHandle({ channel: sent.channel ?? channel, ts: sent.ts });
  }

  async updateCard(card: ConversationHandle, view: CardView): Promise<void> {
    const ref = slackRef(card);
    if (!ref) return;

    try {
      if (!ref.ts) throw new Error('no message timestamp');
      await this.deps.client.chat.update({
        channel: ref.channel,
        ts: ref.ts,
        ...cardMessage(view),
      });
    } catch (err) {
      // Deleted or not ours to edit: say it in the thread instead, so the result is not lost.
      this.deps.logger.warn({ err }, 'slack_card_update_failed');
      await this.deps.client.chat.postMessage({
        channel: ref.channel,
        thread_ts: ref.ts,
        ...cardMessage(view),
      });
    }
  }

  async notify(
    user: { platformUserId: string },
    fallback: ConversationHandle | undefined,
    reply: Reply,
  ): Promise<void> {
    const channel = (await this.directChannel(user.platformUserId)) ?? slackRef(fallback)?.channel;
    if (!channel) {
      this.deps.logger.warn({ slack_user: user.platformUserId }, 'slack_no_channel_for_user');

      return;
    }
    await this.send({ channel }, reply);
  }

  async notifyApprovers(reply: Reply): Promise<void> {
    const channel = this.deps.approvalChannel;
    if (!channel) {
      this.deps.logger.info('slack_no_approval_channel_for_notice');

      return;
    }
    await this.send({ channel }, reply);
  }

  /** The bot's direct-message channel with a person, opened if need be. */
  async directChannel(userId: string): Promise<string | undefined> {
    try {
      const opened = await this.deps.client.conversations.open({ users: userId });

      return opened.channel?.id;
    } catch (err) {
      this.deps.logger.warn({ err, slack_user: userId }, 'slack_open_dm_failed');

      return undefined;
    }
  }

  /** Post a reply in a channel (or a thread of it): text, card, then any file. */
  async send(where: SlackRef, reply: Reply): Promise<void> {
    for (const message of replyMessages(reply)) {
      await this.deps.client.chat.postMessage({
        channel: where.channel,
        thread_ts: where.thread_ts,
        ...message,
      });
    }
    if (reply.file) await this.sendFile(where, reply.file);
  }

  /**
   * Upload a file (the audit CSV). Without files:write the upload fails; the start of the file
   * is then shown in a code block, so the person still gets an answer.
   */
  async sendFile(where: SlackRef, file: OutgoingFile): Promise<void> {
    try {
      const upload = { filename: file.name, title: file.name, content: file.content };
      await this.deps.client.files.uploadV2(
        where.thread_ts
          ? { ...upload, channel_id: where.channel, thread_ts: where.thread_ts }
          : { ...upload, channel_id: where.channel },
      );
    } catch (err) {
      this.deps.logger.warn({ err }, 'slack_file_upload_failed');
      await this.deps.client.chat.postMessage({
        channel: where.channel,
        thread_ts: where.thread_ts,
        ...inlineFileMessage(file.name, file.content),
      });
    }
  }
}
