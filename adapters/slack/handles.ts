/** Conversation handles for Slack: a channel id, and for messages their timestamp and thread. */
import type { ConversationHandle } from '../../src/workflow/types.js';

/** Where something is in Slack. `ts` names a message; `user` whom a DM or ephemeral is for. */
export interface SlackRef {
  channel: string;
  ts?: string;
  thread_ts?: string;
  user?: string;
}

/** The handle the domain stores for a Slack channel or message. */
export function slackHandle(ref: SlackRef): ConversationHandle {
  const clean: Record<string, unknown> = { channel: ref.channel };
  if (ref.ts) clean.ts = ref.ts;
  if (ref.thread_ts) clean.thread_ts = ref.thread_ts;
  if (ref.user) clean.user = ref.user;

  return { platform: 'slack', ref: clean };
}

/** The Slack reference inside a handle, or undefined when it is not a usable Slack one. */
export function slackRef(handle: ConversationHandle | undefined): SlackRef | undefined {
  if (!handle || handle.platform !== 'slack') return undefined;

  const { channel, ts, thread_ts, user } = handle.ref;
  if (typeof channel !== 'string' || !channel) return undefined;

  return {
    channel,
    ts: typeof ts === 'string' ? ts : undefined,
    thread_ts: typeof thread_ts === 'string' ? thread_ts : undefined,
    user: typeof user === 'string' ? user : undefined,
  };
}

/** Direct-message channel ids start with D; the whole channel does not see answers there. */
export function isDirectChannel(channel: string | undefined): boolean {
  return typeof channel === 'string' && channel.startsWith('D');
}
