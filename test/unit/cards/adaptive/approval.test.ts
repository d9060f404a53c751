import assert from 'node:assert/strict';
import { toAdaptiveCard } from '../../../../cards/adaptive/index.js';
import { ACTION_VERBS } from '../../../../cards/views.js';
import { approvalInEveryState, approvalView } from '../fixtures.js';
import { findAll, ofType, textOf, type Json } from '../walk.js';

const card = (v = approvalView(), ids?: string[]) =>
  toAdaptiveCard(v, ids ? { refreshUserIds: ids } : {}) as Json;
const fact = (c: Json, title: string) =>
  findAll(c, (o) => o.title === title && 'value' in o)[0]?.value as string | undefined;
const executes = (c: unknown) => ofType(c, 'Action.Execute');

describe('cards/adaptive/approval', () => {
  it('shows the request id, state, requester, contractor, directory, method and destination', () => {
    const c = card();
    const text = textOf(c);

    assert.match(text, /Enrolment request REQ-42/);
    assert.match(text, /Waiting for approval/);
    assert.equal(fact(c, 'Requested by'), 'Megan Bowen');
    assert.equal(fact(c, 'Contractor'), 'Jane Doe (jdoe)');
    assert.equal(fact(c, 'Directory'), 'Active Directory \\(corp.example\\)');
    assert.equal(fact(c, 'Method'), 'SMS activation link');
    assert.equal(fact(c, 'Destination'), '+44 •••• ••3456 (from mobile)');
    assert.equal(fact(c, 'Reason'), 'Starts on the payments project on Monday');
  });

  it('marks checks with ✓ and ✗ and colours them, and shows warnings in attention colour', () => {
    const blocks = ofType(card(), 'TextBlock');
    const line = (s: string) => blocks.find((b) => (b.text as string).includes(s));

    assert.deepEqual(
      [line('✓ Exactly one')?.color, line('✗ Duo user is in bypass')?.color],
      ['Good', 'Attention'],
    );
    assert.equal(line('MFA is skipped')?.color, 'Attention');
  });

  it('shows the sandbox, self-approval and push notes and quorum only when present', () => {
    const bare = textOf(card());
    const full = card(
      approvalView({
        sandboxNote: 'sandbox: nothing was sent',
        selfApprovalNote: 'You are approving your own request (demo)',
        pushNote: 'Waiting for your Duo Push',
        quorum: '1 of 2 approvals',
      }),
    );

    for (const s of ['sandbox: nothing was sent', 'own request', 'Duo Push', '1 of 2']) {
      assert.ok(!bare.includes(s), s);
      assert.ok(textOf(full).includes(s), s);
    }
    assert.equal(fact(full, 'Approvals'), '1 of 2 approvals');
  });

  it('shows the decision (outcome, who, when, comment) and the result', () => {
    const states = approvalInEveryState();
    const denied = card(states.find((v) => v.state === 'denied'));
    const failed = card(states.find((v) => v.state === 'failed'));

    assert.equal(fact(denied, 'Decision'), 'Denied');
    assert.equal(fact(denied, 'By'), 'Alex Wilber');
    assert.equal(fact(denied, 'At'), '2026-03-02 14:01 UTC');
    assert.equal(fact(denied, 'Comment'), 'No');
    const result = ofType(failed, 'TextBlock').find((b) => /Duo refused/.test(b.text as string));
    assert.equal(result?.color, 'Attention');
  });

  it('offers Approve and Deny as Action.Execute with the request id, only when actionable', () => {
    const c = card();
    const [approve, deny] = executes(c);

    assert.equal(approve?.verb, ACTION_VERBS.approve);
    assert.deepEqual(approve?.data, { requestId: 'REQ-42' });
    assert.equal(deny?.verb, ACTION_VERBS.deny);
    assert.deepEqual(deny?.data, { requestId: 'REQ-42' });
    assert.deepEqual(executes(card(approvalView({ actionable: false }))), []);
    assert.deepEqual(ofType(card(approvalView({ actionable: false })), 'Action.ShowCard'), []);
  });

  it('gives each Action.Execute an Action.Submit fallback carrying the same data and the verb', () => {
    for (const action of executes(card())) {
      assert.deepEqual(action.fallback, {
        type: 'Action.Submit',
        title: action.title,
        data: { ...(action.data as Json), verb: action.verb },
      });
    }
  });

  it('puts Deny behind a ShowCard with an optional comment input', () => {
    const [show] = ofType(card(), 'Action.ShowCard');
    const [input] = ofType(show, 'Input.Text');

    assert.equal(input?.id, 'comment');
    assert.notEqual(input?.isRequired, true);
    assert.equal(executes(show)[0]?.verb, ACTION_VERBS.deny);
  });

  it('adds a refresh for the given users only when asked', () => {
    assert.equal(card().refresh, undefined);
    assert.deepEqual(card(approvalView(), ['29:a', '29:b']).refresh, {
      action: { type: 'Action.Execute', verb: ACTION_VERBS.refresh, data: { requestId: 'REQ-42' } },
      userIds: ['29:a', '29:b'],
    });
  });

  it('caps the refresh at 60 users, as Teams does', () => {
    const ids = Array.from({ length: 61 }, (_, i) => `29:${i}`);
    const refresh = card(approvalView(), ids).refresh as { userIds: string[] };

    assert.equal(refresh.userIds.length, 60);
  });

  it('lists at most 12 checks and 8 warnings, then says how many more', () => {
    const many = approvalView({
      checks: Array.from({ length: 15 }, (_, i) => ({ ok: true, text: `check ${i}` })),
      warnings: Array.from({ length: 10 }, (_, i) => `warning ${i}`),
    });
    const text = textOf(card(many));

    assert.ok(text.includes('check 11') && !text.includes('check 12'));
    assert.ok(text.includes('…and 3 more') && text.includes('…and 2 more'));
  });
});
