import assert from 'node:assert/strict';
import { toAdaptiveCard } from '../../../../cards/adaptive/index.js';
import { ACTION_VERBS, type BatchView } from '../../../../cards/views.js';
import { batchInEveryPhase, rows } from '../fixtures.js';
import { cardProblems } from '../../../support/adaptive.js';
import { findAll, ofType, textOf, type Json } from '../walk.js';

const card = (v: BatchView, ids?: string[]) =>
  toAdaptiveCard(v, ids ? { refreshUserIds: ids } : {}) as Json;
const fact = (c: Json, title: string) =>
  findAll(c, (o) => o.title === title && 'value' in o)[0]?.value;
const [pending, sending, finished, denied] = batchInEveryPhase() as [BatchView, ...BatchView[]];

describe('cards/adaptive/batch', () => {
  it('shows the counts of ready and blocked contractors and who asked', () => {
    const c = card(pending);

    assert.equal(fact(c, 'Ready'), '3');
    assert.equal(fact(c, 'Blocked'), '2');
    assert.equal(fact(c, 'Requested by'), 'Megan Bowen');
    assert.match(textOf(c), /Batch enrolment BATCH-7/);
  });

  it('lists rows with their method, destination and reason', () => {
    const text = textOf(card(pending));

    assert.match(text, /Contractor 0 \(c0\) · SMS \+44 •••• ••3456/);
    assert.match(text, /Contractor 1 \(c1\) · email c•••@vendor.example: No mobile number/);
  });

  it('lists the first 10 rows of each kind and says how many more', () => {
    const big = { ...pending, readyRows: rows(25), blockedRows: rows(12, 'blocked') };
    const text = textOf(card(big));

    assert.ok(text.includes('(c9)') && !text.includes('(c10)'));
    assert.ok(text.includes('…and 15 more') && text.includes('…and 2 more'));
  });

  it('offers batch Approve and Deny with the batch id, only while actionable', () => {
    const [approve, deny] = ofType(card(pending), 'Action.Execute');

    assert.equal(approve?.verb, ACTION_VERBS.batchApprove);
    assert.deepEqual(approve?.data, { batchId: 'BATCH-7' });
    assert.equal(approve?.title, 'Approve 3');
    assert.equal(deny?.verb, ACTION_VERBS.batchDeny);
    assert.deepEqual((approve?.fallback as Json).data, {
      batchId: 'BATCH-7',
      verb: ACTION_VERBS.batchApprove,
    });
    assert.deepEqual(ofType(card(sending!), 'Action.Execute'), []);
  });

  it('shows progress while sending and the tally with failure reasons when done', () => {
    assert.match(textOf(card(sending!)), /Sending: 1 of 3 done/);
    const done = card(finished!);

    assert.equal(fact(done, 'Sent'), '1');
    assert.equal(fact(done, 'Already enrolled'), '1');
    assert.equal(fact(done, 'Failed'), '1');
    assert.match(textOf(done), /✗ c2: Duo refused the number/);
  });

  it('shows the decision with its comment and the sandbox note', () => {
    const c = card(denied!);

    assert.equal(fact(c, 'Decision'), 'Denied');
    assert.equal(fact(c, 'Comment'), 'Later');
    assert.match(textOf(c), /sandbox: nothing was sent/);
  });

  it('shows the push note in accent colour only while a push waits, and still validates', () => {
    const note = 'Waiting for Alex Wilber to accept the Duo Push sent to their phone.';
    const waiting = card({ ...pending, pushNote: note });
    const block = ofType(waiting, 'TextBlock').find((b) => b.text === note);

    assert.equal(block?.color, 'Accent');
    assert.ok(!textOf(card(pending)).includes('Duo Push'));
    assert.deepEqual(cardProblems(waiting), []);
    assert.deepEqual(cardProblems(card({ ...pending, pushNote: note }, ['29:a'])), []);
  });

  it('escapes the push note like any user text', () => {
    const text = textOf(
      card({ ...pending, pushNote: 'Waiting for *Eve* [x](https://evil.example)' }),
    );

    assert.ok(!text.includes('*Eve*') && !text.includes('[x](https'), text);
  });

  it('refreshes with the batch id', () => {
    const refresh = card(pending, ['29:a']).refresh as { action: Json };

    assert.deepEqual(refresh.action.data, { batchId: 'BATCH-7' });
  });
});
