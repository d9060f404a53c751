import assert from 'node:assert/strict';
import { SLACK_TEXT_BUDGET, textLength, toBlockKit } from '../../../../cards/blockkit/index.js';
import {
  approvalView,
  batchInEveryPhase,
  everyHostileView,
  everyView,
  HOSTILE_ALL,
  HUGE,
  rows,
} from '../fixtures.js';
import { blockKitProblems } from './problems.js';

describe('cards/blockkit: Slack limits', () => {
  for (const [name, view] of everyView()) {
    it(`${name} is within Block Kit limits and escaped`, () => {
      const message = toBlockKit(view);

      assert.deepEqual(blockKitProblems(message), []);
      assert.ok(message.text.length > 0);
    });
  }

  for (const [label, text] of [
    ['hostile', HOSTILE_ALL],
    ['oversized', HUGE],
  ]) {
    for (const [name, view] of everyHostileView(text!)) {
      it(`${name} with ${label} text stays within limits and the text budget`, () => {
        const message = toBlockKit(view);

        assert.deepEqual(blockKitProblems(message), []);
        assert.ok(textLength(message) <= SLACK_TEXT_BUDGET, `${textLength(message)}`);
      });
    }
  }

  it('a batch of 60 ready and 60 blocked rows with 5000-character reasons fits', () => {
    const reason = '<!channel> *x* & '.repeat(300);
    const view = {
      ...batchInEveryPhase()[0]!,
      reason,
      readyCount: 60,
      blockedCount: 60,
      readyRows: rows(60, reason),
      blockedRows: rows(60, reason),
    };
    const message = toBlockKit(view);

    assert.ok(reason.length >= 5000);
    assert.deepEqual(blockKitProblems(message), []);
    assert.match(JSON.stringify(message), /…and 50 more/);
  });

  it('an approval with a 5000-character reason keeps the section under 3000', () => {
    const message = toBlockKit(approvalView({ reason: '&'.repeat(5000) }));

    assert.deepEqual(blockKitProblems(message), []);
  });

  it('the checker itself catches live markup and oversize (so the tests above mean something)', () => {
    const bad = {
      text: 'x',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '<!channel> & more' } },
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
      ],
    };

    const problems = blockKitProblems(bad);

    assert.equal(problems.length, 2);
    assert.match(problems.join(), /unescaped markup/);
    assert.match(problems.join(), /header too long/);
  });
});
