/**
 * A directory file, a CSV and a Duo simulator state for bulk tests: staff who ask and approve, and
 * contractors of every kind a batch meets (ready, disabled, no mobile, expired, a row whose phone
 * disagrees with the directory, names the directory does not know, already enrolled in Duo).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChatUser } from '../../bot/ports.js';
import type { SimState } from '../../src/duo/simulator/index.js';
import type { ConversationHandle } from '../../src/workflow/types.js';

/** The contractor kinds and how many of each a fixture holds. */
export interface BulkMix {
  ready: number;
  disabled: number;
  noMobile: number;
  expired: number;
  mismatch: number;
  unknown: number;
  enrolled: number;
}

/** What a fixture wrote. */
export interface BulkFixture {
  directoryFile: string;
  csv: string;
  /** E.164 numbers of the contractors that should get exactly one SMS. */
  readyNumbers: string[];
  /** E.164 numbers that must never get one. */
  blockedNumbers: string[];
}

/** `+44 7400 1xxxxx`: valid UK mobile numbers, one per index. */
export const mobile = (i: number): string => `+4474001${String(i).padStart(5, '0')}`;

/** Write the directory file and (with `simStateFile`) the enrolled contractors' Duo state. */
export function writeBulkFixture(dir: string, mix: BulkMix, simStateFile?: string): BulkFixture {
  const users: Record<string, unknown>[] = [
    {
      username: 'alexw',
      userPrincipalName: 'alexw@example.com',
      displayName: 'Alex Wilber',
      mail: 'alexw@example.com',
    },
    {
      username: 'meganb',
      userPrincipalName: 'meganb@example.com',
      displayName: 'Megan Bowen',
      mail: 'meganb@example.com',
    },
  ];
  const rows = ['username,method,phone'];
  const readyNumbers: string[] = [];
  const blockedNumbers: string[] = [];
  const contractors: string[] = [];
  let n = 0;
  const add = (kind: keyof BulkMix, extra: Record<string, unknown>, rowPhone = '') => {
    n += 1;
    const username = `c${kind.toLowerCase()}${n}`;
    if (kind !== 'unknown') {
      users.push({
        username,
        displayName: `Contractor ${n}`,
        manager: 'alexw',
        mobile: mobile(n),
        ...extra,
      });
      contractors.push(username);
    }
    rows.push(`${username},sms,${rowPhone}`);
    (kind === 'ready' ? readyNumbers : blockedNumbers).push(mobile(n));
  };
  for (let i = 0; i < mix.ready; i += 1) add('ready', {}, i % 2 ? mobile(n + 1) : '');
  for (let i = 0; i < mix.disabled; i += 1) add('disabled', { enabled: false });
  for (let i = 0; i < mix.noMobile; i += 1) add('noMobile', { mobile: undefined });
  for (let i = 0; i < mix.expired; i += 1)
    add('expired', { accountExpires: '2020-01-01T00:00:00Z' });
  for (let i = 0; i < mix.mismatch; i += 1) add('mismatch', {}, '+447400999999');
  for (let i = 0; i < mix.unknown; i += 1) add('unknown', {});
  const enrolledFrom = n + 1;
  for (let i = 0; i < mix.enrolled; i += 1) add('enrolled', {});

  const directoryFile = path.join(dir, 'directory.json');
  writeFileSync(
    directoryFile,
    JSON.stringify({
      users,
      groups: [
        { name: 'Contractors', members: contractors },
        { name: 'Security-Approvers', members: ['meganb'] },
        { name: 'Contractor-Managers', members: ['alexw'] },
      ],
    }),
  );
  if (simStateFile)
    writeFileSync(simStateFile, JSON.stringify(enrolledState(enrolledFrom, mix.enrolled)));

  return { directoryFile, csv: rows.join('\n') + '\n', readyNumbers, blockedNumbers };
}

/** Duo users with an activated phone, for the contractors numbered from `from`. */
function enrolledState(from: number, count: number): SimState {
  const state: SimState = {
    users: [],
    phones: [],
    sms: [],
    emails: [],
    pushes: [],
    nextId: 100000,
  };
  for (let i = 0; i < count; i += 1) {
    const k = from + i;
    state.phones.push({
      phone_id: `DPENROLLED${k}`,
      number: mobile(k),
      type: 'mobile',
      platform: 'google android',
      name: '',
      activated: true,
    });
    state.users.push({
      user_id: `DUENROLLED${k}`,
      username: `cenrolled${k}`,
      status: 'active',
      aliases: {},
      created: 0,
      last_login: null,
      last_directory_sync: null,
      phone_ids: [`DPENROLLED${k}`],
    });
  }

  return state;
}

/** Alex, the requester, and Megan, the approver, as the Teams adapter would describe them. */
export const ALEX: ChatUser = {
  platform: 'teams',
  platformUserId: '29:alex',
  displayName: 'Alex Wilber',
  userPrincipalName: 'alexw@example.com',
};
export const MEGAN: ChatUser = {
  platform: 'teams',
  platformUserId: '29:megan',
  displayName: 'Megan Bowen',
  userPrincipalName: 'meganb@example.com',
};

/** A Teams conversation on the fake connector. */
export function teamsConversation(
  serviceUrl: string,
  id = 'a:personal-29:alex',
): ConversationHandle {
  return {
    platform: 'teams',
    ref: {
      serviceUrl,
      channelId: 'msteams',
      conversation: { id, conversationType: 'personal', tenantId: 'tenant-1' },
      bot: { id: '28:enrolbot', name: 'Duo Enrol' },
      user: { id: '29:alex', name: 'Alex Wilber' },
    },
  };
}
