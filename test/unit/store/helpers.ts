/** Shared fixtures for the store tests: temp folders, a settable clock, a sample request. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { NewRequest } from '../../../src/store/requestStore.js';
import type { ActorRef } from '../../../src/workflow/types.js';

/** A clock tests move by hand. */
export function fixedClock(start = '2025-03-01T09:00:00.000Z') {
  let now = new Date(start);

  return {
    now: () => new Date(now),
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
}

/** A fresh temp folder, removed by the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'enrolbot-store-'));

  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const manager: ActorRef = {
  platform: 'teams',
  platformUserId: '29:manager',
  displayName: 'Megan Bowen',
  login: 'meganb@example.com',
};

export const approver: ActorRef = {
  platform: 'slack',
  platformUserId: 'U0APPROVER',
  displayName: 'Alex Wilber',
};

/** A request as the workflow would create it. */
export function sampleRequest(username = 'jdoe', overrides: Partial<NewRequest> = {}): NewRequest {
  return {
    state: 'pending_approval',
    requester: manager,
    contractor: {
      directory: 'file',
      directoryId: `cn=${username}`,
      username,
      displayName: 'Jane Doe',
      duoUsername: username,
    },
    method: 'sms',
    destination: '+447700900123',
    destinationAttribute: 'mobile',
    checks: [],
    warnings: [],
    approvals: [],
    progress: {},
    sandbox: true,
    ...overrides,
  };
}
