/**
 * A CSV attached in a Teams personal chat is a bulk request: Teams gives a download URL, which the
 * bot reads only from SharePoint (or loopback in local mode, as here) with a size cap.
 */
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningApp } from '../../adapters/app.js';
import { startTestApp } from '../support/app.js';
import { startFakeConnector, textOf, type FakeConnector } from '../support/fakeConnector.js';
import { messageActivity, PEOPLE, postActivity } from '../support/teams.js';

const CSV = 'username,method\njdoe,sms\nasmith,email\ndgreen,sms\n';

function withFile(serviceUrl: string, downloadUrl: string, name = 'contractors.csv') {
  return {
    ...messageActivity(serviceUrl, PEOPLE.alex, 'by sms because vendor onboarding'),
    attachments: [
      {
        contentType: 'application/vnd.microsoft.teams.file.download.info',
        contentUrl: downloadUrl,
        name,
        content: { downloadUrl, uniqueId: 'file-1', fileType: 'csv' },
      },
    ],
  };
}

describe('Teams CSV attachments', () => {
  let connector: FakeConnector;
  let app: RunningApp;
  let files: Server;
  let filesUrl: string;
  let downloads = 0;

  beforeEach(async () => {
    connector = await startFakeConnector();
    connector.members.set(PEOPLE.alex.id, PEOPLE.alex);
    files = createServer((req, res) => {
      downloads += 1;
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end(req.url === '/big.csv' ? `username\n${'x'.repeat(5000)}\n` : CSV);
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    downloads = 0;
    app = await startTestApp({ MAX_CSV_BYTES: '2048' });
  });

  afterEach(async () => {
    await app.stop();
    await connector.close();
    await new Promise<void>((resolve) => files.close(() => resolve()));
  });

  it('turns an attached CSV into one batch card with ready and blocked rows', async () => {
    const res = await postActivity(app.url, withFile(connector.url, `${filesUrl}/contractors.csv`));
    assert.equal(res.status, 200);
    assert.equal(downloads, 1);
    const card = connector.posted().find((c) => /BATCH-\d+/.test(textOf(c)));
    assert.ok(card, 'a batch card was posted');
    const batch = app.core.store.listBatches()[0]!;
    const states = app.core.store
      .list((r) => r.batchId === batch.id)
      .map((r) => `${r.contractor.username}:${r.state}`);
    assert.deepEqual(states.sort(), [
      'asmith:pending_approval',
      'dgreen:rejected',
      'jdoe:pending_approval',
    ]);
  });

  it('never reads a file from a host other than SharePoint', async () => {
    await postActivity(
      app.url,
      withFile(connector.url, 'https://files.evil.example/contractors.csv'),
    );
    assert.equal(app.core.store.listBatches().length, 0);
    assert.match(textOf(connector.posted().at(-1)!), /not stored in your organisation/);
  });

  it('refuses a file larger than MAX_CSV_BYTES while reading it', async () => {
    await postActivity(app.url, withFile(connector.url, `${filesUrl}/big.csv`, 'big.csv'));
    assert.equal(app.core.store.listBatches().length, 0);
    assert.match(textOf(connector.posted().at(-1)!), /larger than/);
  });
});
