/**
 * Shared steps of the security, crash and operations scenarios: start the real app with options
 * (a capturing logger, instant push polling), ask for an enrolment as Alex, click a card button.
 */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { startApp, type AppOptions, type RunningApp } from '../../adapters/app.js';
import { loadConfig } from '../../src/config/index.js';
import type { Env } from '../../src/config/parse.js';
import { createLogger } from '../../src/logging.js';
import { tempDataDir } from '../support/app.js';
import { textOf, type FakeConnector } from '../support/fakeConnector.js';
import {
  invokeActivity,
  messageActivity,
  PEOPLE,
  postActivity,
  type Person,
} from '../support/teams.js';

/** The third approver of the sample directory, as Teams would describe her. */
export const PATTI = {
  id: '29:patti',
  name: 'Patti Fernandez',
  aadObjectId: '00000000-0000-0000-0000-0000000000024',
  userPrincipalName: 'pattif@example.com',
  email: 'pattif@example.com',
};

/** Everyone the fake connector should know, Patti included. */
export const EVERYONE: Person[] = [...Object.values(PEOPLE), PATTI as unknown as Person];

/** Start the real app on a temp store; silent unless a logger is given. */
export async function startSecureApp(
  env: Env = {},
  options: AppOptions = {},
  dataDir = tempDataDir(),
): Promise<RunningApp & { dataDir: string }> {
  const config = loadConfig({
    PORT: '0',
    STORE_PATH: path.join(dataDir, 'enrolbot.json'),
    DEMO_SELF_APPROVAL: 'false',
    ...env,
  });
  const logger: Logger = options.logger ?? pino({ level: 'silent' });
  const running = await startApp(config, { ...options, logger });

  return Object.assign(running, { dataDir });
}

/** A product logger (createLogger) whose every line is kept in memory. */
export function capturingLogger(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });

  return {
    logger: createLogger({ level: 'trace', destination: stream }),
    text: () => lines.join(''),
  };
}

/** Alex asks for an enrolment; returns the request id and where its card lives. */
export async function askFor(
  app: RunningApp,
  connector: FakeConnector,
  text = 'enrol contractor jdoe by sms',
  from: Person = PEOPLE.alex,
): Promise<{ requestId: string; cardId?: string; conversationId: string }> {
  const before = connector.posted().length;
  const res = await postActivity(app.url, messageActivity(connector.url, from, text));
  assert.equal(res.status, 200);
  const card = connector
    .posted()
    .slice(before)
    .find((c) => textOf(c).includes('application/vnd.microsoft.card.adaptive'));
  assert.ok(card, `an approval card was posted for "${text}"`);
  const requestId = /REQ-\d+/.exec(textOf(card))?.[0];
  assert.ok(requestId);
  const cardId = (app.core.store.get(requestId)?.card?.ref as { activityId?: string } | undefined)
    ?.activityId;

  return { requestId, cardId, conversationId: card.conversationId! };
}

/** One click on a card button over HTTP; returns the invoke's status and body text. */
export async function click(
  app: RunningApp,
  connector: FakeConnector,
  who: Person,
  verb: string,
  requestId: string,
): Promise<{ status: number; text: string }> {
  const res = await postActivity(app.url, invokeActivity(connector.url, who, verb, { requestId }));

  return { status: res.status, text: JSON.stringify(res.body ?? {}) };
}

/** The text of the last thing the bot posted (a reply or a notice). */
export function lastPosted(connector: FakeConnector): string {
  const last = connector.posted().at(-1);

  return last ? textOf(last) : '';
}
