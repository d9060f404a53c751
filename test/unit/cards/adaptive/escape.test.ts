import assert from 'node:assert/strict';
import { escapeMarkdown } from '../../../../cards/adaptive/index.js';
import { mdLine } from '../../../../cards/adaptive/escape.js';
import { toAdaptiveCard } from '../../../../cards/adaptive/index.js';
import { approvalView, chooseView, formView, HOSTILE, HUGE } from '../fixtures.js';
import { findAll, textOf } from '../walk.js';

const ZWSP = '\u200B';

describe('cards/adaptive/escape', () => {
  it('backslash-escapes emphasis, code, strike and links', () => {
    assert.equal(escapeMarkdown('*bold* _it_'), '\\*bold\\* \\_it\\_');
    assert.equal(escapeMarkdown('[link](x)'), '\\[link\\]\\(x\\)');
    assert.equal(escapeMarkdown('`c` ~s~ \\'), '\\`c\\` \\~s\\~ \\\\');
  });

  it('escapes block markers at the start of a line only', () => {
    assert.equal(escapeMarkdown('# h\n> q\n- i\n+ j\n1. k'), '\\# h\n\\> q\n\\- i\n\\+ j\n1\\. k');
    assert.equal(escapeMarkdown('jean-luc +44 1.5 a#b'), 'jean-luc +44 1.5 a#b');
  });

  it('neutralises <at> mentions, HTML-ish tags and entities', () => {
    assert.equal(escapeMarkdown('<at>Admin</at>'), `<${ZWSP}at>Admin<${ZWSP}/at>`);
    assert.equal(escapeMarkdown('<script>'), `<${ZWSP}script>`);
    assert.equal(escapeMarkdown('&lt;at&gt;'), `&${ZWSP}lt;at&${ZWSP}gt;`);
    assert.equal(escapeMarkdown('a < b & c'), 'a < b & c');
  });

  it('leaves ${...} in user text literal (the template engine does not re-evaluate data)', () => {
    const c = toAdaptiveCard(approvalView({ requester: '${requestId} ${$root.verbs.approve}' }));

    assert.ok(textOf(c).includes('${requestId} ${$root.verbs.approve}'));
  });

  it('strips bidi overrides, marks and control characters but keeps emoji and RTL scripts', () => {
    const out = mdLine(HOSTILE[7]! + HOSTILE[8]!, 1000);

    // eslint-disable-next-line no-control-regex -- asserting control characters are gone
    assert.doesNotMatch(out, /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u0000-\u0008\u001b]/);
    assert.ok(out.includes('👩🏽‍💻🇬🇧') && out.includes('عربي') && out.includes('עברית'));
  });

  it('caps long values without splitting an emoji', () => {
    const out = mdLine('👩🏽‍💻'.repeat(100), 50);

    assert.ok(out.length <= 50);
    assert.match(out, /^(👩🏽‍💻)+…$/u);
  });

  it('no hostile string survives into any card as live markup', () => {
    for (const text of HOSTILE) {
      for (const view of [approvalView({ requester: text, reason: text }), chooseView(text)]) {
        // Only markdown-rendered text counts: button titles and action data are plain strings.
        const rendered = findAll(
          toAdaptiveCard(view),
          (o) => o.type === 'TextBlock' || 'value' in o,
        );
        const all = rendered
          .map((o) => `${o.text ?? ''} ${o.title ?? ''} ${o.value ?? ''}`)
          .join('\n');

        assert.doesNotMatch(all, /<(at|script|img)/i, text);
        assert.doesNotMatch(all, /(^|[^\\])\[link\]/, text);
        assert.doesNotMatch(all, /(^|[^\\])\*bold/, text);
      }
    }
  });

  it('caps a huge reason on the approval card', () => {
    const [reason] = findAll(
      toAdaptiveCard(approvalView({ reason: HUGE })),
      (o) => o.title === 'Reason',
    );

    assert.ok((reason?.value as string).length < 2200);
    assert.ok((reason?.value as string).endsWith('…'));
  });

  it('keeps form choice titles plain but cleaned and capped', () => {
    const [set] = findAll(
      toAdaptiveCard(formView(1, `*x* \u202E${'y'.repeat(300)}`)),
      (o) => o.id === 'contractor',
    );
    const [choice] = set?.choices as { title: string }[];

    assert.ok(choice!.title.startsWith('*x* yyy'));
    assert.ok(choice!.title.length <= 100);
  });
});
