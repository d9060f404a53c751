import { strict as assert } from 'node:assert';
import pino from 'pino';
import sinon from 'sinon';
import { createNotifier } from '../../../bot/notifier.js';
import type { ChatGateway } from '../../../bot/ports.js';
import type { RequestStore } from '../../../src/store/requestStore.js';
import type { EnrolmentRequest } from '../../../src/workflow/types.js';
import { sampleRequest } from '../store/helpers.js';

/** A batch member whose send is in doubt after a crash. */
function inDoubt(): EnrolmentRequest {
  return {
    ...sampleRequest('jdoe', {
      state: 'needs_attention',
      batchId: 'BATCH-1',
      failure: { code: 'send_in_doubt', message: 'Duo shows the phone attached but no activation' },
    }),
    id: 'REQ-53',
    version: 4,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:05:00.000Z',
  };
}

describe('notifier', () => {
  function gateway() {
    return {
      platform: 'teams',
      postApproval: sinon.stub().resolves({ platform: 'teams', ref: {} }),
      updateCard: sinon.stub().resolves(),
      notify: sinon.stub().resolves(),
      notifyApprovers: sinon.stub().resolves(),
    } satisfies ChatGateway;
  }

  /** The notifier on one Teams gateway; batch members go to `onBatchMember` as to the card. */
  function notifierFor(teams: ChatGateway, onBatchMember: () => Promise<void>) {
    return createNotifier({
      store: {} as RequestStore,
      gateways: { teams },
      settings: {
        sandbox: false,
        approvalsRequired: 1,
        demoSelfApproval: false,
        directoryNames: {},
      },
      logger: pino({ level: 'silent' }),
      onBatchMember,
    });
  }

  it("tells the approvers and the requester of a batch member that needs a person's look", async () => {
    const teams = gateway();
    const onBatchMember = sinon.stub().resolves();
    const notify = notifierFor(teams, onBatchMember);

    await notify(inDoubt(), 'needs_attention');

    assert.equal(onBatchMember.callCount, 1, 'the batch card still hears of it');
    assert.match(String(teams.notifyApprovers.firstCall?.args[0]?.text), /REQ-53 needs attention/);
    assert.match(String(teams.notify.firstCall?.args[2]?.text), /REQ-53: .*needs a person to look/);
  });

  it('leaves an ordinary batch send to the batch card', async () => {
    const teams = gateway();
    const notify = notifierFor(teams, async () => undefined);

    await notify({ ...inDoubt(), state: 'sent' }, 'sent');

    assert.equal(teams.notify.callCount, 0);
    assert.equal(teams.notifyApprovers.callCount, 0);
  });
});
