import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { DuoApiError, EnrolBotError } from '../../src/errors.js';
import { createLogger, isSecretKey, requestLogger, type Logger } from '../../src/logging.js';

const SECRETS = [
  'duo-skey-0123456789abcdef',
  'ldap-bind-Pa55word!',
  'graph-client-secret~value',
  'xoxb-1111-2222-slacktoken',
  'slack-signing-0f0f0f',
  'xapp-1-A111-appToken',
  'bot-app-password-value',
  'session=cookie-value',
  'dXNlcjpwYXNz',
];
const PERSONAL = ['7400123456', '7400 123456', '123456', 'jdoe@', 'jdoe.smith', '2015550123'];

function capture(level = 'trace'): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level, destination });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines };
}

function assertClean(raw: string): void {
  for (const secret of [...SECRETS, ...PERSONAL]) {
    assert.ok(!raw.includes(secret), `found ${secret} in ${raw}`);
  }
}

describe('createLogger', () => {
  it('writes structured JSON lines with a fixed message and snake_case fields', () => {
    const { logger, lines } = capture();
    logger.info({ request_id: 'REQ-7', duo_calls: 2 }, 'request_sent');
    const [line] = lines();
    assert.equal(line?.msg, 'request_sent');
    assert.equal(line?.request_id, 'REQ-7');
    assert.equal(line?.duo_calls, 2);
    assert.equal(line?.name, 'enrolbot');
  });

  it('redacts secret fields at any depth, however they are spelled', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        skey: SECRETS[0],
        ldap: { bindPassword: SECRETS[1], url: 'ldaps://dc.example' },
        graph: [{ config: { client_secret: SECRETS[2] } }],
        slack: { botToken: SECRETS[3], signingSecret: SECRETS[4], appToken: SECRETS[5] },
        headers: { Authorization: `Basic ${SECRETS[8]}`, Cookie: SECRETS[7] },
        teams: { appPassword: SECRETS[6] },
      },
      'config_loaded',
    );
    const raw = JSON.stringify(lines());
    assertClean(raw);
    assert.ok(raw.includes('ldaps://dc.example'));
    assert.ok(raw.includes('[redacted]'));
  });

  it('masks phone numbers and e-mails in every string field and in the message', () => {
    const { logger, lines } = capture();
    logger.info(
      { contractor: { mobile: '+44 7400 123456', mail: 'jdoe@contractorco.example' } },
      'sending to %s and %s',
      '+447400123456',
      'jdoe.smith@contractorco.example',
    );
    logger.warn('phone 07400 123456 refused for jdoe@contractorco.example');
    logger.debug({ numbers: ['(201) 555-0123', 2015550123n] }, 'nanp_seen');
    const raw = JSON.stringify(lines());
    assertClean(raw);
    assert.ok(raw.includes('+44 \u2022\u2022\u2022\u2022 \u2022\u20223456'));
    assert.ok(raw.includes('j\u2022\u2022\u2022@contractorco.example'));
  });

  it('removes credentials written inside text', () => {
    const { logger, lines } = capture();
    logger.error(
      { url: `https://admin:${SECRETS[1]}@dc.example/x?client_secret=${SECRETS[2]}&page=2` },
      `upstream said Authorization: Basic ${SECRETS[8]} and ${SECRETS[3]}`,
    );
    const raw = JSON.stringify(lines());
    assertClean(raw);
    assert.ok(raw.includes('page=2'));
  });

  it('keeps class, code and masked message of an error and its causes, nothing else', () => {
    const { logger, lines } = capture();
    const cause = Object.assign(new Error('bind failed for jdoe@contractorco.example'), {
      code: 'ECONNRESET',
      request: { headers: { authorization: `Basic ${SECRETS[8]}` } },
      options: { password: SECRETS[1] },
      config: { skey: SECRETS[0] },
    });
    const error = new DuoApiError(400, 40002, 'Invalid phone +44 7400 123456', { cause });
    logger.error({ err: error }, 'duo_call_failed');
    logger.error(error);

    const [first, second] = lines();
    assertClean(JSON.stringify(lines()));
    const err = first?.err as Record<string, unknown>;
    assert.equal(err.type, 'DuoApiError');
    assert.equal(err.code, 'duo_40002');
    assert.equal(err.httpStatus, 400);
    assert.equal(err.message, 'Invalid phone +44 \u2022\u2022\u2022\u2022 \u2022\u20223456');
    const causeOut = err.cause as Record<string, unknown>;
    assert.equal(causeOut.type, 'Error');
    assert.equal(causeOut.code, 'ECONNRESET');
    assert.equal('request' in causeOut || 'options' in causeOut || 'config' in causeOut, false);
    assert.equal(second?.msg, 'Invalid phone +44 \u2022\u2022\u2022\u2022 \u2022\u20223456');
  });

  it('survives circular objects, cyclic causes, aggregate errors and odd values', () => {
    const { logger, lines } = capture();
    const loop: Record<string, unknown> = { mail: 'jdoe@contractorco.example' };
    loop.self = loop;
    const a = new EnrolBotError('a', `a ${SECRETS[3]}`);
    const b = new EnrolBotError('b', 'b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    const aggregate = new AggregateError([a, new Error('+447400123456')], 'several');
    logger.info({ loop, aggregate, when: new Date(0), fn: () => 1, buf: Buffer.from('x') }, 'odd');
    const [line] = lines();
    assertClean(JSON.stringify(line));
    assert.equal((line?.loop as Record<string, unknown>).self, '[circular]');
    assert.equal(line?.when, '1970-01-01T00:00:00.000Z');
  });

  it('masks bindings of child loggers at every depth', () => {
    const { logger, lines } = capture();
    const child = requestLogger(logger, 'REQ-9').child({
      contractor_mail: 'jdoe@contractorco.example',
    });
    child.child({ token: SECRETS[3] }).info('child_line');
    const [line] = lines();
    assertClean(JSON.stringify(line));
    assert.equal(line?.request_id, 'REQ-9');
    assert.equal(line?.token, '[redacted]');
  });

  it('respects the level', () => {
    const { logger, lines } = capture('warn');
    logger.info('quiet');
    logger.warn('loud');
    assert.deepEqual(
      lines().map((l) => l.msg),
      ['loud'],
    );
  });
});

describe('isSecretKey', () => {
  it('knows the secrets of every integration and leaves ordinary fields alone', () => {
    for (const key of ['skey', 'DUO_SKEY', 'LDAP_BIND_PASSWORD', 'client_secret', 'x-auth-token']) {
      assert.equal(isSecretKey(key), true, key);
    }
    for (const key of ['ikey', 'request_id', 'username', 'mobile', 'host']) {
      assert.equal(isSecretKey(key), false, key);
    }
  });
});
