import assert from 'node:assert/strict';
import {
  CONTRACTOR_DATASET,
  toAdaptiveCard,
  toNoticeCard,
} from '../../../../cards/adaptive/index.js';
import { ACTION_VERBS } from '../../../../cards/views.js';
import { chooseView, formView, helpView, infoView } from '../fixtures.js';
import { findAll, ofType, textOf, type Json } from '../walk.js';

describe('cards/adaptive: choose, info, help, form and notice', () => {
  it('choose: one Action.Execute per option carrying its command', () => {
    const actions = ofType(toAdaptiveCard(chooseView()), 'Action.Execute');

    assert.equal(actions.length, 3);
    actions.forEach((a, i) => {
      assert.equal(a.verb, ACTION_VERBS.choose);
      assert.deepEqual(a.data, { command: `enrol contractor jdoe${i} by sms` });
      assert.deepEqual((a.fallback as Json).data, {
        command: a.data && (a.data as Json).command,
        verb: a.verb,
      });
    });
  });

  it('choose: shows at most 10 options and asks to narrow the search', () => {
    const c = toAdaptiveCard(chooseView('Jane', 14));

    assert.equal(ofType(c, 'Action.Execute').length, 10);
    assert.match(textOf(c), /…and 4 more: add more detail/);
  });

  it('info: title, headings and lines', () => {
    const text = textOf(toAdaptiveCard(infoView('jdoe', 2)));

    assert.match(text, /Status of jdoe/);
    assert.match(text, /Requests\n/);
    assert.match(text, /REQ-1: jdoe/);
    assert.match(text, /Duo: active, 1 phone, activated/);
  });

  it('help: lists every command with its description', () => {
    const facts = ofType(toAdaptiveCard(helpView()), 'FactSet')[0]?.facts as Json[];

    assert.equal(facts.length, helpView().commands.length);
    assert.match(facts[0]?.title as string, /^enrol contractor </);
    assert.equal(facts[2]?.value, 'What waits for approval');
  });

  it('form: a contractor ChoiceSet with type-ahead through Data.Query and initial choices', () => {
    const [contractor] = findAll(toAdaptiveCard(formView(2)), (o) => o.id === 'contractor');

    assert.equal(contractor?.type, 'Input.ChoiceSet');
    assert.equal(contractor?.style, 'filtered');
    assert.equal(contractor?.isRequired, true);
    assert.deepEqual(contractor?.['choices.data'], {
      type: 'Data.Query',
      dataset: CONTRACTOR_DATASET,
    });
    assert.equal(CONTRACTOR_DATASET, 'contractors');
    assert.deepEqual(contractor?.choices, [
      { title: 'Jane Doe 0', value: 'c0' },
      { title: 'Jane Doe 1', value: 'c1' },
    ]);
  });

  it('form: at most 15 initial choices (the dropdown limit in Teams)', () => {
    const [contractor] = findAll(toAdaptiveCard(formView(40)), (o) => o.id === 'contractor');

    assert.equal((contractor?.choices as unknown[]).length, 15);
  });

  it('form: a method ChoiceSet (sms, email), a reason input and a submit Action.Execute', () => {
    const c = toAdaptiveCard(formView());
    const [method] = findAll(c, (o) => o.id === 'method');
    const [reason] = findAll(c, (o) => o.id === 'reason');
    const [submit] = ofType(c, 'Action.Execute');

    assert.deepEqual(
      (method?.choices as Json[]).map((ch) => ch.value),
      ['sms', 'email'],
    );
    assert.equal(reason?.type, 'Input.Text');
    assert.equal(submit?.verb, ACTION_VERBS.submitForm);
    assert.deepEqual((submit?.fallback as Json).data, { verb: ACTION_VERBS.submitForm });
  });

  it('form: with no initial choices the contractor is a text input', () => {
    const [contractor] = findAll(toAdaptiveCard(formView(0)), (o) => o.id === 'contractor');

    assert.equal(contractor?.type, 'Input.Text');
  });

  it('notice: the text in the colour of its tone', () => {
    const [block] = ofType(toNoticeCard('Card could not be updated', 'attention'), 'TextBlock');

    assert.equal(block?.text, 'Card could not be updated');
    assert.equal(block?.color, 'Attention');
  });
});
