/** Who is talking: the chat user resolved to their directory record, or why not. */
import type { CombinedDirectory, DirectoryRecord } from '../src/directory/types.js';
import { DirectoryUnavailableError } from '../src/errors.js';
import type { ActorRef } from '../src/workflow/types.js';
import type { ChatUser } from './ports.js';

export type Identity =
  | { ok: true; actor: ActorRef; record: DirectoryRecord }
  | { ok: false; actor: ActorRef; message: string };

/** Resolve a chat user through the directory; the bot acts for nobody it cannot find. */
export async function resolveUser(directory: CombinedDirectory, user: ChatUser): Promise<Identity> {
  const login = user.userPrincipalName ?? user.email;
  const actor: ActorRef = {
    platform: user.platform,
    platformUserId: user.platformUserId,
    displayName: user.displayName,
    login,
  };

  if (!user.aadObjectId && !user.userPrincipalName && !user.email) {
    const why =
      user.platform === 'slack'
        ? 'Slack did not give me your e-mail address (the app needs the users:read.email scope and your profile needs an e-mail)'
        : 'your chat account did not tell me who you are';

    return {
      ok: false,
      actor,
      message: `${why}, so I cannot match you to the directory and will not act for you.`,
    };
  }

  let record: DirectoryRecord | undefined;
  try {
    record = await directory.findPerson({
      aadObjectId: user.aadObjectId,
      userPrincipalName: user.userPrincipalName,
      email: user.email,
    });
  } catch (err) {
    if (err instanceof DirectoryUnavailableError) {
      return {
        ok: false,
        actor,
        message:
          'The directory cannot be reached right now, so I cannot check who you are. Try again shortly.',
      };
    }
    throw err;
  }
  if (!record) {
    return {
      ok: false,
      actor,
      message: `I cannot find you (${login ?? user.displayName}) in the directory, so I will not act for you. Ask IT to check your directory entry.`,
    };
  }

  return {
    ok: true,
    actor: {
      ...actor,
      directoryId: record.id,
      displayName: record.displayName || actor.displayName,
    },
    record,
  };
}
