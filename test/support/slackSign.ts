/**
 * Signed requests to the bot's /slack/events, as Slack sends them (events as JSON, slash
 * commands as a form, interactivity as a form with one `payload` field holding JSON), and the
 * running bot they go to: the real server on 127.0.0.1:0 wired to the fake Slack Web API, the
 * file directory and the in-process Duo simulator.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startApp, type RunningApp } from '../../adapters/app.js';
import { loadConfig } from '../../src/config/index.js';
import { addSamplePeople, FAKE_TEAM, startFakeSlack, type FakeSlack } from './slackFake.js';

/** Slack's request signature: HMAC-SHA256 over `v0:{timestamp}:{raw body}`. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlackPostOptions {
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Override the signature (forgeries). */
  signature?: string;
  headers?: Record<string, string>;
}

export interface SlackPost {
  status: number;
  text: string;
}

/** POST a body to the bot, signed with `secret` unless the options forge it. */
export async function postSigned(
  url: string,
  secret: string,
  body: string,
  contentType: string,
  options: SlackPostOptions = {},
): Promise<SlackPost> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(secret, timestamp, body),
      ...options.headers,
    },
    body,
  });

  return { status: response.status, text: await response.text() };
}

/** A slash command's form body. */
export function commandBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** An interactivity form body (block_actions, view_submission, block_suggestion). */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';

export const SIGNING_SECRET = 'test-signing-secret';
export const APPROVAL_CHANNEL = 'CAPPROVE';

export interface SlackScenario {
  fake: FakeSlack;
  running: RunningApp;
  eventsUrl: string;
  post(body: string, type: string, options?: SlackPostOptions): Promise<SlackPost>;
  command(user: string, text: string, extra?: Record<string, string>): Promise<SlackPost>;
  interact(payload: Record<string, unknown>, options?: SlackPostOptions): Promise<SlackPost>;
  event(
    event: Record<string, unknown>,
    options?: SlackPostOptions & { eventId?: string },
  ): Promise<SlackPost>;
  /** Wait until every Slack request and background send has finished. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

export async function startSlackScenario(env: Record<string, string> = {}): Promise<SlackScenario> {
  const fake = await startFakeSlack();
  addSamplePeople(fake);
  const dir = mkdtempSync(path.join(tmpdir(), 'enrolbot-slack-'));
  const config = loadConfig({
    STORE_PATH: path.join(dir, 'store.json'),
    DIRECTORY: 'file',
    PORT: '0',
    HOST: '127.0.0.1',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_APPROVAL_CHANNEL: APPROVAL_CHANNEL,
    DEMO_SELF_APPROVAL: 'false',
    ...env,
  });
  const running = await startApp(config, { logger: pino({ level: 'silent' }) });
  const eventsUrl = `${running.url}/slack/events`;
  const post = (body: string, type: string, options?: SlackPostOptions) =>
    postSigned(eventsUrl, SIGNING_SECRET, body, type, options);

  return {
    fake,
    running,
    eventsUrl,
    post,
    command(user, text, extra = {}) {
      counter += 1;

      return post(
        commandBody({
          command: '/enrol',
          text,
          user_id: user,
          user_name: user,
          team_id: FAKE_TEAM,
          channel_id: 'CGENERAL',
          channel_name: 'general',
          trigger_id: `trigger-${counter}`,
          response_url: fake.responseUrl(`cmd-${counter}`),
          api_app_id: 'A1',
          ...extra,
        }),
        FORM,
      );
    },
    interact(payload, options) {
      return post(interactionBody({ team: { id: FAKE_TEAM }, ...payload }), FORM, options);
    },
    event(event, options = {}) {
      counter += 1;
      const body = JSON.stringify({
        type: 'event_callback',
        team_id: FAKE_TEAM,
        api_app_id: 'A1',
        event_id: options.eventId ?? `Ev${counter}`,
        event_time: Math.floor(Date.now() / 1000),
        event,
      });

      return post(body, JSON_TYPE, options);
    },
    async settle() {
      for (let i = 0; i < 5; i += 1) {
        await running.slack?.idle();
        await running.bot.idle();
      }
    },
    async close() {
      await running.stop();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A button click on a message, as Slack sends it. */
export function clickPayload(
  user: string,
  actionId: string,
  value: string,
  message: { channel: string; ts: string },
  responseUrl: string,
): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: user },
    api_app_id: 'A1',
    trigger_id: `trigger-click-${user}`,
    channel: { id: message.channel },
    message: { ts: message.ts, type: 'message' },
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel },
    response_url: responseUrl,
    actions: [
      { type: 'button', action_id: actionId, block_id: 'enrol.decision', value, action_ts: '1' },
    ],
  };
}
