import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import {
  MAX_AUDIT_DAYS,
  MAX_REASON_LENGTH,
  MAX_WHO_LENGTH,
  type Command,
} from '../../../bot/commands.js';
import { DEFAULT_MAX_MESSAGE_LENGTH, parseCommand } from '../../../bot/parse.js';

/** Fixed seed: a failure is reproducible; fast-check prints the counterexample. */
const SEED = 20261204;
const RUNS = 3000;
// Catastrophic backtracking on a 4,000-character message takes seconds to forever; a normal call
// takes well under a millisecond. The bound sits far above garbage-collection pauses on a busy
// CI machine, so the test fails only for unbounded work, never for a slow neighbour.
const SLOWEST_ALLOWED_MS = 1000;

const KEYWORDS = [
  'enrol',
  'enroll',
  'contractor',
  'contractors',
  'group',
  'by',
  'via',
  'sms',
  'text',
  'email',
  'e-mail',
  'because',
  'status',
  'pending',
  'my',
  'requests',
  'cancel',
  'resend',
  'revoke',
  'audit',
  'help',
  'REQ-7',
  'req-0042',
  'and',
  ',',
  '"',
  '\u201c',
  'days',
  'last',
  'please',
];
const MARKUP = [
  '<at>Enrol Bot</at>',
  '<at id="0">',
  '</at>',
  '<@U0123ABC>',
  '<@U1|name>',
  '<p>',
  '</p>',
  '<br>',
  '<mailto:a@b.example|a@b.example>',
  '<https://x.example|x>',
  '&amp;',
  '&nbsp;',
  '&#39;',
  '&lt;',
  '&gt;',
  '&#x1F600;',
  '&#0;',
  '&#1114112;',
  '&#xD800;',
  '&bogus;',
  '&',
  '<',
  '>',
];
const HOSTILE = [
  ')(*',
  '*)(uid=*',
  '\u0000',
  '\u202e',
  '\u2066',
  '\u200b',
  '\ufeff',
  '${x}',
  '{{x}}',
  '\\',
  'CORP\\jdoe',
  '\u{1F600}',
  '\u{1F469}\u200d\u{1F4BB}',
  '\ud800',
  '\udfff',
  '\uff45',
  '\u0130',
  '\u00df',
  '\ufdfd',
  '%00',
  "' OR 1=1 --",
  '\r\n',
  '\t',
  ' '.repeat(50),
];

const token = fc.oneof(
  fc.constantFrom(...KEYWORDS),
  fc.constantFrom(...MARKUP),
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const sentence = fc
  .array(token, { maxLength: 40 })
  .chain((tokens) => fc.constantFrom(' ', '', '&nbsp;', '\n').map((sep) => tokens.join(sep)));
const long = fc
  .tuple(fc.constantFrom(...KEYWORDS, ...MARKUP, ...HOSTILE, '.', 'a', '9', '<at'), fc.nat(4000))
  .map(([unit, count]) => unit.repeat(count).slice(0, DEFAULT_MAX_MESSAGE_LENGTH));
const anyMessage = fc.oneof(
  { weight: 5, arbitrary: sentence },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 1, arbitrary: long },
);

