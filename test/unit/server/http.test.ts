/** The start line prints the address the server is actually bound to. */
import { strict as assert } from 'node:assert';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listeningLine } from '../../../src/server/http.js';

function boundTo(address: string, port: number): Server {
  const family = address.includes(':') ? 'IPv6' : 'IPv4';

  return { address: (): AddressInfo => ({ address, family, port }) } as unknown as Server;
}

describe('listeningLine', () => {
  it('keeps the default line for 127.0.0.1', () => {
    const line = listeningLine(boundTo('127.0.0.1', 3978), true);
    assert.equal(
      line,
      'Duo enrol bot listening on http://127.0.0.1:3978/api/messages ' +
        '(sandbox: Duo simulator, nothing is really sent)\n',
    );
    assert.match(line, /listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/messages/);
  });

  it('says 0.0.0.0 when bound to every interface (HOST=0.0.0.0)', () => {
    assert.equal(
      listeningLine(boundTo('0.0.0.0', 3978), false),
      'Duo enrol bot listening on http://0.0.0.0:3978/api/messages\n',
    );
  });

  it('brackets an IPv6 address', () => {
    assert.match(listeningLine(boundTo('::', 8080), false), /http:\/\/\[::\]:8080\/api\/messages/);
  });
});
