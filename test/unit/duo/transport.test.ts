import assert from 'node:assert/strict';
import { parseEnvelope } from '../../../src/duo/transport.js';
import {
  DuoApiError,
  DuoAuthError,
  DuoBadRequestError,
  DuoNotFoundError,
  DuoRateLimitError,
  DuoUnavailableError,
} from '../../../src/errors.js';

const failBody = (code: unknown, message = 'nope', detail?: string): string =>
  JSON.stringify({ stat: 'FAIL', code, message, message_detail: detail });

describe('duo envelope mapping', () => {
  it('returns the response of an OK envelope', () => {
    assert.deepEqual(parseEnvelope('GET', '/x', 200, '{"stat":"OK","response":[1]}'), [1]);
  });

  for (const [status, code, cls] of [
    [401, 40102, DuoAuthError],
    [401, '40103', DuoAuthError],
    [403, 40301, DuoAuthError],
    [404, 40401, DuoNotFoundError],
    [404, '40401', DuoNotFoundError],
    [400, 40002, DuoBadRequestError],
    [400, '40003', DuoBadRequestError],
    [429, 42901, DuoRateLimitError],
    [429, '42901', DuoRateLimitError],
    [409, 40900, DuoApiError],
  ] as const) {
    it(`maps HTTP ${status} code ${JSON.stringify(code)} to ${cls.name}`, () => {
      assert.throws(
        () => parseEnvelope('GET', '/x', status, failBody(code)),
        (e) => e instanceof cls && (e as DuoApiError).duoCode === Number(code),
      );
    });
  }

  it('keeps message and message_detail in the error text', () => {
    assert.throws(
      () =>
        parseEnvelope('POST', '/p', 400, failBody(40002, 'Invalid request parameters', 'number')),
      /Invalid request parameters \(number\)/,
    );
  });

  it('treats an empty code as absent', () => {
    assert.throws(
      () => parseEnvelope('GET', '/x', 400, failBody('')),
      (e) => e instanceof DuoBadRequestError && e.duoCode === undefined,
    );
  });

  it('maps 5xx, HTML pages and bodies without stat to DuoUnavailableError', () => {
    assert.throws(() => parseEnvelope('GET', '/x', 503, failBody(50300)), DuoUnavailableError);
    assert.throws(
      () => parseEnvelope('GET', '/x', 200, '<html>gateway</html>'),
      DuoUnavailableError,
    );
    assert.throws(() => parseEnvelope('GET', '/x', 400, '{"error":"x"}'), DuoUnavailableError);
  });
});
