/**
 * Commands about requests already made: status, pending, my requests, resend, retry, revoke and
 * audit; and the per-user card for refreshes.
 */
import type { CardView, InfoView } from '../cards/views.js';
import { duoView } from '../src/duo/enrol.js';
import { DirectoryUnavailableError, DuoApiError, DuoUnavailableError } from '../src/errors.js';
import { maskText } from '../src/mask.js';
import type { WorkflowDeps } from '../src/workflow/deps.js';
import type { SendQueue } from '../src/workflow/queue.js';
import { mayDecide } from '../src/workflow/policy.js';
import { aliasesOf } from '../src/workflow/requests.js';
import type { EnrolmentRequest } from '../src/workflow/types.js';
import type { Command } from './commands.js';
import type { Identity } from './identity.js';
import { auditReplies, lifecycleReplies } from './lifecycle.js';
import type { Reply } from './ports.js';
import {
  approvalView,
  requestLines,
  requestListView,
  withSandboxNote,
  type ViewSettings,
} from './views.js';

type Known = Extract<Identity, { ok: true }>;

/** Commands that look at or act on stored requests. */
export class QueryCommands {
  /**
   * @param deps the workflow with the Duo client as it is: status answers read Duo at once, not
   *   behind the even pacing of bulk sends.
   * @param queue where resends and retries are put in line.
   */
  constructor(
    private readonly deps: WorkflowDeps,
    private readonly queue: SendQueue,
    private readonly settings: ViewSettings,
  ) {}

  /** `personal`: asked in a personal chat or DM, where the whole channel does not see it. */
  async run(command: Command, identity: Known, personal = true): Promise<Reply[]> {
    switch (command.kind) {
      case 'status':
        return command.requestId
          ? this.statusOfRequest(command.requestId, identity)
          : this.statusOf(command.who ?? '', identity);
      case 'pending':
        return this.pending(identity);
      case 'my_requests':
        return [
          {
            card: this.note(
              requestListView(
                'Your requests',
                this.mine(identity),
                'You have not asked for any enrolment yet.',
              ),
            ),
          },
        ];
      case 'resend':
      case 'retry':
      case 'revoke':
        return lifecycleReplies(this.queue, command.kind, command.requestId, identity);
      case 'audit':
        if (!(await this.isApprover(identity)))
          return [{ text: 'Only approvers can read the audit log.' }];
        // It names people, their contractors and the comments on decisions.
        if (!personal) {
          return [
            {
              text: 'The audit log names people and their decisions, so I give it only in a personal chat: ask me there.',
            },
          ];
        }

        return auditReplies(this.deps, command.days ?? 30);
      default:
        return [{ text: `"${command.kind}" is not available in this version yet.` }];
    }
  }

  /** The approval card as this user should see it: buttons only for those who may decide. */
  async cardFor(requestId: string, identity: Known): Promise<CardView | undefined> {
    const request = this.deps.store.get(requestId);
    if (!request) return undefined;

    const view = approvalView(request, this.settings);
    if (view.actionable) {
      const verdict = await mayDecide(this.policy(), identity.actor, identity.record, request);
      view.actionable = verdict.ok;
    }

    return view;
  }

  private async statusOfRequest(requestId: string, identity: Known): Promise<Reply[]> {
    const request = this.deps.store.get(requestId);
    if (!request || !(await this.maySee(request, identity))) {
      return [{ text: `I have no request ${requestId} that you can see.` }];
    }

    return [{ card: approvalView(request, this.settings) }];
  }

