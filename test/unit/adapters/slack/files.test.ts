import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sinon from 'sinon';
import {
  fileProblem,
  incomingFile,
  SLACK_FILE_LIMITS,
  SlackFileRefusedError,
  urlProblem,
} from '../../../../adapters/slack/files.js';

describe('adapters/slack/files', () => {
  it('fetches only from files.slack.com over https, and loopback outside production', () => {
    assert.equal(urlProblem('https://files.slack.com/files-pri/T1-F1/a.csv', true), undefined);
    assert.equal(urlProblem('http://127.0.0.1:9/a.csv', false), undefined);
    for (const url of [
      'http://files.slack.com/a.csv',
      'https://files.slack.com.evil.example/a.csv',
      'https://evil.example/files.slack.com/a.csv',
      'https://user@evil.example/a.csv',
      'file:///etc/passwd',
      'not a url',
      undefined,
    ]) {
      assert.ok(urlProblem(url, false), `refused: ${url}`);
    }
    assert.ok(urlProblem('http://127.0.0.1:9/a.csv', true), 'no loopback in production');
  });

  it('refuses other types and files over the cap before any download', () => {
    const url = 'https://files.slack.com/x';
    assert.match(String(fileProblem({ name: 'a.xlsx', url_private: url }, true)), /\.csv/);
    assert.match(
      String(
        fileProblem(
          { name: 'a.csv', size: SLACK_FILE_LIMITS.maxBytes + 1, url_private: url },
          true,
        ),
      ),
      /larger/,
    );
    assert.equal(fileProblem({ name: 'A.CSV', size: 10, url_private: url }, true), undefined);
  });

  it('does not call fetch for a refused host', async () => {
    const fetch = sinon.stub();
    const file = incomingFile(
      { name: 'a.csv', url_private: 'https://evil.example/a.csv' },
      { botToken: 'xoxb-t', production: false, fetch: fetch as never },
    );
    await assert.rejects(file.read(), SlackFileRefusedError);
    assert.equal(fetch.callCount, 0);
  });

  describe('reading from a loopback host', () => {
    let server: Server;
    let base: string;
    const seen: (string | undefined)[] = [];

    before(async () => {
      server = createServer((req, res) => {
        seen.push(req.headers.authorization);
        if (req.url === '/ok.csv') res.writeHead(200, { 'content-type': 'text/csv' }).end('a,b\n');
        else if (req.url === '/big.csv') {
          // Chunked, with no length announced: the cap must hold while reading.
          res.writeHead(200, { 'content-type': 'text/csv' });
          res.write('x'.repeat(SLACK_FILE_LIMITS.maxBytes / 2));
          res.end('x'.repeat(SLACK_FILE_LIMITS.maxBytes));
        } else if (req.url === '/login.csv') {
          res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
        } else res.writeHead(302, { location: '/ok.csv' }).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => server.close());

    const read = (name: string) =>
      incomingFile(
        { name, url_private: `${base}/${name}` },
        { botToken: 'xoxb-t', production: false },
      ).read();

    it('downloads with the bot token', async () => {
      assert.equal(await read('ok.csv'), 'a,b\n');
      assert.equal(seen.at(-1), 'Bearer xoxb-t');
    });

    it('stops reading past the cap, refuses web pages and redirects', async () => {
      await assert.rejects(read('big.csv'), /larger than 1 MB/);
      await assert.rejects(read('login.csv'), /files:read/);
      await assert.rejects(read('moved.csv'));
    });
  });
});
