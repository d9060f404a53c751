/**
 * The Duo Admin API client: the `DuoAdmin` port over Node's own http client, signed with v5 by default.
 * Transport, back-off and error mapping live in transport.ts and are shared with the Auth client.
 */
import { DuoTransport, type DuoClientOptions } from './transport.js';
import type { DuoAdmin, DuoPhone, DuoSmsActivation, DuoUser } from './types.js';

export type { DuoClientOptions } from './transport.js';

const seg = encodeURIComponent;

/** `DuoAdmin` over HTTP. Errors are the classes of src/errors.ts; secrets never reach them. */
export class DuoAdminClient implements DuoAdmin {
  private readonly http: DuoTransport;

  constructor(options: DuoClientOptions) {
    this.http = new DuoTransport(options);
  }

  /** Duo matches the username and every alias, so one query covers both. */
  async findUserByUsername(username: string): Promise<DuoUser | undefined> {
    const users = await this.http.call<DuoUser[]>('GET', '/admin/v1/users', { username });
    return users[0];
  }

  /** One user by id, phones included. */
  getUser(userId: string): Promise<DuoUser> {
    return this.http.call('GET', `/admin/v1/users/${seg(userId)}`);
  }

  /** Creates an active user: status is never sent, so a contractor cannot start in bypass. */
  createUser(p: {
    username: string;
    realname?: string;
    email?: string;
    notes?: string;
  }): Promise<DuoUser> {
    return this.http.call('POST', '/admin/v1/users', compact(p));
  }

  /** Activate or disable a user (offboarding). */
  setUserStatus(userId: string, status: 'active' | 'disabled'): Promise<DuoUser> {
    return this.http.call('POST', `/admin/v1/users/${seg(userId)}`, { status });
  }

  /** Permanent and immediate in Duo; phones stay. */
  async deleteUser(userId: string): Promise<void> {
    await this.http.call('DELETE', `/admin/v1/users/${seg(userId)}`);
  }

  /** Sync one user from a Duo directory; the answer's shape is not documented, so read it back. */
  async syncUser(directoryKey: string, username: string): Promise<DuoUser | undefined> {
    const path = `/admin/v1/users/directorysync/${seg(directoryKey)}/syncuser`;
    const answer = await this.http.call<unknown>('POST', path, { username });
    if (isUser(answer)) return answer;

    return this.findUserByUsername(username);
  }

  /** Sends Duo's enrolment e-mail and returns the enrolment code. */
  enrolUser(p: { username: string; email: string; validSecs: number }): Promise<string> {
    return this.http.call('POST', '/admin/v1/users/enroll', {
      username: p.username,
      email: p.email,
      valid_secs: String(p.validSecs),
    });
  }

  /** The phone with this E.164 number, if Duo has one. */
  async findPhoneByNumber(e164: string): Promise<DuoPhone | undefined> {
    const phones = await this.http.call<DuoPhone[]>('GET', '/admin/v1/phones', { number: e164 });
    return phones[0];
  }

  /** One phone by id, its users included. */
  getPhone(phoneId: string): Promise<DuoPhone> {
    return this.http.call('GET', `/admin/v1/phones/${seg(phoneId)}`);
  }

  /** Creates a phone; callers pass a known platform because activation fails on "unknown". */
  createPhone(p: {
    number: string;
    type: 'mobile';
    platform: string;
    name?: string;
  }): Promise<DuoPhone> {
    return this.http.call('POST', '/admin/v1/phones', compact(p));
  }

  /** Fixes a phone's type or platform, e.g. "unknown" to "generic smartphone". */
  updatePhone(phoneId: string, p: { type?: 'mobile'; platform?: string }): Promise<DuoPhone> {
    return this.http.call('POST', `/admin/v1/phones/${seg(phoneId)}`, compact(p));
  }

  /** Associates a phone with a user. */
  async attachPhone(userId: string, phoneId: string): Promise<void> {
    await this.http.call('POST', `/admin/v1/users/${seg(userId)}/phones`, { phone_id: phoneId });
  }

  /** Removes a phone from a user (the phone itself stays). */
  async detachPhone(userId: string, phoneId: string): Promise<void> {
    await this.http.call('DELETE', `/admin/v1/users/${seg(userId)}/phones/${seg(phoneId)}`);
  }

  /** Sends the Duo Mobile activation SMS, preceded by the install SMS when `install`. */
  sendSmsActivation(
    phoneId: string,
    p: { validSecs: number; install: boolean },
  ): Promise<DuoSmsActivation> {
    return this.http.call('POST', `/admin/v1/phones/${seg(phoneId)}/send_sms_activation`, {
      valid_secs: String(p.validSecs),
      install: p.install ? '1' : '0',
    });
  }

  /** The cheapest read that proves the credentials work and the host answers. */
  async check(): Promise<void> {
    await this.http.call('GET', '/admin/v1/users', { limit: '1' });
  }
}

/** Drop undefined fields; Duo wants strings only. */
function compact(p: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined) out[k] = v;
  return out;
}

function isUser(value: unknown): value is DuoUser {
  return !!value && typeof value === 'object' && typeof (value as DuoUser).user_id === 'string';
}
