import assert from 'node:assert/strict';
import { cleanText, longText, oneLine, scaled, shortText, truncate } from '../../../cards/text.js';

describe('cards/text', () => {
  it('cleanText drops controls and bidi overrides, keeps newlines, turns tabs into spaces', () => {
    assert.equal(cleanText('a\u0000b\u202Ec\u2066d\u200Fe\tf\r\ng'), 'abcde f\ng');
  });

  it('oneLine folds whitespace; longText keeps at most one blank line', () => {
    assert.equal(oneLine('  a\n\n b\t c '), 'a b c');
    assert.equal(longText('a\n\n\n\nb\n', 100), 'a\n\nb');
  });

  it('truncate stays within the limit in UTF-16 units and never splits a grapheme', () => {
    const flags = '🇬🇧'.repeat(20);
    const cut = truncate(flags, 11);

    assert.equal(cut, '🇬🇧🇬🇧…');
    assert.equal(truncate('short', 10), 'short');
    assert.equal(shortText('x'.repeat(50), 10), `${'x'.repeat(9)}…`);
  });

  it('scaled shrinks a cap but not below the minimum', () => {
    assert.equal(scaled(300, 0.5), 150);
    assert.equal(scaled(100, 0.1), 16);
  });
});
