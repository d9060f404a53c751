/**
 * Slack user id → ChatUser, through users.info (the e-mail needs the users:read.email scope).
 * Answers are cached briefly: every message and click would otherwise cost a Web API call.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { ChatUser } from '../../bot/ports.js';

type UsersInfo = Awaited<ReturnType<webApi.WebClient['users']['info']>>;
type SlackUser = NonNullable<UsersInfo['user']>;

export interface SlackUsersDeps {
  client: webApi.WebClient;
  logger: Logger;
  now?: () => number;
  ttlMs?: number;
}

const DEFAULT_TTL_MS = 5 * 60 * 1000;

/** Resolves and caches Slack users; a failed look-up yields a user without e-mail (refused). */
export class SlackUsers {
  private readonly cache = new Map<string, { user: ChatUser; until: number }>();

  constructor(private readonly deps: SlackUsersDeps) {}

  /**
   * The chat user for a Slack user id. `teamId` is the workspace the request came from: a person
   * from another organisation (a Slack Connect channel) gets no e-mail, because their profile
   * is vouched for by someone else's workspace and must not be matched to our directory.
   */
  async resolve(userId: string, teamId?: string): Promise<ChatUser> {
    const now = (this.deps.now ?? Date.now)();
    const key = `${teamId ?? ''}:${userId}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.user;

    let info: SlackUser | undefined;
    try {
      info = (await this.deps.client.users.info({ user: userId })).user;
    } catch (err) {
      this.deps.logger.warn({ err, slack_user: userId }, 'slack_users_info_failed');

      return { platform: 'slack', platformUserId: userId, displayName: userId };
    }

    const user = toChatUser(userId, info, teamId, this.deps.logger);
    this.cache.set(key, { user, until: now + (this.deps.ttlMs ?? DEFAULT_TTL_MS) });

    return user;
  }
}

function toChatUser(
  userId: string,
  info: SlackUser | undefined,
  teamId: string | undefined,
  logger: Logger,
): ChatUser {
  const profile = info?.profile;
  const displayName =
    profile?.display_name || profile?.real_name || info?.real_name || info?.name || userId;
  const user: ChatUser = { platform: 'slack', platformUserId: userId, displayName };

  const foreign =
    info?.is_stranger === true ||
    (!!teamId && !!info?.team_id && info.team_id !== teamId && !info.enterprise_user);
  if (foreign) {
    logger.warn({ slack_user: userId }, 'slack_user_from_another_workspace');

    return user;
  }
  if (info?.deleted || info?.is_bot) return user;

  const email = profile?.email?.trim();
  if (email) user.email = email;

  return user;
}
