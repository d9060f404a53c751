/**
 * The simulator's endpoints: each route reads decoded parameters and answers the `response` part of
 * Duo's envelope, or throws SimFailure. Admin API under /admin/v1, Auth API under /auth/v2.
 */
import { badParam, notFound, type DuoModel, type SimUser } from './model.js';

/** How a push ends in the simulator; `timeout` ends as Duo reports it: deny, status timeout. */
export type PushOutcome = 'allow' | 'deny' | 'timeout';

/** Mutable knobs the routes read. */
export interface RouteContext {
  model: DuoModel;
  push: { outcome: PushOutcome; pendingPolls: number };
}

type Handler = (ctx: RouteContext, p: Record<string, string>, m: string[]) => unknown;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

const ID = '([^/]+)';
const route = (method: string, path: string, handler: Handler): Route => ({
  method,
  pattern: new RegExp(`^${path.replaceAll(':id', ID)}$`),
  handler,
});

function need(p: Record<string, string>, name: string): string {
  const value = p[name];
  if (value === undefined || value === '') throw badParam(`missing ${name}`);
  return value;
}

function int(p: Record<string, string>, name: string, fallback: number): number {
  const raw = p[name];
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw badParam(`${name} must be an integer`);
  return Number(raw);
}

const STATUSES = ['active', 'bypass', 'disabled'];

function applyUserFields(user: SimUser, p: Record<string, string>): void {
  if (p.status !== undefined) {
    if (!STATUSES.includes(p.status)) throw badParam('status');
    user.status = p.status as SimUser['status'];
  }
  if (p.realname !== undefined) user.realname = p.realname;
  if (p.email !== undefined) user.email = p.email;
  for (const n of [1, 2, 3, 4]) {
    const alias = p[`alias${n}`];
    if (alias !== undefined) user.aliases[`alias${n}`] = alias;
  }
}

const admin: Route[] = [
  route('GET', '/admin/v1/users', ({ model }, p) => {
    const users = p.username ? model.findUsers(p.username) : model.state.users;
    const offset = int(p, 'offset', 0);
    return users.slice(offset, offset + int(p, 'limit', 100)).map((u) => model.userView(u));
  }),
  route('POST', '/admin/v1/users', ({ model }, p) => {
    const user = model.addUser({ username: need(p, 'username') });
    applyUserFields(user, p);
    return model.userView(user);
  }),
  route('POST', '/admin/v1/users/enroll', ({ model }, p) => {
    const sent = model.enrol(need(p, 'username'), need(p, 'email'), int(p, 'valid_secs', 2592000));
    return sent.code;
  }),
  route('POST', '/admin/v1/users/directorysync/:id/syncuser', ({ model }, p, [key]) =>
    model.userView(model.syncUser(key ?? '', need(p, 'username'))),
  ),
  route('GET', '/admin/v1/users/:id', ({ model }, _p, [id]) =>
    model.userView(model.user(id ?? '')),
  ),
  route('POST', '/admin/v1/users/:id', ({ model }, p, [id]) => {
    const user = model.user(id ?? '');
    applyUserFields(user, p);
    return model.userView(user);
  }),
  route('DELETE', '/admin/v1/users/:id', ({ model }, _p, [id]) => {
    model.deleteUser(id ?? '');
    return '';
  }),
  route('POST', '/admin/v1/users/:id/phones', ({ model }, p, [id]) => {
    model.attach(id ?? '', need(p, 'phone_id'));
    return '';
  }),
  route('DELETE', '/admin/v1/users/:id/phones/:id', ({ model }, _p, [id, phoneId]) => {
    model.detach(id ?? '', phoneId ?? '');
    return '';
  }),
  route('GET', '/admin/v1/phones', ({ model }, p) => {
    const phones = p.number ? model.findPhones(p.number) : model.state.phones;
    return phones.map((ph) => model.phoneView(ph));
  }),
  route('POST', '/admin/v1/phones', ({ model }, p) => {
    const number = need(p, 'number');
    if (!number.startsWith('+')) throw badParam('number must be E.164 with a country code');
    const phone = model.addPhone({
      number,
      type: p.type ?? 'unknown',
      platform: p.platform ?? 'unknown',
      name: p.name ?? '',
    });
    return model.phoneView(phone);
  }),
  route('GET', '/admin/v1/phones/:id', ({ model }, _p, [id]) =>
    model.phoneView(model.phone(id ?? '')),
  ),
  route('POST', '/admin/v1/phones/:id', ({ model }, p, [id]) => {
    const phone = model.phone(id ?? '');
    if (p.type !== undefined) phone.type = p.type;
    if (p.platform !== undefined) phone.platform = p.platform;
    if (p.name !== undefined) phone.name = p.name;
    return model.phoneView(phone);
  }),
  route('POST', '/admin/v1/phones/:id/send_sms_activation', ({ model }, p, [id]) => {
    const validSecs = int(p, 'valid_secs', 86400);
    const sms = model.sendSmsActivation(id ?? '', validSecs, p.install === '1');
    return {
      activation_barcode: `https://api-sim.duosecurity.test/frame/qr?value=${sms.phone_id}`,
      activation_msg: 'To activate the app, tap and open this link: <acturl>',
      installation_msg: sms.install ? 'Welcome to Duo! Install Duo Mobile: <insturl>' : '',
      valid_secs: validSecs,
    };
  }),
];

