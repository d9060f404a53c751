import assert from 'node:assert/strict';
import { toBlockKit } from '../../../../cards/blockkit/index.js';
import { ACTION_VERBS } from '../../../../cards/views.js';
import { approvalInEveryState, approvalView } from '../fixtures.js';
import { findAll, ofType, textOf, type Json } from '../walk.js';

const buttons = (m: unknown) => ofType(m, 'button');

describe('cards/blockkit/approval', () => {
  it('has a header with the request id and a notification text', () => {
    const message = toBlockKit(approvalView());

    assert.deepEqual(message.blocks[0], {
      type: 'header',
      text: { type: 'plain_text', text: 'Enrolment request REQ-42', emoji: true },
    });
    assert.equal(
      message.text,
      'Enrolment request REQ-42 for Jane Doe (jdoe): Waiting for approval',
    );
  });

  it('shows who asked, for whom, directory, method, destination, reason, checks and warnings', () => {
    const text = textOf(toBlockKit(approvalView({ quorum: '1 of 2 approvals' })));

    for (const s of [
      '*Requested by*\nMegan Bowen',
      '*Contractor*\nJane Doe (jdoe)',
      '*Directory*\nActive Directory (corp.example)',
      '*Method*\nSMS activation link',
      '*Destination*\n+44 •••• ••3456 (from mobile)',
      '*Approvals*\n1 of 2 approvals',
      '*Reason*\nStarts on the payments project',
      '✓ Exactly one directory record matches',
      '✗ Duo user is in bypass',
      ':warning: The Duo user is in bypass',
    ]) {
      assert.ok(text.includes(s), s);
    }
  });

  it('shows the sandbox, self-approval and push notes', () => {
    const text = textOf(
      toBlockKit(
        approvalView({
          sandboxNote: 'sandbox: nothing was sent',
          selfApprovalNote: 'own',
          pushNote: 'push',
        }),
      ),
    );

    assert.ok(text.includes('sandbox: nothing was sent'));
    assert.ok(text.includes(':warning: own') && text.includes(':iphone: push'));
  });

  it('Approve (primary, with a confirm) and Deny (danger) carry the verbs and the request id', () => {
    const [approve, deny] = buttons(toBlockKit(approvalView()));

    assert.equal(approve?.action_id, ACTION_VERBS.approve);
    assert.equal(approve?.value, 'REQ-42');
    assert.equal(approve?.style, 'primary');
    assert.match(textOf(approve?.confirm), /Approve REQ-42\?/);
    assert.match(textOf(approve?.confirm), /SMS activation link for Jane Doe \(jdoe\) to \+44/);
    assert.equal(deny?.action_id, ACTION_VERBS.deny);
    assert.equal(deny?.value, 'REQ-42');
    assert.equal(deny?.style, 'danger');
  });

  it('has no buttons when not actionable', () => {
    for (const view of approvalInEveryState().filter((v) => !v.actionable)) {
      assert.deepEqual(buttons(toBlockKit(view)), [], view.state);
    }
  });

  it('shows the decision and the result', () => {
    const states = approvalInEveryState();
    const denied = textOf(toBlockKit(states.find((v) => v.state === 'denied')!));
    const sent = textOf(toBlockKit(states.find((v) => v.state === 'sent')!));
    const failed = textOf(toBlockKit(states.find((v) => v.state === 'failed')!));

    assert.ok(denied.includes('*Decision*\nDenied') && denied.includes('*By*\nAlex Wilber'));
    assert.ok(denied.includes('*At*\n2026-03-02 14:01 UTC') && denied.includes('*Comment*\nNo'));
    assert.ok(sent.includes(':white_check_mark: *Activation SMS sent at 14:02 UTC*'));
    assert.ok(failed.includes(':x: *Duo refused'));
  });

  it('caps a long check list', () => {
    const many = approvalView({
      checks: Array.from({ length: 20 }, (_, i) => ({ ok: true, text: `c${i}` })),
    });
    const [checks] = findAll(toBlockKit(many), (o) =>
      /^\*Checks\*/.test((o as Json).text as string),
    );

    assert.match(checks?.text as string, /c11\n…and 8 more$/);
  });
});
