/**
 * The Duo simulator's state: users, phones, the seeded directory for syncuser, and a record of
 * every SMS and enrolment e-mail "sent". Plain JSON, so the CLI can persist it across restarts.
 * Operations throw SimFailure with Duo's own HTTP status and code.
 */
import type { DuoPhone, DuoUser, DuoUserStatus } from '../types.js';

/** A user as the simulator keeps it; `phone_ids` link to `SimPhone`. */
export interface SimUser {
  user_id: string;
  username: string;
  realname?: string;
  email?: string;
  status: DuoUserStatus;
  aliases: Record<string, string>;
  created: number;
  last_login: number | null;
  last_directory_sync: number | null;
  phone_ids: string[];
  /** Set when the user finished enrolment from an e-mail link (no phone needed). */
  enrolled_by_email?: boolean;
}

export interface SimPhone {
  phone_id: string;
  number: string;
  type: string;
  platform: string;
  name: string;
  activated: boolean;
}

/** A person in the seeded source directory that `directorysync/{key}/syncuser` reads. */
export interface SimDirectoryEntry {
  username: string;
  realname?: string;
  email?: string;
  mobile?: string;
}

export interface SentSms {
  phone_id: string;
  number: string;
  install: boolean;
  valid_secs: number;
  at: number;
}

export interface SentEnrolEmail {
  username: string;
  email: string;
  valid_secs: number;
  code: string;
  at: number;
}

export interface SimPush {
  txid: string;
  username: string;
  polls: number;
}

/** Everything the simulator remembers; what the CLI writes to its state file. */
export interface SimState {
  users: SimUser[];
  phones: SimPhone[];
  sms: SentSms[];
  emails: SentEnrolEmail[];
  pushes: SimPush[];
  nextId: number;
}

/** A failure in Duo's terms: HTTP status, Duo code, message. */
export class SimFailure extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: number,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** Duo compares phone numbers by digits: "+44 7700" and "447700" are the same phone. */
export function digits(number: string): string {
  return number.replace(/\D/g, '');
}

export const notFound = (what: string): SimFailure =>
  new SimFailure(404, 40401, 'Resource not found', what);
export const badParam = (what: string): SimFailure =>
  new SimFailure(400, 40002, 'Invalid request parameters', what);

/** Stateful model of the Admin API objects the bot touches. */
export class DuoModel {
  state: SimState;

  constructor(
    state: Partial<SimState> = {},
    readonly directory: { key?: string; entries: SimDirectoryEntry[]; importPhones: boolean } = {
      entries: [],
      importPhones: false,
    },
    readonly now: () => number = Date.now,
  ) {
    this.state = { users: [], phones: [], sms: [], emails: [], pushes: [], nextId: 1, ...state };
  }

  /** A new Duo-looking id with the given prefix (DU users, DP phones). */
  newId(prefix: string): string {
    const n = this.state.nextId++;
    return `${prefix}${String(n).padStart(18, '0')}`;
  }

