import assert from 'node:assert/strict';
import { normaliseEmail } from '../../src/email.js';

describe('normaliseEmail', () => {
  it('accepts an ordinary address and lower-cases only the domain', () => {
    assert.deepEqual(normaliseEmail(' JDoe@ContractorCo.EXAMPLE '), {
      ok: true,
      email: 'JDoe@contractorco.example',
    });
    assert.deepEqual(normaliseEmail("mailto:o'brien+duo@mail.vendor.example"), {
      ok: true,
      email: "o'brien+duo@mail.vendor.example",
    });
  });

  it('normalises full-width characters (NFKC)', () => {
    assert.deepEqual(normaliseEmail('jdoe\uff20contractorco.example'), {
      ok: true,
      email: 'jdoe@contractorco.example',
    });
  });

  const refusals: [string, string][] = [
    ['', 'empty'],
    ['   ', 'empty'],
    [`${'a'.repeat(250)}@b.example`, 'too_long'],
    ['j doe@x.example', 'bad_character'],
    ['jdoe@x.example\n', 'ok'],
    ['jdoe\u0000@x.example', 'bad_character'],
    ['jdoe\u200b@x.example', 'bad_character'],
    ['<jdoe@x.example>', 'bad_character'],
    ['"jdoe"@x.example', 'bad_character'],
    ['jdoe@x.example,evil@y.example', 'bad_character'],
    ['jdoe.x.example', 'no_at'],
    ['jdoe@evil@x.example', 'several_at'],
    ['@x.example', 'bad_local_part'],
    ['.jdoe@x.example', 'bad_local_part'],
    ['j..doe@x.example', 'bad_local_part'],
    [`${'a'.repeat(65)}@x.example`, 'bad_local_part'],
    ['jdoe@localhost', 'bad_domain'],
    ['jdoe@x..example', 'bad_domain'],
    ['jdoe@-x.example', 'bad_domain'],
    ['jdoe@x.example.', 'bad_domain'],
    ['jdoe@10.0.0.1', 'bad_domain'],
    [`jdoe@${'a'.repeat(64)}.example`, 'bad_domain'],
  ];
  for (const [raw, reason] of refusals) {
    it(`${JSON.stringify(raw.slice(0, 40))} → ${reason}`, () => {
      const result = normaliseEmail(raw);
      if (reason === 'ok') assert.equal(result.ok, true);
      else assert.deepEqual(result, { ok: false, reason });
    });
  }
});
