import assert from 'node:assert/strict';
import { normalisePhone } from '../../src/phone.js';

const GB_MOBILE = '+447400123456';

describe('normalisePhone', () => {
  describe('accepts a GB mobile written every way AD holds it', () => {
    const cases: [string, string | undefined][] = [
      ['07400 123456', 'GB'],
      ['+44 7400 123456', undefined],
      ['+44 (0)7400 123456', undefined],
      ['0044 7400 123456', 'GB'],
      ['0044 7400 123456', undefined],
      ['0044 7400 123456', 'US'],
      ['tel:+44-7400-123456', undefined],
      ['\uff10\uff17\uff14\uff10\uff10 \uff11\uff12\uff13\uff14\uff15\uff16', 'GB'],
      ['\uff0b\uff14\uff14 7400 123456', undefined],
      ['  +44 7400 123456 (personal)  ', undefined],
      ['07400 123456', 'gb'],
    ];
    for (const [raw, region] of cases) {
      it(`${JSON.stringify(raw)} with region ${region ?? 'none'}`, () => {
        assert.deepEqual(normalisePhone(raw, region), {
          ok: true,
          e164: GB_MOBILE,
          type: 'mobile',
          region: 'GB',
        });
      });
    }
  });

  it('accepts NANP numbers as fixed_line_or_mobile, flagged', () => {
    assert.deepEqual(normalisePhone('+1 201-555-0123'), {
      ok: true,
      e164: '+12015550123',
      type: 'fixed_line_or_mobile',
      region: 'US',
    });
    assert.deepEqual(normalisePhone('(201) 555-0123', 'US'), normalisePhone('+1 201-555-0123'));
  });

  it('refuses a GB landline, saying so and keeping the number for the explanation', () => {
    assert.deepEqual(normalisePhone('+44 121 234 5678'), {
      ok: false,
      reason: 'fixed_line',
      e164: '+441212345678',
    });
    assert.equal(normalisePhone('0121 234 5678', 'GB').ok, false);
  });

  it('refuses a number with an extension: a switchboard, not a phone that takes SMS', () => {
    for (const raw of ['+1 201 555 0123 x12', '(201) 555-0123 ext 12', '+447400123456;ext=3']) {
      const result = normalisePhone(raw, 'US');
      assert.equal(result.ok === false && result.reason, 'extension', raw);
    }
  });

  it('refuses Ofcom drama numbers as invalid under the max metadata', () => {
    const result = normalisePhone('07700 900123', 'GB');
    assert.deepEqual(result, { ok: false, reason: 'invalid', e164: '+447700900123' });
    assert.equal(normalisePhone('+1 555 555 0100').ok, false);
  });

  it('refuses toll-free, premium, VoIP, pager and UAN numbers as not_mobile with their type', () => {
    const cases: [string, string][] = [
      ['+44 800 123 4567', 'TOLL_FREE'],
      ['+44 9090 901234', 'PREMIUM_RATE'],
      ['+44 56 1234 5678', 'VOIP'],
      ['+44 7640 123456', 'PAGER'],
      ['+44 300 123 4567', 'UAN'],
    ];
    for (const [raw, numberType] of cases) {
      const result = normalisePhone(raw);
      assert.equal(result.ok, false, raw);
      assert.equal(!result.ok && result.reason, 'not_mobile', raw);
      assert.equal(!result.ok && result.numberType, numberType, raw);
    }
  });

  it('needs a region for a national-format number', () => {
    assert.deepEqual(normalisePhone('07400 123456'), { ok: false, reason: 'no_region' });
    assert.deepEqual(normalisePhone('07400 123456', 'XX'), { ok: false, reason: 'no_region' });
  });

  it('says empty and unparseable apart', () => {
    assert.deepEqual(normalisePhone(''), { ok: false, reason: 'empty' });
    assert.deepEqual(normalisePhone('  tel:  '), { ok: false, reason: 'empty' });
    assert.deepEqual(normalisePhone('ask reception', 'GB'), { ok: false, reason: 'unparseable' });
    assert.deepEqual(normalisePhone('+', 'GB'), { ok: false, reason: 'unparseable' });
    assert.deepEqual(normalisePhone(`+44 ${'1'.repeat(300)}`), {
      ok: false,
      reason: 'unparseable',
    });
  });

  it('never throws on hostile input', () => {
    for (const raw of ['\u0000', ')(*', '+\u202e447400123456', '${x}', '\ud800', '0'.repeat(249)]) {
      assert.doesNotThrow(() => normalisePhone(raw, 'GB'));
    }
  });
});
