import assert from 'node:assert/strict';
import { cleanMessage } from '../../../bot/cleanMessage.js';
import { MAX_REASON_LENGTH, type Command } from '../../../bot/commands.js';
import { PARSE_HINTS, parseCommand } from '../../../bot/parse.js';

function enrolOne(who: string, method: 'sms' | 'email', reason?: string): Command {
  const command: Command = { kind: 'enrol', target: { type: 'one', who }, method };
  return reason === undefined ? command : { ...command, reason };
}

function hint(command: Command): string | undefined {
  return command.kind === 'unknown' ? command.hint : undefined;
}

describe('parseCommand', () => {
  describe('enrol', () => {
    it('reads the basic form in any case, with enrol or enroll, by or via', () => {
      assert.deepEqual(parseCommand('enrol contractor jdoe by sms'), enrolOne('jdoe', 'sms'));
      assert.deepEqual(parseCommand('ENROLL CONTRACTOR jdoe VIA SMS'), enrolOne('jdoe', 'sms'));
      assert.deepEqual(parseCommand('Enrol Contractor jdoe By Email'), enrolOne('jdoe', 'email'));
    });

    it('reads text as sms and e-mail as email', () => {
      assert.deepEqual(parseCommand('enrol contractor jdoe by text'), enrolOne('jdoe', 'sms'));
      assert.deepEqual(parseCommand('enrol contractor jdoe by e-mail'), enrolOne('jdoe', 'email'));
    });

    it('keeps UPNs, emails and DOMAIN\\user as typed', () => {
      assert.deepEqual(
        parseCommand('enrol contractor JDoe@ContractorCo.example by email'),
        enrolOne('JDoe@ContractorCo.example', 'email'),
      );
      assert.deepEqual(
        parseCommand('enrol contractor CORP\\jdoe by sms'),
        enrolOne('CORP\\jdoe', 'sms'),
      );
    });

    it('keeps display names with spaces, their case, and drops quotes around them', () => {
      assert.deepEqual(
        parseCommand('enrol contractor Jane van der Berg by sms'),
        enrolOne('Jane van der Berg', 'sms'),
      );
      assert.deepEqual(
        parseCommand('enrol contractor "John Smith" by sms'),
        enrolOne('John Smith', 'sms'),
      );
      assert.deepEqual(
        parseCommand('enrol contractor \u201cJohn Smith\u201d by sms'),
        enrolOne('John Smith', 'sms'),
      );
      assert.deepEqual(
        parseCommand("enrol contractor 'Ann by sms' by email"),
        enrolOne('Ann by sms', 'email'),
      );
    });

    it('keeps "Last, First" display names whole for one contractor', () => {
      assert.deepEqual(
        parseCommand('enrol contractor Doe, John by sms'),
        enrolOne('Doe, John', 'sms'),
      );
    });

    it('takes everything after because as the reason, capped', () => {
      assert.deepEqual(
        parseCommand('enrol contractor jdoe by sms because starts Monday, no laptop yet'),
        enrolOne('jdoe', 'sms', 'starts Monday, no laptop yet'),
      );
      const long = parseCommand(`enrol contractor jdoe by sms because ${'x'.repeat(900)}`);
      assert.equal(long.kind === 'enrol' && long.reason?.length, MAX_REASON_LENGTH);
    });

    it('accepts the reason before the method', () => {
      assert.deepEqual(
        parseCommand('enrol contractor jdoe because new starter by email'),
        enrolOne('jdoe', 'email', 'new starter'),
      );
    });

    it('reads a list of contractors split on commas and and', () => {
      assert.deepEqual(parseCommand('enrol contractors jdoe, asmith and Bo Wong by email'), {
        kind: 'enrol',
        target: { type: 'list', who: ['jdoe', 'asmith', 'Bo Wong'] },
        method: 'email',
      });
    });

    it('keeps quoted names with commas whole in a list', () => {
      const command = parseCommand(
        'enrol contractors "Doe, John", \u201cRoe, Ann\u201d & asmith by sms',
      );
      assert.deepEqual(command.kind === 'enrol' && command.target, {
        type: 'list',
        who: ['Doe, John', 'Roe, Ann', 'asmith'],
      });
    });

    it('keeps apostrophes inside names in a list', () => {
      const command = parseCommand("enrol contractors Ann O'Brien, Bo D'Arcy by email");
      assert.deepEqual(command.kind === 'enrol' && command.target, {
        type: 'list',
        who: ["Ann O'Brien", "Bo D'Arcy"],
      });
    });

    it('reads one name after contractors as one contractor, and no keyword as one too', () => {
      assert.deepEqual(parseCommand('enrol contractors jdoe by sms'), enrolOne('jdoe', 'sms'));
      assert.deepEqual(parseCommand('enrol jdoe by sms'), enrolOne('jdoe', 'sms'));
    });

    it('drops repeated names from a list', () => {
      const command = parseCommand('enrol contractors jdoe, JDOE, asmith by sms');
      assert.deepEqual(command.kind === 'enrol' && command.target, {
        type: 'list',
        who: ['jdoe', 'asmith'],
      });
    });

    it('reads a group', () => {
      assert.deepEqual(parseCommand('enrol group Contractors-ProjectX by sms'), {
        kind: 'enrol',
        target: { type: 'group', group: 'Contractors-ProjectX' },
        method: 'sms',
      });
    });

    it('needs no verb when the text starts with contractor, contractors or group (Slack)', () => {
      assert.deepEqual(parseCommand('contractor jdoe by sms'), enrolOne('jdoe', 'sms'));
      assert.equal(parseCommand('contractors a, b by email').kind, 'enrol');
      assert.equal(parseCommand('group Vendors by sms').kind, 'enrol');
    });

    it('answers a bare enrol with the form', () => {
      assert.deepEqual(parseCommand('enrol'), { kind: 'enrol_form' });
      assert.deepEqual(parseCommand('  Enroll  '), { kind: 'enrol_form' });
    });

    it('asks how when the method is missing, and refuses other methods', () => {
      assert.equal(hint(parseCommand('enrol contractor jdoe')), PARSE_HINTS.noMethod);
      assert.equal(hint(parseCommand('enrol contractor jdoe sms')), PARSE_HINTS.noMethod);
      assert.equal(hint(parseCommand('enrol contractor jdoe by fax')), PARSE_HINTS.badMethod);
    });

    it('asks who when the name is missing or too long', () => {
      assert.equal(hint(parseCommand('enrol contractor by sms')), PARSE_HINTS.noWho);
      assert.equal(hint(parseCommand('enrol contractor "" by sms')), PARSE_HINTS.noWho);
      const long = `enrol contractor ${'a'.repeat(300)} by sms`;
      assert.equal(hint(parseCommand(long)), PARSE_HINTS.whoTooLong);
    });

    it('refuses words after the method that are not a reason', () => {
      assert.equal(
        hint(parseCommand('enrol contractor jdoe by sms tomorrow')),
        PARSE_HINTS.trailing,
      );
    });
  });

  describe('other commands', () => {
    it('reads status by request id (normalised) or by person', () => {
      assert.deepEqual(parseCommand('status req-7'), { kind: 'status', requestId: 'REQ-7' });
      assert.deepEqual(parseCommand('STATUS REQ-0042'), { kind: 'status', requestId: 'REQ-42' });
      assert.deepEqual(parseCommand('status jdoe'), { kind: 'status', who: 'jdoe' });
      assert.deepEqual(parseCommand('status of Jane Doe'), { kind: 'status', who: 'Jane Doe' });
      assert.equal(hint(parseCommand('status')), PARSE_HINTS.status);
    });

    it('reads pending, my requests and help', () => {
      assert.deepEqual(parseCommand('pending'), { kind: 'pending' });
      assert.deepEqual(parseCommand('Pending requests'), { kind: 'pending' });
      assert.deepEqual(parseCommand('my requests'), { kind: 'my_requests' });
      assert.deepEqual(parseCommand('HELP'), { kind: 'help' });
      assert.deepEqual(parseCommand('help me please'), { kind: 'help' });
    });

    it('reads cancel, resend and revoke with a request id, and asks for one otherwise', () => {
      assert.deepEqual(parseCommand('cancel REQ-7'), { kind: 'cancel', requestId: 'REQ-7' });
      assert.deepEqual(parseCommand('resend req-12'), { kind: 'resend', requestId: 'REQ-12' });
      assert.deepEqual(parseCommand('revoke request REQ-3.'), {
        kind: 'revoke',
        requestId: 'REQ-3',
      });
      assert.equal(hint(parseCommand('cancel')), PARSE_HINTS.requestId);
      assert.equal(hint(parseCommand('cancel jdoe')), PARSE_HINTS.requestId);
      assert.equal(hint(parseCommand('cancel REQ-7 REQ-8')), PARSE_HINTS.requestId);
    });

    it('reads audit with optional days', () => {
      assert.deepEqual(parseCommand('audit'), { kind: 'audit' });
      assert.deepEqual(parseCommand('audit 30'), { kind: 'audit', days: 30 });
      assert.deepEqual(parseCommand('audit last 7 days'), { kind: 'audit', days: 7 });
      assert.equal(hint(parseCommand('audit 0')), PARSE_HINTS.auditDays);
      assert.equal(hint(parseCommand('audit 99999')), PARSE_HINTS.auditDays);
      assert.equal(hint(parseCommand('audit -3')), PARSE_HINTS.auditDays);
      assert.equal(hint(parseCommand('audit forever')), PARSE_HINTS.auditDays);
    });

    it('answers anything else with the general help line', () => {
      assert.equal(hint(parseCommand('hello there')), PARSE_HINTS.help);
      assert.equal(hint(parseCommand('')), PARSE_HINTS.help);
      assert.equal(hint(parseCommand('   ')), PARSE_HINTS.help);
    });
  });

  describe('platform markup', () => {
    it('drops Teams <at> mentions at the start, several of them, with attributes', () => {
      const text = '<at>Enrol Bot</at> <at id="1">Other Bot</at>&nbsp;enrol contractor jdoe by sms';
      assert.deepEqual(parseCommand(text), enrolOne('jdoe', 'sms'));
    });

    it('reads Teams HTML: paragraphs, breaks, entities and mailto links', () => {
      const text =
        '<p><at>Enrol Bot</at> enrol contractor <a href="mailto:o.brien@x.example">' +
        'o.brien@x.example</a> by email because O&#39;Brien &amp; co<br></p>';
      assert.deepEqual(parseCommand(text), enrolOne('o.brien@x.example', 'email', "O'Brien & co"));
    });

    it('keeps the text of a person mentioned in the middle', () => {
      const text = '<at>Enrol Bot</at> enrol contractor <at>John Smith</at> by sms';
      assert.deepEqual(parseCommand(text), enrolOne('John Smith', 'sms'));
    });

    it('drops a Slack <@U..> mention and reads Slack mailto links', () => {
      assert.deepEqual(parseCommand('<@U0123ABC> status REQ-9'), {
        kind: 'status',
        requestId: 'REQ-9',
      });
      const slack = 'enrol contractor <mailto:jdoe@x.example|jdoe@x.example> by email';
      assert.deepEqual(parseCommand(slack), enrolOne('jdoe@x.example', 'email'));
    });

    it('decodes entities once only, so user-typed markup stays text', () => {
      assert.equal(cleanMessage('status &amp;lt;at&amp;gt;'), 'status &lt;at&gt;');
      assert.deepEqual(parseCommand('status &lt;at&gt;x&lt;/at&gt;'), {
        kind: 'status',
        who: '<at>x</at>',
      });
    });
  });

  describe('hostile text', () => {
    it('refuses a message over maxLength before reading it', () => {
      assert.equal(hint(parseCommand('help'.padEnd(4001, ' '))), PARSE_HINTS.tooLong);
      assert.equal(hint(parseCommand('help me', { maxLength: 5 })), PARSE_HINTS.tooLong);
      assert.deepEqual(parseCommand('help'.padEnd(4000, ' ')), { kind: 'help' });
    });

    it('normalises full-width text (NFKC) and drops zero-width and bidi characters', () => {
      const fullWidth = '\uff45\uff4e\uff52\uff4f\uff4c contractor jdoe by sms';
      assert.deepEqual(parseCommand(fullWidth), enrolOne('jdoe', 'sms'));
      const hidden = 'en\u200brol contractor jd\u202eoe\u2066 by s\ufeffms';
      assert.deepEqual(parseCommand(hidden), enrolOne('jdoe', 'sms'));
    });

    it('turns NUL and other control characters into spaces', () => {
      assert.deepEqual(
        parseCommand('enrol\u0000contractor jdoe\nby\tsms'),
        enrolOne('jdoe', 'sms'),
      );
    });

    it('passes filter metacharacters, template syntax and emoji through as plain names', () => {
      assert.deepEqual(parseCommand('status )(*'), { kind: 'status', who: ')(*' });
      assert.deepEqual(parseCommand('status *)(uid=*'), { kind: 'status', who: '*)(uid=*' });
      assert.deepEqual(parseCommand('enrol contractor ${x} by sms'), enrolOne('${x}', 'sms'));
      assert.deepEqual(parseCommand('status \u{1F600} jdoe'), {
        kind: 'status',
        who: '\u{1F600} jdoe',
      });
      assert.equal(hint(parseCommand(')(*')), PARSE_HINTS.help);
    });

    it('never echoes user text in a hint', () => {
      const command = parseCommand('enrol contractor <script>alert(1)</script> by fax');
      assert.equal(hint(command), PARSE_HINTS.badMethod);
    });

    it('does not let markers be forged from entities', () => {
      assert.deepEqual(parseCommand('&#1;x&#2; help'), parseCommand('x help'));
    });
  });
});
