/**
 * Slack modals: the reason for a denial, and the request form with a directory-backed picker.
 */
import type { EnrolMethod } from '../../src/workflow/types.js';
import { METHOD_LABELS } from '../labels.js';
import { longText, shortText } from '../text.js';
import { plain } from './escape.js';
import { SLACK_LIMITS } from './limits.js';

/** callback_id of the deny modal; its private_metadata is `{ requestId, cardRef }` as JSON. */
export const DENY_MODAL_ID = 'enrol.deny_modal';

/** callback_id of the request form modal. */
export const FORM_MODAL_ID = 'enrol.form_modal';

/** Block and action ids of the inputs, for reading `view.state.values[block][action]`. */
export const MODAL_INPUTS = {
  reason: 'reason',
  contractor: 'contractor',
  method: 'method',
} as const;

const REASON_MAX = 500;

/**
 * The "deny with a reason" modal. `cardRef` says which message to update afterwards (e.g. channel
 * and ts), because the submission arrives without it. Throws if the two do not fit Slack's
 * private_metadata: cutting them would point the decision at the wrong request.
 */
export function denyModal(requestId: string, cardRef: string) {
  const metadata = JSON.stringify({ requestId, cardRef });
  if (metadata.length > SLACK_LIMITS.privateMetadata) {
    throw new RangeError('request id and card reference exceed Slack private_metadata');
  }

  return {
    type: 'modal',
    callback_id: DENY_MODAL_ID,
    private_metadata: metadata,
    title: plain('Deny request', SLACK_LIMITS.modalTitle),
    submit: plain('Deny', SLACK_LIMITS.modalButton),
    close: plain('Cancel', SLACK_LIMITS.modalButton),
    blocks: [
      {
        type: 'section',
        text: plain(`Deny ${requestId}? The requester will see your reason.`, 300),
      },
      {
        type: 'input',
        block_id: MODAL_INPUTS.reason,
        optional: true,
        label: plain('Reason', 2000),
        element: {
          type: 'plain_text_input',
          action_id: MODAL_INPUTS.reason,
          multiline: true,
          max_length: REASON_MAX,
        },
      },
    ],
  };
}

/** A contractor as offered in the picker: what people read and what the bot resolves. */
export interface ContractorOption {
  title: string;
  value: string;
}

// An option whose value does not fit would be cut and resolve to someone else, so it is dropped.
function option(record: ContractorOption) {
  if (record.value.length > SLACK_LIMITS.optionValue) return undefined;

  return { text: plain(record.title, SLACK_LIMITS.optionText), value: record.value };
}

const METHODS: EnrolMethod[] = ['sms', 'email'];

/** What the form starts with, e.g. when re-opened after a correction. */
export interface RequestFormInitial {
  contractor?: ContractorOption;
  method?: EnrolMethod;
  reason?: string;
}

/** The request form modal: contractor (external select, searched as one types), method, reason. */
export function requestFormModal(initial: RequestFormInitial = {}) {
  const contractor = initial.contractor && option(initial.contractor);
  const methodOptions = METHODS.map((m) => ({ text: plain(METHOD_LABELS[m], 75), value: m }));
  const method = methodOptions.find((o) => o.value === (initial.method ?? 'sms'));

  return {
    type: 'modal',
    callback_id: FORM_MODAL_ID,
    title: plain('Enrol a contractor', SLACK_LIMITS.modalTitle),
    submit: plain('Request', SLACK_LIMITS.modalButton),
    close: plain('Cancel', SLACK_LIMITS.modalButton),
    blocks: [
      {
        type: 'input',
        block_id: MODAL_INPUTS.contractor,
        label: plain('Contractor', 2000),
        element: {
          type: 'external_select',
          action_id: MODAL_INPUTS.contractor,
          placeholder: plain('Start typing a name or username', 150),
          min_query_length: 1,
          ...(contractor ? { initial_option: contractor } : {}),
        },
      },
      {
        type: 'input',
        block_id: MODAL_INPUTS.method,
        label: plain('Method', 2000),
        element: {
          type: 'static_select',
          action_id: MODAL_INPUTS.method,
          options: methodOptions,
          ...(method ? { initial_option: method } : {}),
        },
      },
      {
        type: 'input',
        block_id: MODAL_INPUTS.reason,
        optional: true,
        label: plain('Reason', 2000),
        element: {
          type: 'plain_text_input',
          action_id: MODAL_INPUTS.reason,
          multiline: true,
          max_length: REASON_MAX,
          ...(initial.reason ? { initial_value: longText(initial.reason, REASON_MAX) } : {}),
        },
      },
    ],
  };
}

/** The answer to an external-select options request: at most 100 options, as Slack allows. */
export function contractorOptions(records: ContractorOption[]) {
  const options = records
    .map((r) => option({ title: shortText(r.title, SLACK_LIMITS.optionText), value: r.value }))
    .filter((o) => o !== undefined);

  return { options: options.slice(0, SLACK_LIMITS.optionsPerResponse) };
}
