import assert from 'node:assert/strict';
import { webApi } from '@slack/bolt';
import pino from 'pino';
import { SlackGateway } from '../../../../adapters/slack/gateway.js';
import { slackHandle } from '../../../../adapters/slack/handles.js';
import { startFakeSlack, type FakeSlack } from '../../../support/slackFake.js';

describe('adapters/slack/gateway', () => {
  let fake: FakeSlack;
  let gateway: SlackGateway;
  const logger = pino({ level: 'silent' });

  beforeEach(async () => {
    fake = await startFakeSlack();
    const client = new webApi.WebClient('xoxb-t', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
    });
    gateway = new SlackGateway({ client, logger, approvalChannel: 'CAPPROVE' });
  });
  afterEach(() => fake.close());

  it('uploads a file reply with files.uploadV2, after its text', async () => {
    const csv = 'ts,request_id,action\n2026-01-01,REQ-1,created\n';
    await gateway.send(
      { channel: 'DU1' },
      {
        text: 'The audit <log>',
        file: { name: 'audit.csv', contentType: 'text/csv', content: csv },
      },
    );

    assert.deepEqual(
      fake.calls.map((c) => c.method),
      ['chat.postMessage', 'files.getUploadURLExternal', 'files.completeUploadExternal'],
    );
    assert.equal(fake.calls[0]!.args.text, 'The audit &lt;log&gt;');
    assert.equal(fake.calls[1]!.args.filename, 'audit.csv');
    assert.equal(fake.calls[2]!.args.channel_id, 'DU1');
    assert.match(fake.uploads[0]!.body, /REQ-1,created/);
  });

  it('shows the start of the file in a code block when the upload is refused', async () => {
    const failing = new webApi.WebClient('xoxb-t', {
      slackApiUrl: `${fake.url}/nowhere/`,
      retryConfig: { retries: 0 },
    });
    const posted: unknown[] = [];
    const client = {
      files: failing.files,
      chat: { postMessage: async (args: unknown) => (posted.push(args), { ok: true }) },
    };
    const broken = new SlackGateway({ client: client as never, logger });
    await broken.sendFile(
      { channel: 'DU1' },
      { name: 'audit.csv', contentType: 'text/csv', content: 'a,b\n'.repeat(2000) },
    );

    const text = String((posted[0] as { text: string }).text);
    assert.match(text, /^audit\.csv:\n```a,b/);
    assert.ok(text.length < 3200);
    assert.match(text, /shortened/);
  });

  it('posts the approval card in the approval channel and updates it by channel and ts', async () => {
    const card = await gateway.postApproval(
      { kind: 'info', title: 'x', sections: [] },
      slackHandle({ channel: 'CGENERAL' }),
    );
    assert.equal(card.ref.channel, 'CAPPROVE');
    await gateway.updateCard(card, { kind: 'info', title: 'y', sections: [] });

    const update = fake.called('chat.update')[0];
    assert.equal(update?.args.ts, card.ref.ts);
    assert.equal(typeof update?.args.text, 'string');
  });
});
