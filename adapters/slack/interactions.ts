/**
 * Clicks and modals: Approve, Deny (through the reason modal), pick-one buttons, the request
 * form and its contractor search. Every click is acknowledged first, then decided by the bot,
 * which checks the clicker against APPROVER_GROUP at that moment.
 */
import type { App, BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { ActionAnswer } from '../../bot/ports.js';
import {
  contractorOptions,
  DENY_MODAL_ID,
  FORM_MODAL_ID,
  MODAL_INPUTS,
} from '../../cards/blockkit/index.js';
import { ACTION_VERBS } from '../../cards/views.js';
import { answerPrivately, type SlackContext } from './context.js';
import { isDirectChannel, slackHandle, slackRef, type SlackRef } from './handles.js';
import { denyTarget, openDenyModal, openRequestForm, readMetadata } from './modals.js';
import { cardMessage } from './render.js';

type Click = BlockAction<ButtonAction>;

export function registerInteractions(app: App, ctx: SlackContext): void {
  const decide = (verb: string, key: 'requestId' | 'batchId') =>
    app.action<Click>(verb, async ({ ack, body, action }) => {
      await ack();
      await act(ctx, body, verb, { [key]: action.value ?? '' });
    });
  decide(ACTION_VERBS.approve, 'requestId');
  decide(ACTION_VERBS.batchApprove, 'batchId');

  const deny = (verb: string, batch: boolean) =>
    app.action<Click>(verb, async ({ ack, body, action }) => {
      await ack();
      const card = clickedMessage(body);
      await openDenyModal(ctx, body.trigger_id, action.value ?? '', { ...card, batch });
    });
  deny(ACTION_VERBS.deny, false);
  deny(ACTION_VERBS.batchDeny, true);

  app.action<Click>(ACTION_VERBS.choose, async ({ ack, body, action }) => {
    await ack();
    const data = readMetadata(action.value);
    await act(ctx, body, ACTION_VERBS.choose, data);
  });

  app.action<Click>(ACTION_VERBS.openForm, async ({ ack, body }) => {
    await ack();
    await openRequestForm(ctx, body.trigger_id, { channel: body.channel?.id, user: body.user.id });
  });

  app.view<ViewSubmitAction>(DENY_MODAL_ID, async ({ ack, body, view }) => {
    await ack();
    const target = denyTarget(readMetadata(view.private_metadata));
    const comment = view.state.values[MODAL_INPUTS.reason]?.[MODAL_INPUTS.reason]?.value ?? '';
    const verb = target.batch ? ACTION_VERBS.batchDeny : ACTION_VERBS.deny;
    const data = target.batch
      ? { batchId: target.id ?? '', comment }
      : { requestId: target.id ?? '', comment };
    await decideAndShow(ctx, body.user.id, body.team?.id, verb, data, target.card);
  });

  app.view<ViewSubmitAction>(FORM_MODAL_ID, async ({ ack, body, view }) => {
    await ack();
    const origin = readMetadata(view.private_metadata);
    const values = view.state.values;
    const data = {
      contractor:
        values[MODAL_INPUTS.contractor]?.[MODAL_INPUTS.contractor]?.selected_option?.value,
      method: values[MODAL_INPUTS.method]?.[MODAL_INPUTS.method]?.selected_option?.value,
      reason: values[MODAL_INPUTS.reason]?.[MODAL_INPUTS.reason]?.value ?? '',
    };
    const channel = typeof origin.channel === 'string' ? origin.channel : undefined;
    const where = channel ? { channel, user: body.user.id } : undefined;
    await decideAndShow(ctx, body.user.id, body.team?.id, ACTION_VERBS.submitForm, data, where);
  });

  app.options(MODAL_INPUTS.contractor, async ({ ack, options }) => {
    try {
      const found = await ctx.bot.searchContractors(options.value ?? '');
      await ack(contractorOptions(found) as Parameters<typeof ack>[0]);
    } catch (err) {
      ctx.logger.warn({ err }, 'slack_contractor_search_failed');
      await ack({ options: [] });
    }
  });
}

function clickedMessage(body: Click): SlackRef {
  return {
    channel: body.channel?.id ?? body.container?.channel_id,
    ts: body.message?.ts ?? body.container?.message_ts,
  } as SlackRef;
}

async function act(ctx: SlackContext, body: Click, verb: string, data: Record<string, unknown>) {
  const card = clickedMessage(body);
  await decideAndShow(
    ctx,
    body.user.id,
    body.team?.id,
    verb,
    data,
    card.channel ? card : undefined,
  );
}

/** Run the action and show its answer: the card updated, a notice for the clicker, replies. */
async function decideAndShow(
  ctx: SlackContext,
  userId: string,
  teamId: string | undefined,
  verb: string,
  data: Record<string, unknown>,
  card: SlackRef | undefined,
): Promise<void> {
  const user = await ctx.users.resolve(userId, teamId);
  const conversation = slackHandle(
    card ? { channel: card.channel, user: userId } : { channel: userId },
  );
  const answer = await ctx.bot.handleAction({
    user,
    verb,
    data,
    card: card?.ts ? slackHandle(card) : undefined,
    conversation,
    personal: isDirectChannel(card?.channel),
  });
  await showAnswer(ctx, answer, { user: userId, card, requestId: data.requestId });
}

async function showAnswer(
  ctx: SlackContext,
  answer: ActionAnswer,
  where: { user: string; card?: SlackRef; requestId?: unknown },
): Promise<void> {
  // A refusal on a card that is still live is for the clicker alone; the card stays as it is.
  const live = !answer.card || (answer.card.kind === 'approval' && answer.card.actionable);
  if (answer.notice) {
    await answerPrivately(ctx, { channel: where.card?.channel, user: where.user }, [
      { text: answer.notice },
    ]);
  }
  const card = where.card;
  if (answer.card && card?.ts && !(answer.notice && live) && !storedCard(ctx, where, card)) {
    await ctx.client.chat.update({
      channel: card.channel,
      ts: card.ts,
      ...cardMessage(answer.card),
    });
  }
  if (answer.replies?.length) {
    await answerPrivately(ctx, { channel: card?.channel, user: where.user }, answer.replies);
  }
}

/**
 * The request's own approval message is kept current by the notifier on every state change;
 * updating it here too could put back an older state after a fast send has finished.
 */
function storedCard(ctx: SlackContext, where: { requestId?: unknown }, card: SlackRef): boolean {
  if (typeof where.requestId !== 'string') return false;

  const stored = slackRef(ctx.store.get(where.requestId)?.card);

  return stored?.channel === card.channel && stored?.ts === card.ts;
}
