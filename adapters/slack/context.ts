/** What every Slack listener works with, built once by createSlack. */
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { EnrolBot } from '../../bot/bot.js';
import type { Reply } from '../../bot/ports.js';
import type { RequestStore } from '../../src/store/requestStore.js';
import type { SlackFileOptions } from './files.js';
import type { SlackGateway } from './gateway.js';
import { isDirectChannel } from './handles.js';
import { replyMessages } from './render.js';
import type { SlackUsers } from './users.js';

export interface SlackContext {
  bot: EnrolBot;
  client: webApi.WebClient;
  gateway: SlackGateway;
  users: SlackUsers;
  store: RequestStore;
  logger: Logger;
  files: SlackFileOptions;
}

/** How long seen event ids and message timestamps are remembered; Slack retries for ~5 min. */
export const SEEN_TTL_MS = 60 * 60 * 1000;

/** True the first time a key is seen; kept in the store, so a restart does not forget it. */
export async function firstTime(ctx: Pick<SlackContext, 'store'>, key: string): Promise<boolean> {
  return ctx.store.setMetaIfAbsent(`slack:seen:${key}`, true, { ttlMs: SEEN_TTL_MS });
}

/**
 * Answer one person where they asked, visible to them alone: ephemeral in a channel, a plain
 * message in their DM with the bot. A channel the bot is not in refuses ephemerals, so the
 * answer then goes to their DM.
 */
export async function answerPrivately(
  ctx: SlackContext,
  where: { channel?: string; user: string },
  replies: Reply[],
): Promise<void> {
  for (const reply of replies) {
    if (where.channel && isDirectChannel(where.channel)) {
      await ctx.gateway.send({ channel: where.channel }, reply);
      continue;
    }
    try {
      if (!where.channel) throw new Error('no channel');
      for (const message of replyMessages(reply)) {
        await ctx.client.chat.postEphemeral({
          channel: where.channel,
          user: where.user,
          ...message,
        });
      }
      if (reply.file) await sendFileToPerson(ctx, where.user, reply);
    } catch (err) {
      ctx.logger.info({ err }, 'slack_ephemeral_failed_using_dm');
      await ctx.gateway.notify({ platformUserId: where.user }, undefined, reply);
    }
  }
}

/** Files never go to a channel: the audit CSV is for the person who asked. */
export async function sendFileToPerson(ctx: SlackContext, user: string, reply: Reply) {
  const channel = await ctx.gateway.directChannel(user);
  if (channel && reply.file) await ctx.gateway.sendFile({ channel }, reply.file);
}
