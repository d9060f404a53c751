import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { maskEmail, maskPhone, maskText } from '../../src/mask.js';

describe('maskPhone', () => {
  it('keeps the country code and the last four digits', () => {
    assert.equal(maskPhone('+447400123456'), '+44 \u2022\u2022\u2022\u2022 \u2022\u20223456');
    assert.equal(maskPhone('+12015550123'), '+1 \u2022\u2022\u2022\u2022 \u2022\u20220123');
  });

  it('masks what it cannot parse without revealing more than the last digits', () => {
    assert.equal(maskPhone('07400 123456'), '\u2022\u2022\u2022\u2022 \u2022\u2022\u20223456');
    assert.equal(maskPhone('12345'), '\u2022\u2022\u202245');
    assert.equal(maskPhone('12'), '\u2022\u2022\u2022\u2022');
  });
});

describe('maskEmail', () => {
  it('keeps the first character and the domain, hiding the length', () => {
    assert.equal(
      maskEmail('jdoe@contractorco.example'),
      'j\u2022\u2022\u2022@contractorco.example',
    );
    assert.equal(maskEmail('j@x.example'), 'j\u2022\u2022\u2022@x.example');
  });

  it('masks what is not an address entirely', () => {
    assert.equal(maskEmail('not an address'), '\u2022\u2022\u2022');
    assert.equal(maskEmail('@x.example'), '\u2022\u2022\u2022');
  });
});

describe('maskText', () => {
  it('masks every phone number and address in free text', () => {
    const text =
      'sent to +44 7400 123456 and 07400 123456 (also 0044-7400-123456), ' +
      'cc jdoe@contractorco.example; US (201) 555-0123.';
    const masked = maskText(text);
    for (const secret of ['123456', '7400', 'jdoe', '555-0123', '5550123']) {
      assert.ok(!masked.includes(secret), `${secret} left in ${masked}`);
    }
    assert.ok(masked.includes('+44 \u2022\u2022\u2022\u2022 \u2022\u20223456'));
    assert.ok(masked.includes('j\u2022\u2022\u2022@contractorco.example;'));
  });

  it('masks full-width digits and numbers glued to punctuation', () => {
    assert.ok(
      !maskText(
        'mobile:\uff10\uff17\uff14\uff10\uff10\uff11\uff12\uff13\uff14\uff15\uff16',
      ).includes('123'),
    );
    assert.ok(!maskText('tel:+447400123456').includes('7400'));
  });

  it('leaves request ids, short numbers, ISO dates and GUIDs readable', () => {
    const text =
      'REQ-1234567 took 1500 ms at 2026-12-04T10:00:00Z (2026-12-04 10:00) ' +
      'user 5f3c1a2b-0000-4000-8000-000000000020';
    assert.equal(maskText(text), text);
  });

  it('is linear on long hostile input', () => {
    for (const unit of ['1 ', 'a@', '@a.', '+1', '1-', 'a.b@c.d ', '9'.repeat(30)]) {
      const text = unit.repeat(50_000 / unit.length);
      const started = performance.now();
      maskText(text);
      // Quadratic work on 50,000 characters takes many seconds; linear work, milliseconds.
      assert.ok(performance.now() - started < 2000, `${unit} was slow`);
    }
  });
});
