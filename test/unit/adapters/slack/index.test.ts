import assert from 'node:assert/strict';
import express from 'express';
import pino from 'pino';
import { createSlack } from '../../../../adapters/slack/index.js';
import type { Config } from '../../../../src/config/index.js';
import { startFakeSlack, type FakeSlack } from '../../../support/slackFake.js';

describe('adapters/slack/index', () => {
  let fake: FakeSlack;
  beforeEach(async () => {
    fake = await startFakeSlack();
  });
  afterEach(() => fake.close());

  const build = (appToken?: string) => {
    const slack = { botToken: 'xoxb-t', signingSecret: 's', appToken, apiUrl: fake.apiUrl };
    const config = { production: false, slack } as unknown as Config;

    return createSlack({ config, slack, store: {} as never, logger: pino({ level: 'silent' }) });
  };

  it('serves HTTP at /slack/events without calling Slack at construction', async () => {
    const channel = build();
    const app = express();
    channel.mount(app, {} as never);

    assert.equal(channel.mode, 'http');
    assert.equal(fake.calls.length, 0);
    await channel.stop();
  });

  it('uses Socket Mode when SLACK_APP_TOKEN is set, connecting only on start()', async () => {
    const channel = build('xapp-test');
    const app = express();
    channel.mount(app, {} as never);

    assert.equal(channel.mode, 'socket');
    assert.equal(fake.calls.length, 0);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    const answer = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST' });
    server.close();
    assert.equal(answer.status, 404, 'no HTTP endpoint in Socket Mode');
  });
});
