/**
 * A fake Bot Framework connector (the Teams service) on 127.0.0.1: it accepts new conversations,
 * activities and updates, answers member look-ups, and records everything the bot sends.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  path: string;
  conversationId?: string;
  activityId?: string;
  body: Record<string, unknown>;
  authorization?: string;
}

export interface TeamsMember {
  id: string;
  name: string;
  aadObjectId: string;
  userPrincipalName: string;
  email: string;
}

export interface FakeConnector {
  url: string;
  calls: RecordedCall[];
  members: Map<string, TeamsMember>;
  /** Make the next N updates (PUT) fail with this status, as Teams does for deleted or old cards. */
  failUpdates(status: number, count?: number): void;
  /** Activities posted (POST) into a conversation, newest last. */
  posted(conversationId?: string): RecordedCall[];
  updates(): RecordedCall[];
  created(): RecordedCall[];
  /** Resolves when a call matching `test` has been recorded (polling recorded calls, bounded). */
  waitFor(test: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  close(): Promise<void>;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const calls: RecordedCall[] = [];
  const members = new Map<string, TeamsMember>();
  let updateFailures = { status: 0, count: 0 };
  let next = 1000;

  const server: Server = createServer(async (req, res) => {
    const body = await readJson(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const call: RecordedCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      conversationId: parts[2],
      activityId: parts[4],
      body,
      authorization: req.headers.authorization,
    };
    calls.push(call);
    const reply = (status: number, json: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };

    if (req.method === 'GET' && parts[3] === 'members' && parts[4]) {
      const member = members.get(parts[4]);
      if (member) reply(200, { ...member, tenantId: 'tenant-1', userRole: 'user' });
      else reply(404, { error: { code: 'MemberNotFoundInConversation', message: 'not found' } });

      return;
    }
    if (req.method === 'POST' && parts.length === 2 && parts[1] === 'conversations') {
      next += 1;
      const channel = ((body.channelData as { channel?: { id?: string } })?.channel?.id ??
        '19:channel') as string;
      reply(201, { id: `${channel};messageid=${next}`, activityId: String(next) });

      return;
    }
    if (req.method === 'PUT') {
      if (updateFailures.count > 0) {
        updateFailures.count -= 1;
        reply(updateFailures.status, {
          error: { code: 'ActivityNotFoundInConversation', message: 'gone' },
        });

        return;
      }
      reply(200, { id: call.activityId });

      return;
    }
    if (req.method === 'POST') {
      next += 1;
      reply(200, { id: String(next) });

      return;
    }
    reply(200, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const isActivityPost = (c: RecordedCall): boolean =>
    c.method === 'POST' && c.path.includes('/activities');

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    members,
    failUpdates(status, count = 1) {
      updateFailures = { status, count };
    },
    posted: (conversationId) =>
      calls.filter(
        (c) => isActivityPost(c) && (!conversationId || c.conversationId === conversationId),
      ),
    updates: () => calls.filter((c) => c.method === 'PUT'),
    created: () => calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations'),
    async waitFor(test, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = calls.find(test);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error('the fake connector did not receive the expected call');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');

  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Text of every card and message in recorded activity bodies, for simple assertions. */
export function textOf(call: RecordedCall): string {
  return JSON.stringify(call.body);
}