  private secs(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Seed or create a user; `status` defaults to active. */
  addUser(p: Partial<SimUser> & { username: string }): SimUser {
    if (this.findUsers(p.username).length > 0) {
      throw new SimFailure(400, 40003, 'Duplicate resource', `username ${p.username}`);
    }
    const user: SimUser = {
      user_id: this.newId('DU'),
      status: 'active',
      aliases: {},
      created: this.secs(),
      last_login: null,
      last_directory_sync: null,
      phone_ids: [],
      ...p,
    };
    this.state.users.push(user);
    return user;
  }

  /** Seed or create a phone; numbers are unique as in Duo (40003 on a duplicate). */
  addPhone(p: Partial<SimPhone> & { number: string }): SimPhone {
    if (this.findPhones(p.number).length > 0) {
      throw new SimFailure(400, 40003, 'Duplicate resource', 'number');
    }
    const phone: SimPhone = {
      phone_id: this.newId('DP'),
      type: 'unknown',
      platform: 'unknown',
      name: '',
      activated: false,
      ...p,
    };
    this.state.phones.push(phone);
    return phone;
  }

  /** Users whose username or alias equals `name` (case-insensitive, as Duo usernames are). */
  findUsers(name: string): SimUser[] {
    const wanted = name.toLowerCase();
    return this.state.users.filter(
      (u) =>
        u.username.toLowerCase() === wanted ||
        Object.values(u.aliases).some((a) => a.toLowerCase() === wanted),
    );
  }

  user(userId: string): SimUser {
    const user = this.state.users.find((u) => u.user_id === userId);
    if (!user) throw notFound('user_id');
    return user;
  }

  phone(phoneId: string): SimPhone {
    const phone = this.state.phones.find((p) => p.phone_id === phoneId);
    if (!phone) throw notFound('phone_id');
    return phone;
  }

  findPhones(number: string): SimPhone[] {
    return this.state.phones.filter((p) => digits(p.number) === digits(number));
  }

  /** Users a phone is attached to. */
  phoneUsers(phoneId: string): SimUser[] {
    return this.state.users.filter((u) => u.phone_ids.includes(phoneId));
  }

  attach(userId: string, phoneId: string): void {
    const user = this.user(userId);
    this.phone(phoneId);
    if (!user.phone_ids.includes(phoneId)) user.phone_ids.push(phoneId);
  }

  detach(userId: string, phoneId: string): void {
    const user = this.user(userId);
    if (!user.phone_ids.includes(phoneId)) throw notFound('phone_id');
    user.phone_ids = user.phone_ids.filter((id) => id !== phoneId);
  }

  deleteUser(userId: string): void {
    this.user(userId);
    this.state.users = this.state.users.filter((u) => u.user_id !== userId);
  }

  /** What a person does with the SMS: activate Duo Mobile on the phone. For tests. */
  activatePhone(phoneId: string): void {
    const phone = this.phone(phoneId);
    phone.activated = true;
    if (phone.platform === 'unknown' || phone.platform === 'generic smartphone') {
      phone.platform = 'google android';
    }
  }

  /** What a person does with the enrolment e-mail. For tests. */
  completeEmailEnrolment(username: string): void {
    const [user] = this.findUsers(username);
    if (!user) throw notFound('username');
    user.enrolled_by_email = true;
  }

  /** Records an activation SMS; Duo refuses phones whose type or platform is unknown. */
  sendSmsActivation(phoneId: string, validSecs: number, install: boolean): SentSms {
    const phone = this.phone(phoneId);
    if (phone.type !== 'mobile' || phone.platform === 'unknown') {
      throw badParam('phone type or platform is unknown');
    }
    const sms = {
      phone_id: phoneId,
      number: phone.number,
      install,
      valid_secs: validSecs,
      at: this.now(),
    };
    this.state.sms.push(sms);
    return sms;
  }

  /** Records an enrolment e-mail; the user is created when missing, refused when enrolled. */
  enrol(username: string, email: string, validSecs: number): SentEnrolEmail {
    const [existing] = this.findUsers(username);
    if (existing && this.isEnrolled(existing)) badParamThrow('user already enrolled');
    if (!existing) this.addUser({ username, email });

    const code = (this.state.nextId++).toString(16).padStart(16, 'a');
    const sent = { username, email, valid_secs: validSecs, code, at: this.now() };
    this.state.emails.push(sent);
    return sent;
  }

  /** Creates or refreshes one user from the seeded directory, as Duo's directory sync would. */
  syncUser(key: string, username: string): SimUser {
    if (!this.directory.key || key !== this.directory.key) throw notFound('directory_key');
    const entry = this.directory.entries.find(
      (e) => e.username.toLowerCase() === username.toLowerCase(),
    );
    if (!entry) throw notFound('username not in directory');

    const [found] = this.findUsers(entry.username);
    const user = found ?? this.addUser({ username: entry.username });
    user.realname = entry.realname;
    user.email = entry.email;
    user.last_directory_sync = this.secs();
    if (this.directory.importPhones && entry.mobile && user.phone_ids.length === 0) {
      const phone = this.findPhones(entry.mobile)[0] ?? this.addPhone({ number: entry.mobile });
      this.attach(user.user_id, phone.phone_id);
    }
    return user;
  }

  isEnrolled(user: SimUser): boolean {
    return !!user.enrolled_by_email || user.phone_ids.some((id) => this.phone(id).activated);
  }

  /** A user as Duo's API returns it, phones included. */
  userView(user: SimUser): DuoUser {
    const alias = (n: number): string | null => user.aliases[`alias${n}`] ?? null;
    return {
      user_id: user.user_id,
      username: user.username,
      realname: user.realname,
      email: user.email,
      status: user.status,
      is_enrolled: this.isEnrolled(user),
      created: user.created,
      last_login: user.last_login,
      last_directory_sync: user.last_directory_sync,
      alias1: alias(1),
      alias2: alias(2),
      alias3: alias(3),
      alias4: alias(4),
      aliases: { ...user.aliases },
      phones: user.phone_ids.map((id) => this.phoneView(this.phone(id), false)),
    };
  }

  /** A phone as Duo's API returns it; `withUsers` adds its users (without their phones). */
  phoneView(phone: SimPhone, withUsers = true): DuoPhone {
    const view: DuoPhone = {
      phone_id: phone.phone_id,
      number: phone.number,
      name: phone.name,
      type: phone.type,
      platform: phone.platform,
      activated: phone.activated,
      capabilities: phone.activated
        ? ['auto', 'push', 'sms', 'phone', 'mobile_otp']
        : ['sms', 'phone'],
    };
    if (withUsers) {
      view.users = this.phoneUsers(phone.phone_id).map((u) => ({
        ...this.userView(u),
        phones: [],
      }));
    }
    return view;
  }
}

function badParamThrow(what: string): never {
  throw badParam(what);
}
