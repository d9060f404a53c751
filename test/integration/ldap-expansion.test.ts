/**
 * Group and OU expansion against a real AD. Samba, unlike Windows AD, enforces neither the
 * 1000-entry page limit nor the 1500-value `member` limit, so these tests count the pages to
 * prove that a paged search really happens (DESIGN.md, "Test servers").
 */
import assert from 'node:assert/strict';
import { LdapDirectory, type PageInfo } from '../../src/directory/ldap/index.js';
import { BULK_COUNT, ldapConfigFor, startSamba, type SambaDc } from '../support/samba.js';

describe('LdapDirectory against Samba AD: group and OU expansion', function () {
  let dc: SambaDc;

  before(async function () {
    this.timeout(240_000);
    dc = await startSamba();
  });

  /** A directory with the given page size that records every page it fetches. */
  const paged = (pageSize: number): { dir: LdapDirectory; pages: PageInfo[] } => {
    const pages: PageInfo[] = [];
    const dir = new LdapDirectory(ldapConfigFor(dc, { pageSize }), {
      onPage: (p) => pages.push(p),
    });

    return { dir, pages };
  };

  it('expands a 1,200-member group in pages of LDAP_PAGE_SIZE', async () => {
    const { dir, pages } = paged(100);
    try {
      const members = await dir.expandGroup(dc.seeded.groups.bulk);

      assert.equal(members.length, BULK_COUNT);
      assert.equal(new Set(members.map((m) => m.id)).size, BULK_COUNT);
      assert.ok(pages.length >= BULK_COUNT / 100, `only ${pages.length} pages`);
      assert.ok(pages.every((p) => p.entries <= 100));
      assert.equal(dir.stats.pages, pages.length);
    } finally {
      await dir.close();
    }
  });

  it('goes past a 1000-entry page with the largest page size AD allows', async () => {
    const { dir, pages } = paged(1000);
    try {
      const members = await dir.expandGroup(dc.seeded.groups.bulk);

      assert.equal(members.length, BULK_COUNT);
      assert.ok(pages.length >= 2, `only ${pages.length} pages`);
      assert.ok(pages.every((p) => p.entries <= 1000));
    } finally {
      await dir.close();
    }
  });

  it('includes members of nested groups, by DN or by name', async () => {
    const { dir } = paged(3);
    try {
      const expected = [
        'active',
        'disabled',
        'expired',
        'never0',
        'neverMax',
        'landline',
        'otherMobile',
        'otherMail',
        'nested',
        'chris1',
        'chris2',
      ] as const;
      const want = expected.map((k) => dc.seeded.users[k]).sort();

      const byDn = await dir.expandGroup(dc.seeded.groups.contractors);
      assert.deepEqual(byDn.map((r) => r.id).sort(), want);

      const byName = await dir.expandGroup('Contractors');
      assert.deepEqual(byName.map((r) => r.id).sort(), want);

      const projectX = await dir.expandGroup('Contractors-ProjectX');
      assert.deepEqual(
        projectX.map((r) => r.id),
        [dc.seeded.users.nested],
      );
    } finally {
      await dir.close();
    }
  });

  it('expands an OU to every user under it, and full records come back', async () => {
    const { dir, pages } = paged(4);
    try {
      const users = await dir.expandGroup(dc.seeded.ous.contractors);

      assert.equal(users.length, dc.seeded.contractorsOuCount);
      assert.ok(pages.length >= Math.ceil(users.length / 4));
      const active = users.find((u) => u.id === dc.seeded.users.active);
      assert.deepEqual(active?.mobiles, [{ attribute: 'mobile', value: '+44 7400 123456' }]);
    } finally {
      await dir.close();
    }
  });

  it('answers an empty group, an unknown group and an unknown OU with no members', async () => {
    const { dir } = paged(100);
    try {
      assert.deepEqual(await dir.expandGroup(dc.seeded.groups.empty), []);
      assert.deepEqual(await dir.expandGroup('No-Such-Group'), []);
      assert.deepEqual(await dir.expandGroup(`OU=Nowhere,${dc.baseDn}`), []);
    } finally {
      await dir.close();
    }
  });

  it('skips search references from the domain root instead of failing', async () => {
    const { dir, pages } = paged(500);
    try {
      // A subtree search from the domain root makes AD refer to CN=Configuration.
      const members = await dir.expandGroup(dc.seeded.groups.approvers);

      assert.deepEqual(
        members.map((m) => m.id),
        [dc.seeded.users.zoe],
      );
      assert.ok(dir.stats.referencesSkipped > 0, 'the server sent no reference to skip');
      assert.ok(pages.some((p) => p.references > 0));
    } finally {
      await dir.close();
    }
  });
});
