/**
 * View models for the renderer tests: every kind, every request state, and hostile variants.
 */
import { REQUEST_STATES, type RequestState } from '../../../src/workflow/types.js';
import type {
  ApprovalView,
  BatchRow,
  BatchView,
  CardView,
  ChooseView,
  HelpView,
  InfoView,
  RequestFormView,
} from '../../../cards/views.js';

/** Strings a requester, a directory or a CSV could carry to break out of their place on a card. */
export const HOSTILE = [
  '*bold* _it_ ~strike~ `code`',
  '[link](https://evil.example) ![img](x)',
  '<at>Admin</at> &lt;at&gt;Admin&lt;/at&gt;',
  '${x} ${$root.requestId} {{x}}',
  '<script>alert(1)</script> <img src=x onerror=alert(1)>',
  '<!channel> <!here> <@U123> <#C123> <http://evil.example|click> & &amp;',
  '# heading\n> quote\n- item\n1. item',
  'emoji 👩🏽‍💻🇬🇧 and \u202Eevil\u202C RTL \u200Fmark \u2067isolate\u2069 عربي עברית',
  'nul\u0000 bell\u0007 esc\u001b[31m',
];

/** One of everything above, joined; used where a single field must carry all of it. */
export const HOSTILE_ALL = HOSTILE.join(' | ');

/** A string far past every cap. */
export const HUGE = '<!channel> *A* & '.repeat(400);

/** A pending approval with plausible values. */
export function approvalView(overrides: Partial<ApprovalView> = {}): ApprovalView {
  return {
    kind: 'approval',
    requestId: 'REQ-42',
    state: 'pending_approval',
    stateLabel: 'Waiting for approval',
    requester: 'Megan Bowen',
    contractorName: 'Jane Doe',
    contractorUsername: 'jdoe',
    directory: 'Active Directory (corp.example)',
    method: 'sms',
    maskedDestination: '+44 •••• ••3456',
    destinationAttribute: 'mobile',
    reason: 'Starts on the payments project on Monday',
    checks: [
      { ok: true, text: 'Exactly one directory record matches' },
      { ok: true, text: 'Account enabled, expires 2026-12-31' },
      { ok: false, text: 'Duo user is in bypass' },
    ],
    warnings: ['The Duo user is in bypass: MFA is skipped until that is changed'],
    actionable: true,
    ...overrides,
  };
}

const DECIDED: Partial<Record<RequestState, Partial<ApprovalView>>> = {
  approved: { decision: { outcome: 'approved', by: 'Alex Wilber', at: '2026-03-02 14:01 UTC' } },
  sending: { decision: { outcome: 'approved', by: 'Alex Wilber', at: '2026-03-02 14:01 UTC' } },
  sent: {
    decision: { outcome: 'approved', by: 'Alex Wilber', at: '2026-03-02 14:01 UTC' },
    result: { ok: true, text: 'Activation SMS sent at 14:02 UTC' },
  },
  activated: {
    decision: { outcome: 'approved', by: 'Alex Wilber', at: '2026-03-02 14:01 UTC' },
    result: { ok: true, text: 'Duo Mobile activated at 15:10 UTC' },
  },
  denied: {
    decision: { outcome: 'denied', by: 'Alex Wilber', at: '2026-03-02 14:01 UTC', comment: 'No' },
  },
  cancelled: { decision: { outcome: 'cancelled', by: 'Megan Bowen', at: '2026-03-02 14:01 UTC' } },
  expired: { decision: { outcome: 'expired', by: 'the bot', at: '2026-03-09 14:00 UTC' } },
  failed: {
    decision: { outcome: 'approved', by: 'Alex Wilber', at: '2026-03-02 14:01 UTC' },
    result: { ok: false, text: 'Duo refused: phone number belongs to another user' },
  },
  link_expired: { result: { ok: false, text: 'The activation link expired unused' } },
  needs_attention: { result: { ok: false, text: 'The phone belongs to another Duo user' } },
};

/** The approval card as it looks in each request state, with the extra notes turned on in some. */
export function approvalInEveryState(): ApprovalView[] {
  return REQUEST_STATES.map((state) => {
    const pending = state === 'pending_approval';
    return approvalView({
      state,
      stateLabel: state.replace('_', ' '),
      actionable: pending,
      ...(pending ? { quorum: '1 of 2 approvals', pushNote: 'Waiting for your Duo Push' } : {}),
      ...(state === 'sent' ? { sandboxNote: 'sandbox: nothing was sent' } : {}),
      ...(state === 'approved'
        ? { selfApprovalNote: 'Approved by the requester (demo mode)' }
        : {}),
      ...DECIDED[state],
    });
  });
}

/** The approval card with hostile text in every user-supplied field. */
export function hostileApproval(text: string): ApprovalView {
  return approvalView({
    requester: text,
    contractorName: text,
    contractorUsername: text,
    directory: text,
    maskedDestination: text,
    destinationAttribute: text,
    reason: text,
    stateLabel: text,
    checks: Array.from({ length: 20 }, () => ({ ok: false, text })),
    warnings: Array.from({ length: 20 }, () => text),
    quorum: text,
    sandboxNote: text,
    selfApprovalNote: text,
    pushNote: text,
    decision: { outcome: 'denied', by: text, at: text, comment: text },
    result: { ok: false, text },
  });
}

