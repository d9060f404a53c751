import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SAMPLE_DIRECTORY_FILE } from '../../../src/config/index.js';
import { FileDirectory } from '../../../src/directory/file/fileDirectory.js';
import { ConfigError } from '../../../src/errors.js';

describe('FileDirectory', () => {
  const dir = new FileDirectory(SAMPLE_DIRECTORY_FILE);

  it('finds by username, UPN, mail, DOMAIN\\user and display name, in any case', async () => {
    for (const id of [
      'jdoe',
      'JDOE',
      'jdoe@corp.example',
      'jdoe@contractorco.example',
      'CORP\\jdoe',
      'john doe',
    ]) {
      const found = await dir.find(id);
      assert.deepEqual(
        found.map((r) => r.username),
        ['jdoe'],
        id,
      );
    }
  });

  it('returns every match when two people share a display name', async () => {
    const found = await dir.find('Chris Lee');
    assert.deepEqual(found.map((r) => r.username).sort(), ['clee', 'clee2']);
  });

  it('finds nobody for hostile text', async () => {
    assert.deepEqual(await dir.find('*'), []);
    assert.deepEqual(await dir.find(')(uid=*'), []);
  });

  it('maps enabled, expiry, manager, phones and mails with their attributes', async () => {
    const [jdoe] = await dir.find('jdoe');
    assert.equal(jdoe?.enabled, true);
    assert.equal(jdoe?.expiresAt?.toISOString(), '2027-06-30T00:00:00.000Z');
    assert.equal(jdoe?.managerId, 'alexw');
    assert.deepEqual(jdoe?.mobiles, [{ attribute: 'mobile', value: '+44 7400 123456' }]);
    const [dgreen] = await dir.find('dgreen');
    assert.equal(dgreen?.enabled, false);
    const [gdesk] = await dir.find('gdesk');
    assert.deepEqual(gdesk?.mobiles, []);
    assert.equal(gdesk?.otherPhones[0]?.attribute, 'telephoneNumber');
  });

  it('checks nested group membership and expands groups', async () => {
    const [jdoe] = await dir.find('jdoe');
    const [hstaff] = await dir.find('hstaff');
    assert.equal(
      await dir.isMember(jdoe!, 'Contractors'),
      true,
      'nested through Contractors-ProjectX',
    );
    assert.equal(await dir.isMember(hstaff!, 'Contractors'), false);
    const members = await dir.expandGroup('Contractors-ProjectX');
    assert.deepEqual(members.map((r) => r.username).sort(), ['jdoe', 'kpatel']);
  });

  it('resolves chat users by AAD object id, UPN or e-mail', async () => {
    const alex = await dir.findPerson({ aadObjectId: '00000000-0000-0000-0000-0000000000020' });
    assert.equal(alex?.username, 'alexw');
    const megan = await dir.findPerson({ email: 'meganb@example.com' });
    assert.equal(megan?.username, 'meganb');
    assert.equal(await dir.findPerson({ email: 'nobody@example.com' }), undefined);
  });

  it('uses DUO_USERNAME_ATTRIBUTE for the Duo username', async () => {
    const byUpn = new FileDirectory(SAMPLE_DIRECTORY_FILE, {
      duoUsernameAttribute: 'userPrincipalName',
    });
    const [jdoe] = await byUpn.find('jdoe');
    assert.equal(jdoe?.duoUsername, 'jdoe@corp.example');
  });

  it('refuses a malformed file naming DIRECTORY_FILE', () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'filedir-'));
    const bad = path.join(tmp, 'bad.json');
    writeFileSync(bad, '{"users": [{"username": 1}]}');
    assert.throws(
      () => new FileDirectory(bad),
      (e: unknown) => e instanceof ConfigError && e.variable === 'DIRECTORY_FILE',
    );
    writeFileSync(bad, 'not json');
    assert.throws(() => new FileDirectory(bad), ConfigError);
  });
});
