import { strict as assert } from 'node:assert';
import { escapeTeamsText, replyActivity } from '../../../../adapters/teams/render.js';

describe('Teams rendering', () => {
  it('neutralises markup in user text without showing entities twice', () => {
    const activity = replyActivity({ text: 'denied ("Wrong person <b>R&D</b> 5 > 3")' });
    assert.equal(activity.text, 'denied ("Wrong person &lt;b&gt;R&amp;D&lt;/b&gt; 5 &gt; 3")');
    assert.equal(activity.textFormat, undefined, 'markdown, which decodes the entities once');
  });

  it('keeps line breaks and escapes markdown', () => {
    assert.equal(
      escapeTeamsText('because:\n• *bold* [x](y)'),
      'because:<br>• \\*bold\\* \\[x\\](y)',
    );
    assert.equal(escapeTeamsText('<at>Admin</at>'), '&lt;at&gt;Admin&lt;/at&gt;');
  });

  it('shows a file as a card of its lines, cut with a note when long', () => {
    const content = [
      'ts,request_id',
      ...Array.from({ length: 200 }, (_, i) => `2026-12-0${i % 9},REQ-${i}`),
    ].join('\n');
    const activity = replyActivity({
      text: 'audit',
      file: { name: 'audit.csv', contentType: 'text/csv', content },
    });
    const [card] = activity.attachments ?? [];
    assert.equal(card?.contentType, 'application/vnd.microsoft.card.adaptive');
    const json = JSON.stringify(card?.content);
    assert.match(json, /audit\.csv/);
    assert.match(json, /REQ-148/);
    assert.doesNotMatch(json, /REQ-149\b/);
    assert.match(json, /51 more lines not shown/);
  });
});
