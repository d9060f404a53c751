import assert from 'node:assert/strict';
import { toBlockKit } from '../../../../cards/blockkit/index.js';
import { ACTION_VERBS } from '../../../../cards/views.js';
import { chooseView, formView, helpView, infoView } from '../fixtures.js';
import { ofType, textOf } from '../walk.js';

describe('cards/blockkit: choose, info, help and form', () => {
  it('choose: one button per option, value is the command as JSON', () => {
    const buttons = ofType(toBlockKit(chooseView()), 'button');

    assert.equal(buttons.length, 3);
    buttons.forEach((b, i) => {
      assert.equal(b.action_id, ACTION_VERBS.choose);
      assert.deepEqual(JSON.parse(b.value as string), {
        command: `enrol contractor jdoe${i} by sms`,
      });
    });
  });

  it('choose: at most 10 options, and a command too long for a button value is not offered', () => {
    const view = chooseView('Jane', 12);
    view.options[0]!.command = 'x'.repeat(2500);
    const message = toBlockKit(view);

    assert.equal(ofType(message, 'button').length, 10);
    assert.ok(!textOf(message).includes('x'.repeat(2000)));
    assert.match(textOf(message), /…and 2 more/);
  });

  it('info: header title, headings and lines', () => {
    const message = toBlockKit(infoView('jdoe', 2));
    const text = textOf(message);

    assert.equal(message.blocks[0]?.type, 'header');
    assert.ok(
      text.includes('Status of jdoe') && text.includes('*Requests*\nREQ-0: jdoe\nREQ-1: jdoe'),
    );
  });

  it('help: every command with its description, usage in code', () => {
    const text = textOf(toBlockKit(helpView()));

    assert.ok(
      text.includes('`enrol contractor &lt;who&gt; by sms|email [because &lt;reason&gt;]` Ask'),
    );
    assert.ok(text.includes('`pending` What waits for approval'));
  });

  it('form: a button that opens the form modal', () => {
    const [button] = ofType(toBlockKit(formView()), 'button');

    assert.equal(button?.action_id, ACTION_VERBS.openForm);
  });
});
