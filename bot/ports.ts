/**
 * What the bot needs from a chat platform and what it gives back, in platform-neutral terms.
 * Adapters implement `ChatGateway` and call `EnrolBot`; nothing here knows Teams or Slack.
 */
import type { CardView } from '../cards/views.js';
import type { ConversationHandle, Platform } from '../src/workflow/types.js';

/** A chat user as the platform describes them. */
export interface ChatUser {
  platform: Platform;
  platformUserId: string;
  displayName: string;
  /** Teams: `from.aadObjectId`. */
  aadObjectId?: string;
  /** Teams: `TeamsInfo.getMember().userPrincipalName`. */
  userPrincipalName?: string;
  /** Slack: `users.info` profile e-mail; Teams: member e-mail. */
  email?: string;
}

/** A file attached to a message, fetched only from the platform's own file host. */
export interface IncomingFile {
  name: string;
  size?: number;
  /** Reads the file's text; adapters enforce their host allow-list and a size cap. */
  read(): Promise<string>;
}

/** A message to the bot. */
export interface IncomingMessage {
  user: ChatUser;
  text: string;
  /** Where the message came from, for answering later (the approval card, notices). */
  conversation: ConversationHandle;
  /** True for personal chats and DMs, where the whole channel does not see the answer. */
  personal: boolean;
  files?: IncomingFile[];
}

/**
 * Thrown by `IncomingFile.read()` when the file may not or cannot be read; the message is a
 * sentence for the person who sent it.
 */
export class FileRefusedError extends Error {
  override readonly name: string = 'FileRefusedError';
}

/** A file the bot sends back (the audit CSV, a batch's full list). */
export interface OutgoingFile {
  name: string;
  contentType: string;
  content: string;
}

/** One answer: text, a card, or a file, each optional but at least one present. */
export interface Reply {
  text?: string;
  card?: CardView;
  file?: OutgoingFile;
}

/** A click on a card button or a form submission. */
export interface CardAction {
  user: ChatUser;
  verb: string;
  data: Record<string, unknown>;
  /** The message that carried the card, so its platform can update it. */
  card?: ConversationHandle;
  conversation: ConversationHandle;
  personal: boolean;
}

/** What the clicker sees at once; the card is replaced for everyone by the gateway. */
export interface ActionAnswer {
  /** The card to show in place of the clicked one. */
  card?: CardView;
  /** A short message for the clicker only (a toast, an ephemeral message). */
  notice?: string;
  /** Further answers in the conversation (e.g. a choose click starts a request). */
  replies?: Reply[];
}

/** How the bot writes to a platform outside a turn. */
export interface ChatGateway {
  readonly platform: Platform;
  /**
   * Post an approval card where approvers decide: the configured approval channel, or back into
   * the conversation the request came from. Returns where it landed, for later updates.
   */
  postApproval(view: CardView, origin: ConversationHandle | undefined): Promise<ConversationHandle>;
  /** Replace a posted card; when it cannot be updated, post the view as a new message nearby. */
  updateCard(card: ConversationHandle, view: CardView): Promise<void>;
  /** Write to a person: their personal chat when known, else the given conversation. */
  notify(
    user: { platformUserId: string },
    fallback: ConversationHandle | undefined,
    reply: Reply,
  ): Promise<void>;
  /** Write to the approvers' channel (reminders, offboarding reports). */
  notifyApprovers(reply: Reply): Promise<void>;
}