  /** Every request for a contractor the user may see, plus Duo's live view. */
  private async statusOf(who: string, identity: Known): Promise<Reply[]> {
    let records;
    try {
      records = await this.deps.directory.find(who);
    } catch (err) {
      if (err instanceof DirectoryUnavailableError)
        return [{ text: 'The directory cannot be reached right now; try again shortly.' }];
      throw err;
    }
    const approver = await this.isApprover(identity);
    // The typed name usually is the record's username: ask the store (which scans and copies) once
    // per distinct name. Names are matched case-blind there, so distinct names give disjoint lists.
    const names = new Set([who, ...records.map((r) => r.username)].map((n) => n.toLowerCase()));
    const requests = [...names]
      .flatMap((name) => this.deps.store.byContractor(name))
      .filter((r) => approver || this.isMine(r, identity));

    if (records.length === 0 && requests.length === 0)
      return [{ text: `I know nobody called "${who}" and no request for them.` }];

    const sections = requests.slice(-10).map((r) => ({ heading: r.id, lines: requestLines(r) }));
    if (requests.length === 0)
      sections.push({
        heading: 'Requests',
        lines: [approver ? 'No requests yet.' : 'No requests of yours.'],
      });
    // Duo's view (enrolled? bypass? last login?) is for approvers and for whoever asked for this
    // contractor, not for any colleague curious about another's MFA.
    if (records.length === 1 && (approver || requests.length > 0))
      sections.push(await this.duoSection(records[0]!));
    if (records.length === 1 && !approver && requests.length === 0)
      sections.push({
        heading: "Duo's live view",
        lines: ['Shown to approvers, and to whoever asked for this contractor.'],
      });
    if (records.length > 1)
      sections.push({
        heading: 'Directory',
        lines: [`${records.length} people match "${who}"; use a username for Duo's view.`],
      });

    return [
      {
        card: this.note({
          kind: 'info',
          title: `Status of ${records[0]?.displayName ?? who}`,
          sections,
        }),
      },
    ];
  }

  private async duoSection(
    record: Parameters<typeof aliasesOf>[0],
  ): Promise<{ heading: string; lines: string[] }> {
    try {
      const view = await duoView(this.deps.duo, record.duoUsername, {
        aliases: aliasesOf(record),
        directoryMobiles: record.mobiles.map((m) => m.value),
      });
      const lines = view.present
        ? [
            `Duo user ${view.username}: ${view.status}${view.isEnrolled ? ', enrolled' : ', not enrolled'}`,
            ...view.phones.map(
              (p) =>
                `phone ${maskText(p.number)} (${p.platform}): ${p.activated ? 'activated' : 'not activated'}`,
            ),
            `last login: ${view.lastLogin ? view.lastLogin.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : 'never'}`,
          ]
        : [];

      return { heading: "Duo's live view", lines: [...lines, ...view.findings] };
    } catch (err) {
      if (err instanceof DuoUnavailableError || err instanceof DuoApiError) {
        return {
          heading: "Duo's live view",
          lines: [`Duo could not be asked right now (${err.message}).`],
        };
      }
      throw err;
    }
  }

  private async pending(identity: Known): Promise<Reply[]> {
    if (!(await this.isApprover(identity))) {
      return [
        {
          text: 'Only approvers see what waits for a decision. Say "my requests" to follow yours.',
        },
      ];
    }
    const waiting = this.deps.store.list(
      (r) => r.state === 'pending_approval' || r.state === 'needs_attention',
    );

    return [
      {
        card: this.note(
          requestListView('Waiting for a decision', waiting, 'Nothing waits for a decision.'),
        ),
      },
    ];
  }

  private note(view: InfoView): InfoView {
    return withSandboxNote(view, this.settings);
  }

  private mine(identity: Known): EnrolmentRequest[] {
    return this.deps.store.list((r) => this.isMine(r, identity));
  }

  private isMine(request: EnrolmentRequest, identity: Known): boolean {
    const r = request.requester;
    if (r.directoryId && identity.actor.directoryId)
      return r.directoryId.toLowerCase() === identity.actor.directoryId.toLowerCase();

    return (
      r.platform === identity.actor.platform && r.platformUserId === identity.actor.platformUserId
    );
  }

  private async maySee(request: EnrolmentRequest, identity: Known): Promise<boolean> {
    return this.isMine(request, identity) || this.isApprover(identity);
  }

  /** Approver group membership, failing closed when the directory cannot answer. */
  async isApprover(identity: Known): Promise<boolean> {
    if (!this.deps.config.approverGroup[identity.record.source]) return false;

    try {
      return await this.deps.directory.isMember(identity.record, this.deps.config.approverGroup);
    } catch (err) {
      if (err instanceof DirectoryUnavailableError) return false;
      throw err;
    }
  }

  private policy() {
    return {
      directory: this.deps.directory,
      approverGroup: this.deps.config.approverGroup,
      demoSelfApproval: this.deps.config.demoSelfApproval,
    };
  }
}
