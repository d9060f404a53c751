/** Bot replies as Teams activities: cards become Adaptive Card attachments. */
import { CardFactory, type Activity, type Attachment } from 'botbuilder';
import { toAdaptiveCard } from '../../cards/adaptive/index.js';
import { ACTION_VERBS, type CardView } from '../../cards/views.js';
import type { Reply } from '../../bot/ports.js';

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

/** One reply as a message activity. Files are sent as text here: Teams needs a consent flow for files. */
export function replyActivity(reply: Reply): Partial<Activity> {
  const activity: Partial<Activity> = { type: 'message' };
  if (reply.text) {
    activity.text = escapeTeamsText(reply.text);
    activity.textFormat = 'plain';
  }
  if (reply.card) activity.attachments = [cardAttachment(reply.card)];
  if (reply.file) {
    activity.attachments = [
      ...(activity.attachments ?? []),
      { contentType: reply.file.contentType, name: reply.file.name, content: reply.file.content },
    ];
  }

  return activity;
}

/** Teams renders some HTML in plain messages; user text must not become markup or mentions. */
export function escapeTeamsText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