function devicesOf(model: DuoModel, user: SimUser): unknown[] {
  return user.phone_ids
    .map((id) => model.phone(id))
    .filter((ph) => ph.activated)
    .map((ph) => ({
      device: ph.phone_id,
      type: 'phone',
      number: `XXX-XXX-${ph.number.slice(-4)}`,
      capabilities: ['auto', 'push', 'sms'],
    }));
}

const auth: Route[] = [
  route('GET', '/auth/v2/check', ({ model }) => ({ time: Math.floor(model.now() / 1000) })),
  route('POST', '/auth/v2/preauth', ({ model }, p) => {
    const [user] = model.findUsers(need(p, 'username'));
    if (!user)
      return { result: 'enroll', status_msg: 'Enroll an authentication device to proceed' };
    if (user.status === 'bypass') return { result: 'allow', status_msg: 'Allowing unknown user' };
    if (user.status !== 'active') return { result: 'deny', status_msg: 'Your account is disabled' };
    const devices = devicesOf(model, user);
    if (devices.length === 0) return { result: 'enroll', status_msg: 'Enroll a device' };
    return { result: 'auth', status_msg: 'Account is active', devices };
  }),
  route('POST', '/auth/v2/auth', ({ model }, p) => {
    const username = need(p, 'username');
    if (need(p, 'factor') !== 'push') throw badParam('only factor=push is simulated');
    if (p.async !== '1') throw badParam('only async=1 is simulated');
    const [user] = model.findUsers(username);
    if (!user || devicesOf(model, user).length === 0) throw badParam('no device for push');
    const txid = `sim-${model.newId('TX')}`;
    model.state.pushes.push({ txid, username: user.username, polls: 0 });
    return { txid };
  }),
  route('GET', '/auth/v2/auth_status', ({ model, push }, p) => {
    const tx = model.state.pushes.find((t) => t.txid === need(p, 'txid'));
    if (!tx) throw notFound('txid');
    tx.polls += 1;
    if (tx.polls <= push.pendingPolls) {
      return { result: 'waiting', status: 'pushed', status_msg: 'Pushed a login request' };
    }
    if (push.outcome === 'allow') {
      return { result: 'allow', status: 'allow', status_msg: 'Success. Logging you in...' };
    }
    const status = push.outcome === 'deny' ? 'deny' : 'timeout';
    return { result: 'deny', status, status_msg: 'Login request denied.' };
  }),
];

/** Finds the route for a request; `undefined` means Duo's 404. */
export function matchRoute(
  method: string,
  pathname: string,
): { handler: Handler; match: string[]; api: 'admin' | 'auth' } | undefined {
  for (const [api, routes] of [
    ['admin', admin],
    ['auth', auth],
  ] as const) {
    for (const r of routes) {
      const m = r.method === method ? r.pattern.exec(pathname) : null;
      if (m) return { handler: r.handler, match: m.slice(1).map(decodeURIComponent), api };
    }
  }
  return undefined;
}
