import assert from 'node:assert/strict';
import {
  contractorOptions,
  denyModal,
  DENY_MODAL_ID,
  FORM_MODAL_ID,
  requestFormModal,
  SLACK_LIMITS,
} from '../../../../cards/blockkit/index.js';
import { blockKitProblems } from './problems.js';
import { findAll, ofType, type Json } from '../walk.js';

const modalProblems = (view: { blocks: Json[] }) =>
  blockKitProblems({ blocks: view.blocks }, { maxBlocks: SLACK_LIMITS.blocksPerModal });

describe('cards/blockkit/modals', () => {
  it('denyModal: callback id, both strings in private_metadata, a multiline optional reason', () => {
    const view = denyModal('REQ-42', 'C123:1700000000.000100');
    const [input] = ofType(view, 'plain_text_input');

    assert.equal(view.callback_id, DENY_MODAL_ID);
    assert.equal(DENY_MODAL_ID, 'enrol.deny_modal');
    assert.deepEqual(JSON.parse(view.private_metadata), {
      requestId: 'REQ-42',
      cardRef: 'C123:1700000000.000100',
    });
    assert.equal(input?.multiline, true);
    assert.equal(input?.action_id, 'reason');
    assert.ok(view.title.text.length <= SLACK_LIMITS.modalTitle);
    assert.deepEqual(modalProblems(view), []);
  });

  it('denyModal: refuses metadata Slack would cut', () => {
    assert.throws(() => denyModal('REQ-1', 'x'.repeat(3000)), RangeError);
  });

  it('requestFormModal: external select for the contractor, method select, reason', () => {
    const view = requestFormModal();
    const [contractor] = ofType(view, 'external_select');
    const [method] = ofType(view, 'static_select');

    assert.equal(view.callback_id, FORM_MODAL_ID);
    assert.equal(FORM_MODAL_ID, 'enrol.form_modal');
    assert.equal(contractor?.action_id, 'contractor');
    assert.equal(contractor?.min_query_length, 1);
    assert.deepEqual(
      (method?.options as Json[]).map((o) => o.value),
      ['sms', 'email'],
    );
    assert.equal((method?.initial_option as Json).value, 'sms');
    assert.equal(ofType(view, 'plain_text_input')[0]?.action_id, 'reason');
    assert.deepEqual(modalProblems(view), []);
  });

  it('requestFormModal: fills initial values, cleaned and capped', () => {
    const view = requestFormModal({
      contractor: { title: 'Jane Doe (jdoe)', value: 'jdoe' },
      method: 'email',
      reason: `why\u202E${'y'.repeat(900)}`,
    });
    const [contractor] = ofType(view, 'external_select');
    const [reason] = findAll(view, (o) => 'initial_value' in o);

    assert.deepEqual(contractor?.initial_option, {
      text: { type: 'plain_text', text: 'Jane Doe (jdoe)', emoji: true },
      value: 'jdoe',
    });
    assert.equal((ofType(view, 'static_select')[0]?.initial_option as Json).value, 'email');
    assert.ok((reason?.initial_value as string).startsWith('whyyy'));
    assert.ok((reason?.initial_value as string).length <= 500);
  });

  it('contractorOptions: plain text within 75, values within 150, at most 100 options', () => {
    const records = Array.from({ length: 120 }, (_, i) => ({
      title: `<!channel> ${'n'.repeat(100)} ${i}`,
      value: `c${i}`,
    }));
    records.push({ title: 'too long', value: 'v'.repeat(151) });
    const { options } = contractorOptions(records);

    assert.equal(options.length, 100);
    for (const o of options) {
      assert.equal(o.text.type, 'plain_text');
      assert.ok(o.text.text.length <= 75 && o.value.length <= 150);
    }
    assert.ok(!contractorOptions(records.slice(-1)).options.length);
  });
});
