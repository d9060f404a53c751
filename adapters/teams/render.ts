/** Bot replies as Teams activities: cards become Adaptive Card attachments. */
import { CardFactory, type Activity, type Attachment } from 'botbuilder';
import { toAdaptiveCard } from '../../cards/adaptive/index.js';
import { ACTION_VERBS, type CardView, type InfoView } from '../../cards/views.js';
import type { OutgoingFile, Reply } from '../../bot/ports.js';

/**
 * The Adaptive Card for a view. Pending approval cards ask every viewer's client to refresh, so
 * the bot can hide the buttons from people who may not decide (Teams does this for chats and
 * channels of up to 60 members; clicks are authorised in any case).
 */
export function cardAttachment(view: CardView): Attachment {
  const card = toAdaptiveCard(view) as Record<string, unknown>;
  if (view.kind === 'approval' && view.actionable) {
    card.refresh = {
      action: {
        type: 'Action.Execute',
        verb: ACTION_VERBS.refresh,
        data: { requestId: view.requestId },
      },
    };
  }

  return CardFactory.adaptiveCard(card);
}

/** Lines of a file shown in chat; longer files are cut with a note. */
const FILE_LINES_SHOWN = 150;

/**
 * One reply as a message activity. Teams takes files from bots only through a consent flow in
 * personal chat, so a file (the audit CSV, a batch list) is shown as a card with its lines.
 */
export function replyActivity(reply: Reply): Partial<Activity> {
  const activity: Partial<Activity> = { type: 'message' };
  if (reply.text) activity.text = escapeTeamsText(reply.text);
  const attachments: Attachment[] = [];
  if (reply.card) attachments.push(cardAttachment(reply.card));
  if (reply.file) attachments.push(cardAttachment(fileView(reply.file)));
  if (attachments.length) activity.attachments = attachments;

  return activity;
}

function fileView(file: OutgoingFile): InfoView {
  const lines = file.content.split(/\r?\n/).filter((l) => l.length > 0);
  const shown = lines.slice(0, FILE_LINES_SHOWN);
  // Cards list at most 30 lines a section, so the file goes in slices.
  const sections: InfoView['sections'] = [];
  for (let i = 0; i < shown.length; i += 25) sections.push({ lines: shown.slice(i, i + 25) });
  if (lines.length > shown.length) {
    sections.push({
      lines: [
        `${lines.length - shown.length} more lines not shown; the whole file is on the bot's server (npm run audit).`,
      ],
    });
  }

  return { kind: 'info', title: file.name, sections };
}

/**
 * User text inside a Teams message: Teams reads messages as markdown with some HTML, so markup
 * characters are neutralised and line breaks kept.
 */
export function escapeTeamsText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]~#|])/g, '\\$1')
    .replace(/\r?\n/g, '<br>');
}
