import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChainDirectory } from '../../../src/directory/chain.js';
import { FileDirectory, type FileUser } from '../../../src/directory/file/fileDirectory.js';
import type { DirectoryRecord } from '../../../src/directory/types.js';
import { checkContractor, groupName, type CheckContext } from '../../../src/workflow/checks.js';

const NOW = new Date('2026-12-04T12:00:00Z');

function directoryOf(users: FileUser[]): ChainDirectory {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'checks-')), 'dir.json');
  const manager: FileUser = { username: 'mgr', displayName: 'Manager', mail: 'mgr@corp.example' };
  const other: FileUser = { username: 'other', displayName: 'Other Manager' };
  writeFileSync(
    file,
    JSON.stringify({
      users: [manager, other, ...users],
      groups: [
        {
          name: 'Contractors',
          members: users.filter((u) => u.username !== 'staff').map((u) => u.username),
        },
        { name: 'Requesters', members: ['other'] },
      ],
    }),
  );

  return new ChainDirectory([{ source: 'file', directory: new FileDirectory(file) }]);
}

async function check(user: FileUser, method: 'sms' | 'email', requester = 'mgr', region?: string) {
  const directory = directoryOf([user]);
  const ctx: CheckContext = {
    directory,
    contractorGroup: { file: 'Contractors' },
    requesterGroup: { file: 'Requesters' },
    defaultPhoneRegion: region,
    now: NOW,
  };
  const [record] = (await directory.find(user.username)) as [DirectoryRecord];
  const [asker] = (await directory.find(requester)) as [DirectoryRecord];

  return checkContractor(ctx, record, asker, method);
}

const base: FileUser = {
  username: 'jdoe',
  displayName: 'John Doe',
  manager: 'mgr',
  mobile: '+44 7400 123456',
  mail: 'jdoe@contractorco.example',
};

describe('contractor checks', () => {
  it('passes a good record for SMS and gives the E.164 number with its attribute', async () => {
    const out = await check(base, 'sms');
    assert.equal(out.ok, true, JSON.stringify(out.checks));
    assert.equal(out.destination, '+447400123456');
    assert.equal(out.destinationAttribute, 'mobile');
    assert.equal(out.maskedDestination, '+44 •••• ••3456');
    assert.equal(out.checks.length, 5, 'every check is reported');
  });

  it('passes a good record for e-mail', async () => {
    const out = await check(base, 'email');
    assert.equal(out.ok, true);
    assert.equal(out.destination, 'jdoe@contractorco.example');
    assert.equal(out.maskedDestination, 'j•••@contractorco.example');
  });

  it('lists every failed reason at once, in words a manager can act on', async () => {
    const out = await check(
      {
        ...base,
        enabled: false,
        accountExpires: '2025-01-01T00:00:00Z',
        mobile: undefined,
        manager: undefined,
      },
      'sms',
    );
    assert.equal(out.ok, false);
    const failed = out.checks.filter((c) => !c.ok).map((c) => c.detail);
    assert.equal(failed.length, 4);
    assert.match(failed.join('\n'), /disabled in the directory/);
    assert.match(failed.join('\n'), /expired on 2025-01-01/);
    assert.match(
      failed.join('\n'),
      /neither jdoe's manager of record nor in the requester group Requesters/,
    );
    assert.match(
      failed.join('\n'),
      /jdoe has no mobile number in the directory's mobile attribute; add one or use email/,
    );
  });

  it('refuses a fixed line in the mobile attribute, naming the attribute', async () => {
    const out = await check({ ...base, mobile: '+44 121 234 5678' }, 'sms');
    assert.match(
      out.checks.find((c) => c.name === 'destination')!.detail,
      /the mobile attribute \(\+44 •••• ••5678\) is a fixed line/,
    );
  });

  it('never uses telephoneNumber for SMS, and says so', async () => {
    const out = await check(
      { ...base, mobile: undefined, telephoneNumber: '+44 7400 999888' },
      'sms',
    );
    assert.equal(out.ok, false);
    assert.match(
      out.checks.at(-1)!.detail,
      /telephoneNumber has a number, but a desk phone cannot receive SMS/,
    );
  });

  it('falls back to otherMobiles, and normalises national numbers with DEFAULT_PHONE_REGION', async () => {
    const other = await check(
      { ...base, mobile: undefined, otherMobiles: ['+44 7400 654321'] },
      'sms',
    );
    assert.equal(other.destinationAttribute, 'otherMobiles');
    const national = await check({ ...base, mobile: '07400 123456' }, 'sms', 'mgr', 'GB');
    assert.equal(national.destination, '+447400123456');
    const noRegion = await check({ ...base, mobile: '07400 123456' }, 'sms');
    assert.match(noRegion.checks.at(-1)!.detail, /DEFAULT_PHONE_REGION is not set/);
  });

  it('accepts a member of the requester group who is not the manager', async () => {
    const out = await check(base, 'sms', 'other');
    assert.match(
      out.checks.find((c) => c.name === 'requester')!.detail,
      /requester is in Requesters/,
    );
  });

  it('refuses a non-contractor and an invalid e-mail', async () => {
    const staff = await check({ ...base, username: 'staff' }, 'sms');
    assert.match(
      staff.checks.find((c) => c.name === 'contractor')!.detail,
      /not in the contractor group Contractors/,
    );
    const mail = await check({ ...base, mail: 'not an address' }, 'email');
    assert.equal(mail.ok, false);
    assert.match(mail.checks.at(-1)!.detail, /mail attribute is not a valid address/);
  });

  it('warns that North American numbers may be fixed lines', async () => {
    const out = await check({ ...base, mobile: '+1 201-555-0123' }, 'sms');
    assert.equal(out.ok, true);
    assert.match(out.warnings.join(), /may be a fixed line/);
  });

  it('names groups by their CN', () => {
    assert.equal(
      groupName('CN=Smith\\, Contractors,OU=Groups,DC=corp,DC=test'),
      'Smith, Contractors',
    );
    assert.equal(groupName('0f6b-group-id'), '0f6b-group-id');
  });
});
