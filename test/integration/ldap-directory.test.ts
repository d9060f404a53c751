/**
 * LdapDirectory against a real Samba AD DC: finding contractors every way a requester names them,
 * and judging their records as AD means them.
 */
import assert from 'node:assert/strict';
import { LdapDirectory } from '../../src/directory/ldap/index.js';
import type { DirectoryRecord } from '../../src/directory/types.js';
import {
  FUTURE_EXPIRY,
  PAST_EXPIRY,
  ldapConfigFor,
  startSamba,
  type SambaDc,
} from '../support/samba.js';

describe('LdapDirectory against Samba AD: lookups and records', function () {
  let dc: SambaDc;
  let dir: LdapDirectory;

  before(async function () {
    this.timeout(240_000);
    dc = await startSamba();
    dir = new LdapDirectory(ldapConfigFor(dc, { netbiosDomain: 'CORP' }));
  });

  after(async () => {
    await dir?.close();
  });

  const one = async (identifier: string): Promise<DirectoryRecord> => {
    const found = await dir.find(identifier);
    assert.equal(found.length, 1, `expected one match for ${identifier}, got ${found.length}`);

    return found[0]!;
  };

  describe('find', () => {
    it('finds by sAMAccountName, case-insensitively', async () => {
      assert.equal((await one('c.active')).id, dc.seeded.users.active);
      assert.equal((await one('C.ACTIVE')).id, dc.seeded.users.active);
    });

    it('finds by userPrincipalName, mail and display name', async () => {
      assert.equal((await one('c.active@corp.test')).id, dc.seeded.users.active);
      assert.equal((await one('cara@contractor.example')).id, dc.seeded.users.active);
      assert.equal((await one('Cara Active')).id, dc.seeded.users.active);
      assert.equal((await one('cara active')).id, dc.seeded.users.active);
    });

    it('finds DOMAIN\\user in our domain and nothing in another', async () => {
      assert.equal((await one('CORP\\c.active')).id, dc.seeded.users.active);
      assert.equal((await one('corp\\c.active')).id, dc.seeded.users.active);
      assert.deepEqual(await dir.find('OTHER\\c.active'), []);
    });

    it('returns every match for an ambiguous display name, never just the first', async () => {
      const found = await dir.find('Chris Lee');
      assert.deepEqual(
        found.map((r) => r.id).sort(),
        [dc.seeded.users.chris1, dc.seeded.users.chris2].sort(),
      );
    });

    it('finds nothing for an unknown name, and nothing for blank input', async () => {
      assert.deepEqual(await dir.find('no.such.person'), []);
      assert.deepEqual(await dir.find('   '), []);
    });

    it('finds a CN with a comma and a non-ASCII name, with their DNs intact', async () => {
      const jane = await one('Smith, Jane');
      assert.equal(jane.id, dc.seeded.users.jane);
      assert.match(jane.id, /^CN=Smith\\, Jane,/);

      const zoe = await one('Zoë Ødegård');
      assert.equal(zoe.id, dc.seeded.users.zoe);
      assert.equal(zoe.displayName, 'Zoë Ødegård');
      assert.equal((await one('zodegard')).displayName, 'Zoë Ødegård');
    });
  });

  describe('records', () => {
    it('maps an enabled contractor with mobile, mail, manager, type and expiry', async () => {
      const r = await one('c.active');
      assert.equal(r.source, 'ldap');
      assert.equal(r.username, 'c.active');
      assert.equal(r.userPrincipalName, 'c.active@corp.test');
      assert.equal(r.duoUsername, 'c.active');
      assert.equal(r.enabled, true);
      assert.deepEqual(r.expiresAt, FUTURE_EXPIRY);
      assert.deepEqual(r.mobiles, [{ attribute: 'mobile', value: '+44 7400 123456' }]);
      assert.deepEqual(r.emails, [{ attribute: 'mail', value: 'cara@contractor.example' }]);
      assert.deepEqual(r.otherPhones, []);
      assert.equal(r.employeeType, 'Contractor');
      assert.equal(r.managerId, dc.seeded.users.jane);
    });

    it('reads bit 0x2 of userAccountControl as disabled', async () => {
      const r = await one('c.disabled');
      assert.equal(r.enabled, false);
      assert.deepEqual(r.raw['userAccountControl'], ['514']);
    });

    it('reads accountExpires in the past as expired, and 0 and 2^63-1 as never', async () => {
      assert.deepEqual((await one('c.expired')).expiresAt, PAST_EXPIRY);
      assert.equal((await one('c.never0')).expiresAt, undefined);
      assert.equal((await one('c.nevermax')).expiresAt, undefined);
    });

    it('keeps telephoneNumber out of the SMS numbers but reports it', async () => {
      const r = await one('c.landline');
      assert.deepEqual(r.mobiles, []);
      assert.deepEqual(r.otherPhones, [
        { attribute: 'telephoneNumber', value: '+44 121 234 5678' },
      ]);
    });

    it('uses otherMobile after mobile only when configured', async () => {
      assert.deepEqual((await one('c.othermobile')).mobiles, [
        { attribute: 'otherMobile', value: '+44 7400 123459' },
      ]);

      const attributes = { ...ldapConfigFor(dc).attributes, otherMobile: undefined };
      const strict = new LdapDirectory(ldapConfigFor(dc, { attributes }));
      try {
        const [r] = await strict.find('c.othermobile');
        assert.deepEqual(r?.mobiles, []);
      } finally {
        await strict.close();
      }
    });

    it('lists mail then otherMailbox, and only mail when the fallback is off', async () => {
      assert.deepEqual((await one('c.othermail')).emails, [
        { attribute: 'mail', value: 'omar@contractor.example' },
        { attribute: 'otherMailbox', value: 'omar.alt@contractor.example' },
      ]);

      const attributes = { ...ldapConfigFor(dc).attributes, otherMail: undefined };
      const strict = new LdapDirectory(ldapConfigFor(dc, { attributes }));
      try {
        const [r] = await strict.find('c.othermail');
        assert.deepEqual(r?.emails, [{ attribute: 'mail', value: 'omar@contractor.example' }]);
      } finally {
        await strict.close();
      }
    });

    it('takes attribute names and the Duo username attribute from configuration', async () => {
      const attributes = { ...ldapConfigFor(dc).attributes, mobile: 'telephoneNumber' };
      const custom = new LdapDirectory(ldapConfigFor(dc, { attributes }), {
        duoUsernameAttribute: 'userPrincipalName',
      });
      try {
        const [r] = await custom.find('c.landline');
        assert.deepEqual(r?.mobiles, [{ attribute: 'telephoneNumber', value: '+44 121 234 5678' }]);
        assert.equal(r?.duoUsername, 'c.landline@corp.test');
      } finally {
        await custom.close();
      }
    });

    it('keeps a non-ASCII manager DN (base64 in LDIF) exactly', async () => {
      const r = await one('c.othermail');
      assert.equal(r.managerId, dc.seeded.users.zoe);
      assert.ok(
        Object.values(r.raw)
          .flat()
          .every((v) => typeof v === 'string'),
      );
      assert.match(r.raw['objectGUID']?.[0] ?? '', /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/);
    });
  });

  describe('isMember', () => {
    it('sees direct and nested membership through the in-chain rule', async () => {
      const active = await one('c.active');
      const nested = await one('c.nested');
      assert.equal(await dir.isMember(active, dc.seeded.groups.contractors), true);
      assert.equal(await dir.isMember(nested, dc.seeded.groups.contractors), true);
      assert.equal(await dir.isMember(nested, dc.seeded.groups.projectX), true);
      assert.equal(await dir.isMember(active, dc.seeded.groups.projectX), false);
      assert.equal(await dir.isMember(active, dc.seeded.groups.approvers), false);
    });

    it('works for comma and non-ASCII DNs, including a manager read from a record', async () => {
      const active = await one('c.active');
      const manager = { ...active, id: active.managerId! };
      assert.equal(await dir.isMember(manager, dc.seeded.groups.managers), true);

      const zoe = await one('Zoë Ødegård');
      assert.equal(await dir.isMember(zoe, dc.seeded.groups.approvers), true);
      assert.equal(await dir.isMember(zoe, dc.seeded.groups.managers), false);
    });

    it('accepts a group by name, and answers false for unknown groups and users', async () => {
      const active = await one('c.active');
      assert.equal(await dir.isMember(active, 'Contractors'), true);
      assert.equal(await dir.isMember(active, 'No-Such-Group'), false);
      assert.equal(await dir.isMember(active, `CN=No-Such-Group,${dc.baseDn}`), false);

      const gone = { ...active, id: `CN=Gone,OU=Contractors,${dc.baseDn}` };
      assert.equal(await dir.isMember(gone, dc.seeded.groups.contractors), false);
    });
  });

  describe('findPerson', () => {
    it('resolves a Teams UPN and a Slack e-mail, each through the other attribute too', async () => {
      const byUpn = await dir.findPerson({ userPrincipalName: 'jsmith@corp.test' });
      assert.equal(byUpn?.id, dc.seeded.users.jane);

      const byMail = await dir.findPerson({ email: 'cara@contractor.example' });
      assert.equal(byMail?.id, dc.seeded.users.active);

      const mailAsUpn = await dir.findPerson({ userPrincipalName: 'zoe@corp.test' });
      assert.equal(mailAsUpn?.id, dc.seeded.users.zoe);

      const upnAsMail = await dir.findPerson({ email: 'c.landline@corp.test' });
      assert.equal(upnAsMail?.id, dc.seeded.users.landline);
    });

    it('answers undefined when nobody matches', async () => {
      assert.equal(await dir.findPerson({ email: 'nobody@corp.test' }), undefined);
      assert.equal(
        await dir.findPerson({ aadObjectId: '00000000-0000-0000-0000-000000000000' }),
        undefined,
      );
    });
  });

  describe('search (type-ahead)', () => {
    it('finds display names and logon names starting with the text, up to the limit', async () => {
      const chris = await dir.search('Chris', 10);
      assert.deepEqual(
        chris.map((r) => r.id).sort(),
        [dc.seeded.users.chris1, dc.seeded.users.chris2].sort(),
      );
      assert.equal((await dir.search('bulk.', 5)).length, 5);
      assert.deepEqual(await dir.search('', 5), []);
    });
  });
});
