/**
 * A fake Slack Web API on 127.0.0.1: it answers the methods the bot calls, records every call
 * with its arguments (JSON fields such as `blocks` and `view` parsed), serves response_url
 * endpoints and private files, and records uploads.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
  /** What the fake answered. */
  result: Record<string, unknown>;
}

export interface FakeSlackUser {
  id: string;
  name: string;
  email?: string;
  team_id?: string;
  is_stranger?: boolean;
}

export interface FakeSlack {
  url: string;
  /** SLACK_API_URL for the bot. */
  apiUrl: string;
  calls: SlackCall[];
  /** Bodies posted to response_url endpoints, by endpoint id. */
  responses: { id: string; body: Record<string, unknown> }[];
  uploads: { id: string; body: string }[];
  /** Files downloadable at `${url}/files/NAME` (with the bot token). */
  files: Map<string, string>;
  fileRequests: { name: string; authorization?: string }[];
  users: Map<string, FakeSlackUser>;
  /** Hold answers to a Web API method until the returned function is called. */
  hold(method: string): () => void;
  /** A response_url on this fake. */
  responseUrl(id: string): string;
  called(method: string): SlackCall[];
  close(): Promise<void>;
}

const JSON_FIELDS = ['blocks', 'view', 'attachments', 'files'];

export const FAKE_TEAM = 'T0TEST';

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const responses: FakeSlack['responses'] = [];
  const uploads: FakeSlack['uploads'] = [];
  const files = new Map<string, string>();
  const fileRequests: FakeSlack['fileRequests'] = [];
  const users = new Map<string, FakeSlackUser>();
  const held = new Map<string, Promise<void>>();
  let ts = 1_700_000_000;

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };

    if (path.startsWith('/respond/')) {
      responses.push({ id: path.slice('/respond/'.length), body: JSON.parse(raw || '{}') });
      json(200, { ok: true });

      return;
    }
    if (path.startsWith('/upload/')) {
      uploads.push({ id: path.slice('/upload/'.length), body: raw });
      res.writeHead(200).end('OK');

      return;
    }
    if (path.startsWith('/files/')) {
      const name = decodeURIComponent(path.slice('/files/'.length));
      fileRequests.push({ name, authorization: req.headers.authorization });
      const content = files.get(name);
      if (content === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'text/csv' }).end(content);

      return;
    }
    if (!path.startsWith('/api/')) {
      res.writeHead(404).end();

      return;
    }

    const method = path.slice('/api/'.length);
    await held.get(method);
    const args = parseArgs(raw, req.headers['content-type'] ?? '');
    const result = answer(method, args);
    calls.push({ method, args, token: req.headers.authorization?.replace(/^Bearer /, ''), result });
    json(200, result);
  });

  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: FAKE_TEAM };
      case 'users.info': {
        const user = users.get(String(args.user));
        if (!user) return { ok: false, error: 'user_not_found' };

        return {
          ok: true,
          user: {
            id: user.id,
            team_id: user.team_id ?? FAKE_TEAM,
            name: user.name,
            real_name: user.name,
            is_stranger: user.is_stranger,
            profile: { real_name: user.name, display_name: user.name, email: user.email },
          },
        };
      }
      case 'chat.postMessage':
        ts += 1;

        return { ok: true, channel: args.channel, ts: `${ts}.000100`, message: {} };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${ts}.000200` };
      case 'views.open':
        return { ok: true, view: { id: 'V1' } };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users)}` } };
      case 'files.getUploadURLExternal':
        return { ok: true, upload_url: `${url}/upload/F1`, file_id: 'F1' };
      case 'files.completeUploadExternal':
        return { ok: true, files: [{ id: 'F1' }] };
      default:
        return { ok: true };
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    apiUrl: `${url}/api/`,
    calls,
    responses,
    uploads,
    files,
    fileRequests,
    users,
    hold(method) {
      let release!: () => void;
      held.set(method, new Promise<void>((resolve) => (release = resolve)));

      return () => {
        held.delete(method);
        release();
      };
    },
    responseUrl: (id) => `${url}/respond/${id}`,
    called: (method) => calls.filter((c) => c.method === method),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return JSON.parse(raw || '{}');

  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = JSON_FIELDS.includes(key) ? safeJson(value) : value;
  }

  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The people the fake knows, as in the sample directory; UNOMAIL has no e-mail on Slack. */
export const SLACK_PEOPLE = {
  adelev: { id: 'UADELE', name: 'Adele Vance', email: 'adelev@example.com' },
  meganb: { id: 'UMEGAN', name: 'Megan Bowen', email: 'meganb@example.com' },
  alexw: { id: 'UALEX', name: 'Alex Wilber', email: 'alexw@example.com' },
  isaiahl: { id: 'UISAIAH', name: 'Isaiah Langer', email: 'isaiahl@example.com' },
  nomail: { id: 'UNOMAIL', name: 'No Mail' },
} as const;

/** Add SLACK_PEOPLE to a fake. */
export function addSamplePeople(fake: FakeSlack): void {
  for (const person of Object.values(SLACK_PEOPLE)) fake.users.set(person.id, { ...person });
}
