/**
 * Checks a Block Kit payload against Slack's documented limits and our escaping rule, returning
 * what is wrong in words (an empty list means it would be accepted and shows no live markup).
 */
import { SLACK_LIMITS, textLength } from '../../../../cards/blockkit/index.js';
import { findAll, type Json } from '../walk.js';

const text = (o: unknown) => ((o as Json | undefined)?.text as string | undefined) ?? '';

/** Overrides for modals (100 blocks) or a stricter text budget. */
export interface Limits {
  maxBlocks?: number;
  budget?: number;
}

/** Problems with a message (or, with `maxBlocks: 100`, a modal's blocks). */
export function blockKitProblems(
  message: { text?: string; blocks: Json[] },
  { maxBlocks = SLACK_LIMITS.blocksPerMessage, budget = 12_000 }: Limits = {},
): string[] {
  const out: string[] = [];
  const check = (ok: boolean, what: string) => ok || out.push(what);

  check(message.blocks.length <= maxBlocks, `${message.blocks.length} blocks`);
  check(textLength(message) <= budget, `${textLength(message)} characters of text`);
  for (const block of message.blocks) {
    if (block.type === 'header') check(text(block.text).length <= 150, 'header too long');
    if (block.type === 'section') {
      check(text(block.text).length <= SLACK_LIMITS.sectionText, 'section text too long');
      const fields = (block.fields as Json[] | undefined) ?? [];
      check(fields.length <= SLACK_LIMITS.sectionFields, 'too many fields');
      fields.forEach((f) => check(text(f).length <= SLACK_LIMITS.fieldText, 'field too long'));
    }
    if (block.type === 'context') {
      check((block.elements as Json[]).length <= SLACK_LIMITS.contextElements, 'context too big');
    }
    const ids = findAll(block, (o) => typeof o.action_id === 'string').map((o) => o.action_id);
    check(new Set(ids).size === ids.length, 'action_id repeated within a block');
  }
  for (const button of findAll(message.blocks, (o) => o.type === 'button')) {
    check(text(button.text).length <= SLACK_LIMITS.buttonText, 'button text too long');
    check((button.action_id as string).length <= SLACK_LIMITS.actionId, 'action_id too long');
    check(((button.value as string) ?? '').length <= SLACK_LIMITS.buttonValue, 'value too long');
    const confirm = button.confirm as Json | undefined;
    if (confirm) {
      check(text(confirm.title).length <= SLACK_LIMITS.confirmTitle, 'confirm title too long');
      check(text(confirm.text).length <= SLACK_LIMITS.confirmText, 'confirm text too long');
    }
  }
  for (const t of findAll(message.blocks, (o) => o.type === 'plain_text' || o.type === 'mrkdwn')) {
    check(text(t).length > 0, `empty ${t.type as string}`);
  }
  for (const t of findAll(message.blocks, (o) => o.type === 'mrkdwn')) {
    check(
      !/[<>]|&(?!amp;|lt;|gt;)/.test(text(t)),
      `unescaped markup in ${JSON.stringify(text(t))}`,
    );
  }
  return out;
}