/** `count` batch rows, each with `note`. */
export function rows(count: number, note?: string, name = 'Contractor'): BatchRow[] {
  return Array.from({ length: count }, (_, i) => ({
    username: `c${i}`,
    displayName: `${name} ${i}`,
    method: i % 2 ? 'email' : 'sms',
    maskedDestination: i % 2 ? 'c•••@vendor.example' : '+44 •••• ••3456',
    ...(note === undefined ? {} : { note }),
  }));
}

/** A batch in each phase: pending, sending, finished, denied, then two variants of pending. */
export function batchInEveryPhase(): BatchView[] {
  const base: BatchView = {
    kind: 'batch',
    batchId: 'BATCH-7',
    stateLabel: 'Waiting for approval',
    requester: 'Megan Bowen',
    reason: 'Vendor team for Project X',
    readyCount: 3,
    blockedCount: 2,
    readyRows: rows(3),
    blockedRows: rows(2, 'No mobile number in the directory'),
    actionable: true,
    sandboxNote: 'sandbox: nothing was sent',
  };
  const approved = { outcome: 'approved' as const, by: 'Alex Wilber', at: '2026-03-02 14:01' };
  return [
    base,
    {
      ...base,
      actionable: false,
      stateLabel: 'Sending',
      decision: approved,
      progress: { done: 1, total: 3 },
    },
    {
      ...base,
      actionable: false,
      stateLabel: 'Finished',
      decision: approved,
      tally: { sent: 1, alreadyEnrolled: 1, failed: 1, failures: ['c2: Duo refused the number'] },
    },
    {
      ...base,
      actionable: false,
      stateLabel: 'Denied',
      decision: { outcome: 'denied', by: 'Alex Wilber', at: '2026-03-02 14:01', comment: 'Later' },
    },
    {
      ...base,
      readyCount: 0,
      readyRows: [],
      blockedCount: 0,
      blockedRows: [],
      selfApprovalNote: 'Self',
    },
    { ...base, pushNote: 'Waiting for Alex Wilber to accept the Duo Push sent to their phone.' },
  ];
}

/** A batch far beyond what any card can list, with hostile text everywhere. */
export function hugeBatch(text: string): BatchView {
  return {
    kind: 'batch',
    batchId: 'BATCH-8',
    stateLabel: text,
    requester: text,
    reason: text,
    readyCount: 300,
    blockedCount: 200,
    readyRows: rows(300, text, text),
    blockedRows: rows(200, text, text),
    actionable: true,
    decision: { outcome: 'denied', by: text, at: text, comment: text },
    progress: { done: 10, total: 300 },
    tally: { sent: 1, alreadyEnrolled: 2, failed: 60, failures: Array(60).fill(text) },
    sandboxNote: text,
    selfApprovalNote: text,
    pushNote: text,
  };
}

/** Several matches. */
export function chooseView(text = 'Jane Doe', count = 3): ChooseView {
  return {
    kind: 'choose',
    question: `Several people match "${text}". Which one?`,
    options: Array.from({ length: count }, (_, i) => ({
      label: `${text} ${i}`,
      detail: `jdoe${i}@contractorco.example · ${text}`,
      command: `enrol contractor jdoe${i} by sms`,
    })),
  };
}

/** A status answer. */
export function infoView(text = 'jdoe', lines = 3): InfoView {
  return {
    kind: 'info',
    title: `Status of ${text}`,
    sections: [
      { heading: 'Requests', lines: Array.from({ length: lines }, (_, i) => `REQ-${i}: ${text}`) },
      { lines: ['Duo: active, 1 phone, activated'] },
    ],
  };
}

/** The help card as the bot writes it. */
export function helpView(): HelpView {
  return {
    kind: 'help',
    intro: 'Ask me to enrol a contractor in Duo. An approver confirms before anything is sent.',
    commands: [
      { usage: 'enrol contractor <who> by sms|email [because <reason>]', description: 'Ask' },
      { usage: 'status <who|request-id>', description: 'History and Duo view' },
      { usage: 'pending', description: 'What waits for approval' },
      { usage: 'cancel <request-id>', description: 'Withdraw a request' },
      { usage: 'help', description: 'This card' },
    ],
  };
}

/** The request form with a few initial choices. */
export function formView(count = 3, text = 'Jane Doe'): RequestFormView {
  return {
    kind: 'form',
    contractors: Array.from({ length: count }, (_, i) => ({
      title: `${text} ${i}`,
      value: `c${i}`,
    })),
  };
}

/** Every view kind in every state, named for test titles. */
export function everyView(): [string, CardView][] {
  return [
    ...approvalInEveryState().map((v): [string, CardView] => [`approval ${v.state}`, v]),
    ...batchInEveryPhase().map((v, i): [string, CardView] => [`batch phase ${i}`, v]),
    ['choose', chooseView()],
    ['choose with no options', { kind: 'choose', question: 'Nobody matches', options: [] }],
    ['info', infoView()],
    ['info empty', { kind: 'info', title: 'Nothing pending', sections: [] }],
    ['help', helpView()],
    ['form', formView()],
    ['form without initial choices', formView(0)],
  ];
}

/** Every view kind stuffed with hostile and oversized text. */
export function everyHostileView(text: string): [string, CardView][] {
  return [
    ['approval', hostileApproval(text)],
    ['batch', hugeBatch(text)],
    ['choose', chooseView(text, 40)],
    ['info', { ...infoView(text, 100), sections: Array(30).fill(infoView(text, 100).sections[0]) }],
    [
      'help',
      { ...helpView(), intro: text, commands: Array(50).fill({ usage: text, description: text }) },
    ],
    ['form', formView(40, text)],
  ];
}
