/**
 * Template expansion and the size budget shared by every Adaptive Card builder.
 */
import { Template } from 'adaptivecards-templating';

/**
 * Teams has refused messages above 28 KB of UTF-16 in the past (the documented limit has moved
 * since); budgeting against the strictest value keeps every card deliverable everywhere.
 */
export const ADAPTIVE_CARD_MAX_BYTES = 28 * 1024;

/** The schema version Teams renders. */
export const ADAPTIVE_CARD_VERSION = '1.5';

/** Size of a card as Teams counts it: its JSON in UTF-16. */
export function cardBytes(card: object): number {
  return JSON.stringify(card).length * 2;
}

/** Parsed templates: parsing the expressions costs more than filling them in. */
const prepared = new WeakMap<object, Template>();

/** Fills a JSON template with already-escaped data; the template itself is never modified. */
export function expand(template: object, data: object): Record<string, unknown> {
  let parsed = prepared.get(template);
  if (!parsed) {
    parsed = new Template(template);
    prepared.set(template, parsed);
  }

  // expand() is synchronous, so one parsed template can serve every caller in turn.
  return parsed.expand({ $root: data }) as Record<string, unknown>;
}

// Each step shrinks every text cap; the last one is small enough for any view the bot makes.
const SCALES = [1, 0.5, 0.25, 0.1];

/**
 * Renders at full length first, then with shorter text until the card fits the budget. Returns the
 * smallest attempt if none fits, so callers still get a card (the test suite guards that case).
 */
export function fitToBudget(render: (scale: number) => Record<string, unknown>) {
  let card: Record<string, unknown> = {};
  for (const scale of SCALES) {
    card = render(scale);
    if (cardBytes(card) <= ADAPTIVE_CARD_MAX_BYTES) return card;
  }
  return card;
}
