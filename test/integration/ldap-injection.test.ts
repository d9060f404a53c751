/**
 * Hostile input against a real AD: filter metacharacters, NUL and non-ASCII typed by a user must
 * match literally or not at all, in every method that takes text.
 */
import assert from 'node:assert/strict';
import { LdapDirectory } from '../../src/directory/ldap/index.js';
import { ldapConfigFor, startSamba, type SambaDc } from '../support/samba.js';

describe('LdapDirectory against Samba AD: hostile input', function () {
  let dc: SambaDc;
  let dir: LdapDirectory;

  before(async function () {
    this.timeout(240_000);
    dc = await startSamba();
    dir = new LdapDirectory(ldapConfigFor(dc));
  });

  after(async () => {
    await dir?.close();
  });

  const ids = async (identifier: string): Promise<string[]> =>
    (await dir.find(identifier)).map((r) => r.id);

  it('finds nothing for wildcards and filter fragments', async () => {
    for (const attack of [
      '*',
      '**',
      'c.*',
      '*active',
      ')(objectClass=*',
      '*)(sAMAccountName=*',
      'x)(|(sAMAccountName=*)',
      '*)(|(objectClass=*))(cn=*',
      '\\2a',
      '\\',
      '\\\\',
      '(',
      ')',
    ]) {
      assert.deepEqual(await ids(attack), [], `input ${JSON.stringify(attack)} matched`);
    }
  });

  it('finds nothing for text containing NUL (Samba would cut the value there)', async () => {
    assert.deepEqual(await ids('c.active\u0000'), []);
    assert.deepEqual(await ids('c.active\u0000*'), []);
    assert.deepEqual(await ids('\u0000'), []);
  });

  it('matches names containing metacharacters exactly, and only them', async () => {
    assert.deepEqual(await ids('Star * Person'), [dc.seeded.users.star]);
    assert.deepEqual(await ids('Star *'), []);
    assert.deepEqual(await ids('Pat (ops) Jones'), [dc.seeded.users.parens]);
    assert.deepEqual(await ids('Pat (ops'), []);
    assert.deepEqual(await ids('Back\\slash Ann'), [dc.seeded.users.backslash]);
  });

  it('matches non-ASCII literally', async () => {
    assert.deepEqual(await ids('Zoë Ødegård'), [dc.seeded.users.zoe]);
    assert.deepEqual(await ids('Zoe Odegard'), []);
    assert.deepEqual(await ids('Zo\u00eb \u00d8deg\u00e5rd\u0000'), []);
  });

  it('treats type-ahead text literally', async () => {
    const prefix = async (text: string): Promise<string[]> =>
      (await dir.search(text, 20)).map((r) => r.id);
    assert.deepEqual(await prefix('*'), []);
    assert.deepEqual(await prefix(')(objectClass=*'), []);
    assert.deepEqual(await prefix('Star *'), [dc.seeded.users.star]);
    assert.deepEqual(await prefix('Pat ('), [dc.seeded.users.parens]);
    assert.deepEqual(await prefix('Back\\'), [dc.seeded.users.backslash]);
  });

  it('treats group names and identities literally', async () => {
    const [active] = await dir.find('c.active');
    assert.ok(active);
    assert.equal(await dir.isMember(active, '*'), false);
    assert.equal(await dir.isMember(active, 'Contractors)(cn=*'), false);
    assert.deepEqual(await dir.expandGroup('*'), []);
    assert.deepEqual(await dir.expandGroup('Bulk*'), []);
    assert.deepEqual(await dir.expandGroup('CN=*,OU=(x),DC=corp,DC=test'), []);
    assert.deepEqual(await dir.expandGroup('CN=a,DC=b\\'), []);
    assert.equal(await dir.isMember(active, 'CN=*,OU=Groups,DC=corp,DC=test'), false);
    assert.equal(await dir.findPerson({ email: '*' }), undefined);
    assert.equal(await dir.findPerson({ userPrincipalName: '*)(mail=*' }), undefined);
  });
});
