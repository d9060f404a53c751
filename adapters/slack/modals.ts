/**
 * Opening the two modals. A trigger_id lives three seconds, so callers open them right after
 * their ack, before any other work. Where to answer travels in private_metadata.
 */
import type { types } from '@slack/bolt';
import { denyModal, requestFormModal } from '../../cards/blockkit/index.js';
import type { SlackContext } from './context.js';
import type { SlackRef } from './handles.js';

/** private_metadata of the request form: where the request was made and by whom. */
export interface FormOrigin {
  channel?: string;
  user: string;
}

/** What the deny modal's cardRef holds: the message to update, and whether it is a batch. */
export interface DenyTarget {
  channel?: string;
  ts?: string;
  batch?: boolean;
}

/** Open the request form modal; the origin comes back with the submission. */
export async function openRequestForm(
  ctx: SlackContext,
  triggerId: string,
  origin: FormOrigin,
): Promise<void> {
  const view = { ...requestFormModal(), private_metadata: JSON.stringify(origin) };
  await ctx.client.views.open({ trigger_id: triggerId, view: view as types.ModalView });
}

/** Open the "deny with a reason" modal for a request (or a batch) on a message. */
export async function openDenyModal(
  ctx: SlackContext,
  triggerId: string,
  id: string,
  target: DenyTarget,
): Promise<void> {
  const view = denyModal(id, JSON.stringify(target));
  await ctx.client.views.open({ trigger_id: triggerId, view: view as types.ModalView });
}

/** Parse a modal's private_metadata; anything unexpected gives an empty object. */
export function readMetadata(raw: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw ?? '');

    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The message a deny modal is about, from its metadata. */
export function denyTarget(metadata: Record<string, unknown>): {
  id?: string;
  batch: boolean;
  card?: SlackRef;
} {
  const target = readMetadata(typeof metadata.cardRef === 'string' ? metadata.cardRef : '');
  const channel = typeof target.channel === 'string' ? target.channel : undefined;
  const ts = typeof target.ts === 'string' ? target.ts : undefined;

  return {
    id: typeof metadata.requestId === 'string' ? metadata.requestId : undefined,
    batch: target.batch === true,
    card: channel ? { channel, ts } : undefined,
  };
}
