/**
 * Validates Adaptive Cards with Microsoft's own SDK, the way a client would parse them.
 *
 * The package's ESM build does not load in Node (extensionless imports), so the runtime comes from
 * its UMD bundle and only the types from the package itself.
 */
import { createRequire } from 'node:module';
import type * as ACTypes from 'adaptivecards';

const require = createRequire(import.meta.url);
const AC = require('adaptivecards/dist/adaptivecards.min.js') as typeof ACTypes;

const VERSIONS: Record<string, ACTypes.Version> = {
  '1.2': AC.Versions.v1_2,
  '1.3': AC.Versions.v1_3,
  '1.4': AC.Versions.v1_4,
  '1.5': AC.Versions.v1_5,
  '1.6': AC.Versions.v1_6,
};

/**
 * Everything the SDK objects to when parsing `json` as a client supporting `version`: unknown or
 * too-new elements and properties (parse events) and invalid properties (validation events).
 * An empty list means the card is clean.
 */
export function cardProblems(json: object, version = '1.5'): string[] {
  const target = VERSIONS[version];
  if (!target) throw new Error(`unsupported Adaptive Card version ${version}`);

  const context = new AC.SerializationContext(target);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);

  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    problems.push(`parse: ${context.getEventAt(i).message}`);
  }
  for (const event of card.validateProperties().validationEvents) {
    problems.push(`${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  return problems;
}
