/**
 * Small helpers to look inside rendered cards and Block Kit payloads without caring about nesting.
 */

/** A JSON object as the tests see it. */
export type Json = Record<string, unknown>;

/** Every object in `node` (itself included) that matches `pred`, depth first. */
export function findAll(node: unknown, pred: (o: Json) => boolean): Json[] {
  const out: Json[] = [];
  const visit = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (n && typeof n === 'object') {
      if (pred(n as Json)) out.push(n as Json);
      Object.values(n).forEach(visit);
    }
  };
  visit(node);
  return out;
}

/** Objects whose `type` is `type`. */
export function ofType(node: unknown, type: string): Json[] {
  return findAll(node, (o) => o.type === type);
}

/** Every string value anywhere in `node`. */
export function allStrings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(allStrings);
  if (node && typeof node === 'object') return Object.values(node).flatMap(allStrings);
  return [];
}

/** All visible text of a card joined, for `include` assertions. */
export function textOf(node: unknown): string {
  return allStrings(node).join('\n');
}
