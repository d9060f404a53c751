/**
 * Text in: the /enrol and /enroll slash commands, @-mentions in channels and direct messages.
 * Each is acknowledged at once (Bolt acks events itself), then handled, then answered.
 */
import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { IncomingFile, Reply } from '../../bot/ports.js';
import { answerPrivately, firstTime, sendFileToPerson, type SlackContext } from './context.js';
import { fileProblem, incomingFile, type SlackFile } from './files.js';
import { isDirectChannel, slackHandle } from './handles.js';
import { openRequestForm } from './modals.js';
import { replyMessages } from './render.js';

/** Slash command names; both spellings, as people type either. */
export const SLASH_COMMANDS = ['/enrol', '/enroll'] as const;

/** A bare command, or one with only the verb again, opens the form. */
const BARE = /^\s*(?:enrol|enroll)?\s*$/i;

export function registerMessages(app: App, ctx: SlackContext): void {
  for (const name of SLASH_COMMANDS) {
    app.command(name, async ({ command, ack, respond }) => {
      await ack();
      await slashCommand(ctx, command, respond);
    });
  }

  app.event('app_mention', async ({ event, body }) => {
    // Mentions in a DM also arrive as message.im and are handled there.
    if (isDirectChannel(event.channel) || !event.user) return;
    if (!(await firstTime(ctx, `message:${event.channel}:${event.ts}`))) return;

    await textMessage(ctx, {
      user: event.user,
      team: body.team_id,
      text: event.text,
      channel: event.channel,
      thread_ts: event.thread_ts ?? event.ts,
      files: (event as { files?: SlackFile[] }).files,
    });
  });

  app.event('message', async ({ event, body }) => {
    if (event.channel_type !== 'im') return;
    if (event.subtype !== undefined && event.subtype !== 'file_share') return;
    if (!('user' in event) || !event.user || ('bot_id' in event && event.bot_id)) return;
    if (!(await firstTime(ctx, `message:${event.channel}:${event.ts}`))) return;

    await textMessage(ctx, {
      user: event.user,
      team: body.team_id,
      text: ('text' in event ? event.text : '') ?? '',
      channel: event.channel,
      files: ('files' in event ? event.files : undefined) as SlackFile[] | undefined,
    });
  });
}

async function slashCommand(ctx: SlackContext, command: SlashCommand, respond: RespondFn) {
  if (BARE.test(command.text)) {
    await openRequestForm(ctx, command.trigger_id, {
      channel: command.channel_id,
      user: command.user_id,
    });

    return;
  }

  const user = await ctx.users.resolve(command.user_id, command.team_id);
  const replies = await ctx.bot.handleMessage({
    user,
    text: command.text,
    conversation: slackHandle({ channel: command.channel_id, user: command.user_id }),
    personal: isDirectChannel(command.channel_id),
  });

  // The response_url reaches the person even where the bot is not a channel member.
  try {
    for (const reply of replies) {
      for (const message of replyMessages(reply)) {
        await respond({ response_type: 'ephemeral', ...message });
      }
      if (reply.file) await sendFileToPerson(ctx, command.user_id, reply);
    }
  } catch (err) {
    ctx.logger.warn({ err }, 'slack_respond_failed');
    await answerPrivately(ctx, { channel: command.channel_id, user: command.user_id }, replies);
  }
}

interface TextIn {
  user: string;
  team?: string;
  text: string;
  channel: string;
  thread_ts?: string;
  files?: SlackFile[];
}

async function textMessage(ctx: SlackContext, message: TextIn): Promise<void> {
  const where = { channel: message.channel, thread_ts: message.thread_ts };
  const { accepted, refusals } = acceptFiles(ctx, message.files ?? []);
  if (refusals.length > 0) await ctx.gateway.send(where, { text: refusals.join('\n') });
  if (!message.text.trim() && accepted.length === 0) return;

  const user = await ctx.users.resolve(message.user, message.team);
  const replies: Reply[] = await ctx.bot.handleMessage({
    user,
    text: message.text,
    conversation: slackHandle({ ...where, user: message.user }),
    personal: isDirectChannel(message.channel),
    ...(accepted.length > 0 ? { files: accepted } : {}),
  });
  for (const reply of replies) await ctx.gateway.send(where, reply);
}

/** Files the bot may read, and a sentence for each it will not. */
function acceptFiles(ctx: SlackContext, files: SlackFile[]) {
  const accepted: IncomingFile[] = [];
  const refusals: string[] = [];
  for (const file of files) {
    const problem = fileProblem(file, ctx.files.production);
    if (problem) refusals.push(`I did not read ${file.name ?? 'a file'}: ${problem}.`);
    else accepted.push(incomingFile(file, ctx.files));
  }

  return { accepted, refusals };
}
