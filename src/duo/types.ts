/** Duo Admin API objects, as far as the bot reads them. Timestamps are unix seconds. */

export type DuoUserStatus = 'active' | 'bypass' | 'disabled' | 'locked out' | 'pending deletion';

/** A phone in Duo. `number` may come with or without the leading '+'. */
export interface DuoPhone {
  phone_id: string;
  number: string;
  extension?: string;
  name?: string;
  type: string;
  platform: string;
  activated: boolean;
  capabilities?: string[];
  last_seen?: string | null;
  sms_passcodes_sent?: boolean;
  users?: DuoUser[];
}

export interface DuoUser {
  user_id: string;
  username: string;
  realname?: string;
  email?: string;
  status: DuoUserStatus;
  is_enrolled: boolean;
  created?: number;
  last_login?: number | null;
  last_directory_sync?: number | null;
  notes?: string;
  alias1?: string | null;
  alias2?: string | null;
  alias3?: string | null;
  alias4?: string | null;
  aliases?: Record<string, string>;
  phones: DuoPhone[];
}

/** Answer of send_sms_activation. */
export interface DuoSmsActivation {
  activation_barcode?: string;
  activation_msg?: string;
  installation_msg?: string;
  valid_secs: number;
}

/** The Admin API operations the bot uses. Implemented over HTTP by `DuoAdminClient`. */
export interface DuoAdmin {
  /** GET /admin/v1/users?username= (also matches aliases). */
  findUserByUsername(username: string): Promise<DuoUser | undefined>;
  /** GET /admin/v1/users/{id} */
  getUser(userId: string): Promise<DuoUser>;
  /** POST /admin/v1/users */
  createUser(p: {
    username: string;
    realname?: string;
    email?: string;
    notes?: string;
  }): Promise<DuoUser>;
  /** POST /admin/v1/users/{id} with status */
  setUserStatus(userId: string, status: 'active' | 'disabled'): Promise<DuoUser>;
  /** DELETE /admin/v1/users/{id} */
  deleteUser(userId: string): Promise<void>;
  /** POST /admin/v1/users/directorysync/{key}/syncuser */
  syncUser(directoryKey: string, username: string): Promise<DuoUser | undefined>;
  /** POST /admin/v1/users/enroll; returns the enrolment code. */
  enrolUser(p: { username: string; email: string; validSecs: number }): Promise<string>;
  /** GET /admin/v1/phones?number= */
  findPhoneByNumber(e164: string): Promise<DuoPhone | undefined>;
  /** GET /admin/v1/phones/{id} */
  getPhone(phoneId: string): Promise<DuoPhone>;
  /** POST /admin/v1/phones */
  createPhone(p: {
    number: string;
    type: 'mobile';
    platform: string;
    name?: string;
  }): Promise<DuoPhone>;
  /** POST /admin/v1/phones/{id}: fix type or platform (activation fails on "unknown"). */
  updatePhone(phoneId: string, p: { type?: 'mobile'; platform?: string }): Promise<DuoPhone>;
  /** POST /admin/v1/users/{id}/phones */
  attachPhone(userId: string, phoneId: string): Promise<void>;
  /** DELETE /admin/v1/users/{id}/phones/{phone_id} */
  detachPhone(userId: string, phoneId: string): Promise<void>;
  /** POST /admin/v1/phones/{id}/send_sms_activation */
  sendSmsActivation(
    phoneId: string,
    p: { validSecs: number; install: boolean },
  ): Promise<DuoSmsActivation>;
  /** GET /admin/v1/users?limit=1; the cheapest read-only credential check. */
  check(): Promise<void>;
}
