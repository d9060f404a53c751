/** Bot replies as Slack message arguments: text escaped for mrkdwn, cards through Block Kit. */
import type { types } from '@slack/bolt';
import type { Reply } from '../../bot/ports.js';
import { escapeMrkdwn, fitEscaped, toBlockKit } from '../../cards/blockkit/index.js';
import type { CardView } from '../../cards/views.js';

/** Slack shows up to 40,000 characters but advises 4,000; longer replies are shortened. */
const TEXT_MAX = 3900;

/** What chat.postMessage, chat.update and respond() take for one message. */
export interface SlackMessage {
  text: string;
  blocks?: types.KnownBlock[];
}

/** A card view as a message; Block Kit always carries a top-level text for notifications. */
export function cardMessage(view: CardView): SlackMessage {
  const message = toBlockKit(view);

  return { text: message.text, blocks: message.blocks as unknown as types.KnownBlock[] };
}

/** Plain bot text as mrkdwn that shows literally: no mentions, links or formatting from users. */
export function textMessage(text: string): SlackMessage {
  return { text: fitEscaped(escapeMrkdwn(text), TEXT_MAX) };
}

/** The messages for a reply, in order: its text, then its card. Files are sent separately. */
export function replyMessages(reply: Reply): SlackMessage[] {
  const messages: SlackMessage[] = [];
  if (reply.text) messages.push(textMessage(reply.text));
  if (reply.card) messages.push(cardMessage(reply.card));

  return messages;
}

/** The most of a file shown inline when it cannot be uploaded. */
export const INLINE_FILE_MAX = 3000;

/** A file as a code block, when uploading is not possible (no files:write scope). */
export function inlineFileMessage(name: string, content: string): SlackMessage {
  const shown = content.length > INLINE_FILE_MAX ? content.slice(0, INLINE_FILE_MAX) : content;
  const cut = shown.length < content.length ? '\n(shortened; ask for a shorter period)' : '';
  const body = escapeMrkdwn(shown).replace(/```/g, "'''");

  return { text: `${escapeMrkdwn(name)}:\n\`\`\`${body}\`\`\`${cut}` };
}