/** Every invariant a Command promises to the bot. */
function assertValidCommand(command: Command): void {
  const isName = (s: unknown) => typeof s === 'string' && s !== '' && s.length <= MAX_WHO_LENGTH;
  const isRequestId = (s: unknown) => typeof s === 'string' && /^REQ-\d+$/.test(s);

  switch (command.kind) {
    case 'enrol': {
      assert.ok(command.method === 'sms' || command.method === 'email');
      const { target } = command;
      if (target.type === 'one') assert.ok(isName(target.who));
      else if (target.type === 'group') assert.ok(isName(target.group));
      else assert.ok(target.who.length >= 2 && target.who.every(isName));
      if (command.reason !== undefined) {
        assert.ok(command.reason !== '' && Array.from(command.reason).length <= MAX_REASON_LENGTH);
      }
      return;
    }
    case 'status':
      assert.ok((command.who === undefined) !== (command.requestId === undefined));
      if (command.who !== undefined) assert.ok(isName(command.who));
      else assert.ok(isRequestId(command.requestId));
      return;
    case 'cancel':
    case 'resend':
    case 'revoke':
      assert.ok(isRequestId(command.requestId));
      return;
    case 'audit':
      if (command.days !== undefined) {
        assert.ok(Number.isInteger(command.days) && command.days >= 1);
        assert.ok(command.days <= MAX_AUDIT_DAYS);
      }
      return;
    case 'unknown':
      assert.ok(typeof command.hint === 'string' && command.hint.length > 0);
      return;
    case 'enrol_form':
    case 'pending':
    case 'my_requests':
    case 'help':
      assert.equal(Object.keys(command).length, 1);
      return;
    default:
      assert.fail(`unexpected command ${JSON.stringify(command)}`);
  }
}

describe('parseCommand under fuzzing', () => {
  it(`never throws, always returns a valid Command, each call under ${SLOWEST_ALLOWED_MS} ms`, () => {
    let slowest = 0;
    fc.assert(
      fc.property(anyMessage, (message) => {
        const started = performance.now();
        const command = parseCommand(message);
        slowest = Math.max(slowest, performance.now() - started);
        assertValidCommand(command);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    assert.ok(slowest < SLOWEST_ALLOWED_MS, `slowest call took ${slowest.toFixed(1)} ms`);
  });

  it('refuses anything over the limit without reading it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 50 }), fc.nat(200), (text, limit) => {
        const message = text.repeat(Math.ceil((limit + 1) / text.length));
        const command = parseCommand(message, { maxLength: limit });
        assert.equal(command.kind, 'unknown');
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('gives the same answer with or without a leading bot mention', () => {
    const name = fc.oneof(
      fc.constantFrom('jdoe', 'Jane Doe', 'CORP\\jdoe', 'a@b.example', ')(*', '"Ann by sms"'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }),
    );
    const command = fc
      .tuple(
        fc.constantFrom(
          'enrol contractor % by sms',
          'contractors %, % and % by email because %',
          'group % via text',
          'status %',
          'cancel REQ-%',
          'audit %',
          'pending',
        ),
        name,
      )
      .map(([template, who]) => template.split('%').join(who));
    fc.assert(
      fc.property(command, fc.constantFrom('<at>Enrol Bot</at> ', '<@U0123ABC> '), (text, at) => {
        assert.deepEqual(parseCommand(at + text), parseCommand(text));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('handles pathological repetition in linear time', () => {
    const units = ['.', '<at', '<a ', '&#', 'a'.repeat(10) + '@', ' by', '"', '<@U1', '&amp;'];
    const filled = (prefix: string, unit: string, suffix: string) =>
      prefix +
      unit.repeat((DEFAULT_MAX_MESSAGE_LENGTH - prefix.length - suffix.length) / unit.length) +
      suffix;
    const messages = [
      ...units.map((unit) => filled('', unit, '')),
      filled('enrol contractors ', 'a, ', ' by sms'),
      filled('enrol contractors "', 'a, ', '" by sms'),
      filled('enrol contractor ', 'x ', ' by sms because y'),
      filled('enrol contractor jdoe by sms because ', '\u{1F600}', ''),
      filled('status ', ' ', 'REQ-1'),
    ];
    for (const message of messages) {
      assert.ok(message.length <= DEFAULT_MAX_MESSAGE_LENGTH);
      const started = performance.now();
      assertValidCommand(parseCommand(message));
      const elapsed = performance.now() - started;
      assert.ok(elapsed < SLOWEST_ALLOWED_MS, `${message.slice(0, 30)} took ${elapsed} ms`);
    }
  });
});
