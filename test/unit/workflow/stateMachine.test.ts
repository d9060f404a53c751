import assert from 'node:assert/strict';
import {
  INITIAL_STATES,
  TERMINAL_STATES,
  canTransition,
  isTerminal,
  nextStates,
  stateLabel,
} from '../../../src/workflow/stateMachine.js';
import { REQUEST_STATES, type RequestState } from '../../../src/workflow/types.js';

/** The lifecycle of DESIGN.md, written out independently of the implementation's table. */
const ALLOWED: Array<[RequestState, RequestState]> = [
  ['requested', 'pending_approval'],
  ['requested', 'rejected'],
  ['pending_approval', 'approved'],
  ['pending_approval', 'denied'],
  ['pending_approval', 'cancelled'],
  ['pending_approval', 'expired'],
  ['approved', 'sending'],
  ['approved', 'cancelled'],
  ['sending', 'sent'],
  ['sending', 'failed'],
  ['sending', 'needs_attention'],
  ['sent', 'activated'],
  ['sent', 'link_expired'],
  ['sent', 'needs_attention'],
];

const OPERATOR_ONLY: Array<[RequestState, RequestState]> = [
  ['failed', 'sending'],
  ['needs_attention', 'sending'],
  ['needs_attention', 'sent'],
  ['needs_attention', 'failed'],
  ['needs_attention', 'cancelled'],
];

const has = (list: Array<[RequestState, RequestState]>, a: RequestState, b: RequestState) =>
  list.some(([x, y]) => x === a && y === b);

describe('workflow/stateMachine', () => {
  it('allows exactly the lifecycle edges, for every pair of states', () => {
    for (const from of REQUEST_STATES) {
      for (const to of REQUEST_STATES) {
        assert.equal(canTransition(from, to), has(ALLOWED, from, to), `${from} -> ${to}`);
      }
    }
  });

  it('allows operator-only edges only with the operator flag', () => {
    for (const from of REQUEST_STATES) {
      for (const to of REQUEST_STATES) {
        const expected = has(ALLOWED, from, to) || has(OPERATOR_ONLY, from, to);
        assert.equal(canTransition(from, to, { operator: true }), expected, `${from} -> ${to}`);
      }
    }
  });

  it('never lets a pending request transition to itself (quorum approvals are updates)', () => {
    assert.equal(canTransition('pending_approval', 'pending_approval'), false);
    assert.equal(canTransition('pending_approval', 'pending_approval', { operator: true }), false);
  });

  it('never resends from sending, sent or link_expired, even for an operator', () => {
    for (const from of ['sending', 'sent', 'link_expired'] as const) {
      assert.equal(canTransition(from, 'sending', { operator: true }), false, from);
    }
  });

  it('treats the final states as terminal and leaves failed and needs_attention open', () => {
    assert.deepEqual([...TERMINAL_STATES].sort(), [
      'activated',
      'cancelled',
      'denied',
      'expired',
      'link_expired',
      'rejected',
    ]);
    for (const state of TERMINAL_STATES) {
      assert.equal(isTerminal(state), true);
      assert.deepEqual(nextStates(state, { operator: true }), [], state);
    }
    assert.equal(isTerminal('failed'), false);
    assert.equal(isTerminal('needs_attention'), false);
    assert.equal(isTerminal('pending_approval'), false);
  });

  it('lets requests start only before anything was sent', () => {
    assert.deepEqual([...INITIAL_STATES].sort(), [
      'approved',
      'pending_approval',
      'rejected',
      'requested',
    ]);
  });

  it('lists next states consistently with canTransition', () => {
    for (const from of REQUEST_STATES) {
      for (const to of nextStates(from)) assert.ok(canTransition(from, to));
      for (const to of nextStates(from, { operator: true })) {
        assert.ok(canTransition(from, to, { operator: true }));
      }
    }
  });

  it('labels every state in one line, worded for the method', () => {
    assert.equal(stateLabel('pending_approval', 'sms'), 'Waiting for approval');
    assert.equal(stateLabel('sent', 'sms'), 'Activation SMS sent');
    assert.equal(stateLabel('sent', 'email'), 'Enrolment e-mail sent');
    for (const state of REQUEST_STATES) {
      for (const method of ['sms', 'email'] as const) {
        const label = stateLabel(state, method);
        assert.ok(label.length > 0 && label.length < 60 && !label.includes('\n'), label);
        assert.ok(!label.includes('_'), `label for ${state} leaks the state name: ${label}`);
      }
    }
  });
});
