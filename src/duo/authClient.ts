/**
 * Duo Auth API client for step-up approval by Duo Push: the approver confirms on their phone before
 * a send. Shares the signed transport and error mapping with the Admin client.
 */
import { DuoTransport, type DuoClientOptions } from './transport.js';

/** Preauth's verdict: `auth` means a push can be sent; the others mean it cannot. */
export interface DuoPreauth {
  result: 'auth' | 'allow' | 'deny' | 'enroll';
  status_msg?: string;
  devices?: { device: string; type: string; capabilities?: string[] }[];
}

/** Where a push stands: `waiting` until the person answers or Duo gives up. */
export interface DuoPushStatus {
  result: 'allow' | 'deny' | 'waiting';
  /** Duo's finer status, e.g. pushed, allow, deny, timeout. */
  status: string;
  statusMessage?: string;
}

/** The Auth API operations used for step-up approval. */
export class DuoAuthClient {
  private readonly http: DuoTransport;

  constructor(options: DuoClientOptions) {
    this.http = new DuoTransport(options);
  }

  /** Whether the person can receive a push at all. */
  preauth(username: string): Promise<DuoPreauth> {
    return this.http.call('POST', '/auth/v2/preauth', { username });
  }

  /** Starts an asynchronous push and returns its transaction id. */
  async auth(p: {
    username: string;
    factor: 'push';
    device?: string;
    async: true;
    /** Shown in Duo Mobile, e.g. "Approve REQ-42: SMS to jdoe". */
    pushInfo?: string;
  }): Promise<string> {
    const params: Record<string, string> = {
      username: p.username,
      factor: p.factor,
      device: p.device ?? 'auto',
      async: '1',
    };
    if (p.pushInfo) params.pushinfo = new URLSearchParams({ action: p.pushInfo }).toString();
    const answer = await this.http.call<{ txid: string }>('POST', '/auth/v2/auth', params);

    return answer.txid;
  }

  /** Polls a push started by `auth`. */
  async authStatus(txid: string): Promise<DuoPushStatus> {
    const answer = await this.http.call<{ result: string; status: string; status_msg?: string }>(
      'GET',
      '/auth/v2/auth_status',
      { txid },
    );
    const result =
      answer.result === 'allow' || answer.result === 'deny' ? answer.result : 'waiting';

    return { result, status: answer.status, statusMessage: answer.status_msg };
  }

  /** Credential check for the Auth application (admin credentials get 40301 here). */
  async check(): Promise<void> {
    await this.http.call('GET', '/auth/v2/check');
  }
}
