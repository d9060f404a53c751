import assert from 'node:assert/strict';
import {
  escapeMrkdwn,
  fitEscaped,
  mrkdwnLine,
  toBlockKit,
} from '../../../../cards/blockkit/index.js';
import { approvalView, HOSTILE } from '../fixtures.js';
import { findAll } from '../walk.js';

describe('cards/blockkit/escape', () => {
  it('turns &, < and > into entities so mentions and links are inert', () => {
    assert.equal(
      escapeMrkdwn('<!channel> <@U123> <http://x|y> a & b'),
      '&lt;!channel&gt; &lt;@U123&gt; &lt;http://x|y&gt; a &amp; b',
    );
  });

  it('never cuts an entity in half', () => {
    assert.equal(fitEscaped('ab&amp;cd', 4), 'ab…');
    assert.equal(fitEscaped('ab&amp;cd', 8), 'ab&amp;…');
    assert.ok(mrkdwnLine('&'.repeat(100), 20).length <= 20);
  });

  it('keeps hostile text out of live mrkdwn on every field of the approval message', () => {
    for (const text of HOSTILE) {
      const message = toBlockKit(
        approvalView({ requester: text, contractorName: text, reason: text, stateLabel: text }),
      );
      const mrkdwn = findAll(message.blocks, (o) => o.type === 'mrkdwn').map(
        (o) => o.text as string,
      );

      for (const t of [...mrkdwn, message.text]) {
        assert.doesNotMatch(t, /[<>]|&(?!amp;|lt;|gt;)/, text);
      }
    }
  });

  it('strips bidi overrides and control characters, keeps emoji', () => {
    const out = mrkdwnLine('a\u202Eb\u0007c 👩🏽‍💻', 100);

    assert.equal(out, 'abc 👩🏽‍💻');
  });
});
