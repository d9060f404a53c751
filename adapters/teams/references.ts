/** Conversation references kept in the store, so the bot can write to people after a restart. */
import { TurnContext, type ConversationReference } from 'botbuilder';
import type { RequestStore } from '../../src/store/requestStore.js';
import type { ConversationHandle } from '../../src/workflow/types.js';

const PERSONAL = 'teams:personal:';

/** The handle the domain stores for a Teams conversation (and, for cards, the activity id). */
export function toHandle(
  ref: Partial<ConversationReference>,
  activityId?: string,
): ConversationHandle {
  const stored = { ...ref, activityId: activityId ?? ref.activityId } as Record<string, unknown>;

  return { platform: 'teams', ref: JSON.parse(JSON.stringify(stored)) as Record<string, unknown> };
}

/** The conversation reference inside a handle. */
export function fromHandle(handle: ConversationHandle): Partial<ConversationReference> {
  return handle.ref as Partial<ConversationReference>;
}

/** Remember a user's personal chat, from any activity that happens in one. */
export async function rememberPersonal(store: RequestStore, context: TurnContext): Promise<void> {
  const activity = context.activity;
  if (activity.conversation?.conversationType !== 'personal' || !activity.from?.id) return;

  const ref = TurnContext.getConversationReference(activity);
  const key = PERSONAL + activity.from.id;
  const known = store.getMeta<Partial<ConversationReference>>(key);
  if (known?.conversation?.id === ref.conversation?.id && known?.serviceUrl === ref.serviceUrl)
    return;

  await store.setMeta(key, JSON.parse(JSON.stringify({ ...ref, activityId: undefined })));
}

/** The personal chat of a Teams user, if the bot has seen one. */
export function personalChat(
  store: RequestStore,
  userId: string,
): Partial<ConversationReference> | undefined {
  return store.getMeta<Partial<ConversationReference>>(PERSONAL + userId);
}
