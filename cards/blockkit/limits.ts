/**
 * Slack's Block Kit limits, and the measure used to stay well inside them.
 */

/** Documented limits (api.slack.com/reference/block-kit), kept in one place for builders and tests. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  buttonText: 75,
  actionId: 255,
  buttonValue: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  optionText: 75,
  optionValue: 150,
  optionsPerResponse: 100,
} as const;

/**
 * Slack has refused messages with `msg_blocks_too_long` at about 13,000 characters of text spread
 * over a few blocks (bolt-js#2509), far below the per-block limits; this budget keeps a margin.
 */
export const SLACK_TEXT_BUDGET = 10_000;

/** Characters of text in a payload: every `text` string in any text object, and the fallback. */
export function textLength(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((sum: number, n) => sum + textLength(n), 0);
  if (!node || typeof node !== 'object') return 0;

  return Object.entries(node).reduce(
    (sum, [key, value]) =>
      sum + (key === 'text' && typeof value === 'string' ? value.length : textLength(value)),
    0,
  );
}

/** A Block Kit message: the notification text and the blocks. */
export interface BlockKitMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

const SCALES = [1, 0.5, 0.25, 0.1];

/** Renders at full length, then shorter until the whole message fits the text budget. */
export function fitToSlack(render: (scale: number) => BlockKitMessage): BlockKitMessage {
  let message: BlockKitMessage = { text: '', blocks: [] };
  for (const scale of SCALES) {
    message = render(scale);
    if (textLength(message) <= SLACK_TEXT_BUDGET) return message;
  }
  return message;
}
