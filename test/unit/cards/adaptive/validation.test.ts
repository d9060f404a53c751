import assert from 'node:assert/strict';
import {
  ADAPTIVE_CARD_MAX_BYTES,
  cardBytes,
  toAdaptiveCard,
  toNoticeCard,
} from '../../../../cards/adaptive/index.js';
import { cardProblems } from '../../../support/adaptive.js';
import { everyHostileView, everyView, HOSTILE_ALL, HUGE } from '../fixtures.js';

// The SDK treats `choices.data` (Teams' type-ahead) as a 1.6 property; Teams honours it in 1.5 cards.
const TYPEAHEAD_AT_1_5 =
  'parse: Property "choices.data" is supported in version 1.6, but you are using version 1.5.';

function expectClean(card: object, kind: string) {
  if (kind.startsWith('form') && JSON.stringify(card).includes('Data.Query')) {
    assert.deepEqual(cardProblems(card), [TYPEAHEAD_AT_1_5]);
    assert.deepEqual(cardProblems(card, '1.6'), []);
    return;
  }
  assert.deepEqual(cardProblems(card), []);
}

const approverIds = Array.from({ length: 80 }, (_, i) => `29:1${'x'.repeat(40)}${i}`);

describe('cards/adaptive: every card validates with the Adaptive Cards SDK at 1.5', () => {
  for (const [name, view] of everyView()) {
    it(`${name} is clean, version 1.5, full width`, () => {
      const card = toAdaptiveCard(view) as Record<string, unknown>;

      expectClean(card, name);
      assert.equal(card.version, '1.5');
      assert.deepEqual(card.msteams, { width: 'Full' });
      assert.equal(typeof card.fallbackText, 'string');
    });

    it(`${name} is clean with a refresh for approvers`, () => {
      expectClean(toAdaptiveCard(view, { refreshUserIds: approverIds }), name);
    });
  }

  for (const [label, text] of [
    ['hostile', HOSTILE_ALL],
    ['oversized', HUGE],
  ]) {
    for (const [name, view] of everyHostileView(text!)) {
      it(`${name} with ${label} text is clean and within ${ADAPTIVE_CARD_MAX_BYTES} bytes`, () => {
        const card = toAdaptiveCard(view, { refreshUserIds: approverIds });

        expectClean(card, name);
        assert.ok(cardBytes(card) <= ADAPTIVE_CARD_MAX_BYTES, `${cardBytes(card)} bytes`);
      });
    }
  }

  it('the notice card is clean, also with hostile and oversized text', () => {
    for (const text of ['Done', HOSTILE_ALL, HUGE.repeat(10)]) {
      const card = toNoticeCard(text, 'attention');
      assert.deepEqual(cardProblems(card), []);
      assert.ok(cardBytes(card) <= ADAPTIVE_CARD_MAX_BYTES);
    }
  });

  it('cardProblems reports what the SDK objects to', () => {
    const bogus = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Bogus' }] };
    const noId = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Text' }] };

    assert.equal(cardProblems(bogus).length, 1);
    assert.match(cardProblems(noId).join(), /id/i);
    assert.match(cardProblems(toAdaptiveCard(everyView()[1]![1]), '1.2').join(), /Action\.Execute/);
  });
});
