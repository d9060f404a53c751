import assert from 'node:assert/strict';
import { toBlockKit } from '../../../../cards/blockkit/index.js';
import { ACTION_VERBS, type BatchView } from '../../../../cards/views.js';
import { batchInEveryPhase, rows } from '../fixtures.js';
import { ofType, textOf } from '../walk.js';

const [pending, sending, finished, denied] = batchInEveryPhase() as [BatchView, ...BatchView[]];

describe('cards/blockkit/batch', () => {
  it('shows counts, who asked and the reason', () => {
    const text = textOf(toBlockKit(pending));

    assert.ok(text.includes('*Ready*\n3') && text.includes('*Blocked*\n2'));
    assert.ok(text.includes('*Requested by*\nMegan Bowen'));
    assert.ok(text.includes('*Reason*\nVendor team for Project X'));
  });

  it('lists the first 10 rows of each kind with their reasons and counts the rest', () => {
    const view = { ...pending, readyRows: rows(25), blockedRows: rows(11, 'No mobile') };
    const text = textOf(toBlockKit(view));

    assert.ok(text.includes('• Contractor 9 (c9) · email') && !text.includes('(c10)'));
    assert.ok(text.includes('…and 15 more') && text.includes('…and 1 more'));
    assert.ok(text.includes('• Contractor 0 (c0) · SMS +44 •••• ••3456: No mobile'));
  });

  it('offers batch Approve (with a confirm) and Deny with the batch id while actionable', () => {
    const [approve, deny] = ofType(toBlockKit(pending), 'button');

    assert.equal(approve?.action_id, ACTION_VERBS.batchApprove);
    assert.equal(approve?.value, 'BATCH-7');
    assert.ok(approve?.confirm);
    assert.equal(deny?.action_id, ACTION_VERBS.batchDeny);
    assert.deepEqual(ofType(toBlockKit(sending!), 'button'), []);
  });

  it('shows the push note in a context block only while a push waits', () => {
    const note = 'Waiting for Alex Wilber to accept the Duo Push sent to their phone.';
    const message = toBlockKit({ ...pending, pushNote: note });
    const contexts = ofType(message, 'context');

    assert.ok(textOf(contexts).includes(`:iphone: ${note}`));
    assert.ok(!textOf(toBlockKit(pending)).includes('Duo Push'));
  });

  it('escapes the push note for mrkdwn', () => {
    const text = textOf(toBlockKit({ ...pending, pushNote: 'Waiting for <!channel> & <@U1>' }));

    assert.ok(text.includes('Waiting for &lt;!channel&gt; &amp; &lt;@U1&gt;'), text);
    assert.ok(!text.includes('<!channel>'));
  });

  it('shows progress, then the tally with failures, and the decision', () => {
    assert.ok(textOf(toBlockKit(sending!)).includes('Sending: 1 of 3 done'));
    const done = textOf(toBlockKit(finished!));

    assert.ok(done.includes('*Sent*\n1') && done.includes('*Already enrolled*\n1'));
    assert.ok(done.includes('*Failed*\n1') && done.includes('✗ c2: Duo refused the number'));
    assert.ok(textOf(toBlockKit(denied!)).includes('*Comment*\nLater'));
  });
});
