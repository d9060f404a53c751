/** The AD entry mapper: pure rules for enabled, expiry, destinations and odd value shapes. */
import assert from 'node:assert/strict';
import type { Entry } from 'ldapts';
import type { LdapAttributes } from '../../../../src/config/index.js';
import {
  expiryDate,
  guidText,
  isEnabled,
  requestedAttributes,
  toFiletime,
  toRecord,
} from '../../../../src/directory/ldap/mapping.js';

const attributes: LdapAttributes = {
  username: 'sAMAccountName',
  mobile: 'mobile',
  otherMobile: 'otherMobile',
  telephone: 'telephoneNumber',
  mail: 'mail',
  otherMail: 'otherMailbox',
  manager: 'manager',
  employeeType: 'employeeType',
};
const options = { attributes, duoUsernameAttribute: 'sAMAccountName' };

describe('ldap mapping', () => {
  it('reads only bit 0x2 of userAccountControl', () => {
    assert.equal(isEnabled('512'), true);
    assert.equal(isEnabled('514'), false);
    assert.equal(isEnabled('66050'), false);
    assert.equal(isEnabled('66048'), true);
    assert.equal(isEnabled('544'), true);
    assert.equal(isEnabled(undefined), true);
  });

  it('reads accountExpires with BigInt: 0 and 2^63-1 mean never', () => {
    assert.equal(expiryDate('0'), undefined);
    assert.equal(expiryDate('9223372036854775807'), undefined);
    assert.equal(expiryDate(undefined), undefined);
    assert.equal(expiryDate('not a number'), undefined);
    const date = new Date('2030-06-01T12:00:00Z');
    assert.deepEqual(expiryDate(toFiletime(date)), date);
    assert.equal(toFiletime(new Date('1970-01-01T00:00:00Z')), '116444736000000000');
  });

  it('formats objectGUID with its little-endian first groups', () => {
    const bytes = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    assert.equal(guidText(bytes), '33221100-5544-7766-8899-aabbccddeeff');
  });

  it('requests each configured attribute once and skips disabled fallbacks', () => {
    const names = requestedAttributes({
      attributes: { ...attributes, otherMail: undefined, otherMobile: undefined },
      duoUsernameAttribute: 'sAMAccountName',
    });
    assert.equal(new Set(names).size, names.length);
    assert.ok(!names.includes('otherMailbox'));
    assert.ok(!names.includes('otherMobile'));
  });

  it('maps single and multiple values, any key casing, and Buffers, to strings', () => {
    const entry: Entry = {
      dn: 'CN=Zo\u00eb \u00d8deg\u00e5rd,OU=Staff,DC=corp,DC=test',
      samaccountname: 'zodegard',
      displayName: 'Zo\u00eb \u00d8deg\u00e5rd',
      mobile: [],
      otherMobile: ['+44 7400 123459', '+44 7400 123460'],
      telephoneNumber: '+44 121 234 5678',
      manager: Buffer.from('CN=Smith\\, Jane,OU=Staff,DC=corp,DC=test', 'utf8'),
      mail: 'zoe@corp.test',
      otherMailbox: 'zoe@home.example',
      userAccountControl: '514',
      objectGUID: Buffer.alloc(16, 1),
      junk: Buffer.from([0xff, 0xfe]),
    };
    const r = toRecord(entry, options);

    assert.equal(r.id, entry.dn);
    assert.equal(r.username, 'zodegard');
    assert.equal(r.duoUsername, 'zodegard');
    assert.equal(r.enabled, false);
    assert.equal(r.managerId, 'CN=Smith\\, Jane,OU=Staff,DC=corp,DC=test');
    assert.deepEqual(r.mobiles, [
      { attribute: 'otherMobile', value: '+44 7400 123459' },
      { attribute: 'otherMobile', value: '+44 7400 123460' },
    ]);
    assert.deepEqual(r.otherPhones, [{ attribute: 'telephoneNumber', value: '+44 121 234 5678' }]);
    assert.deepEqual(
      r.emails.map((e) => e.attribute),
      ['mail', 'otherMailbox'],
    );
    assert.deepEqual(r.raw['junk'], ['//4=']);
    assert.equal(r.raw['mobile'], undefined);
    assert.ok(
      Object.values(r.raw)
        .flat()
        .every((v) => typeof v === 'string'),
    );
  });

  it('falls back from displayName to cn to the logon name', () => {
    assert.equal(toRecord({ dn: 'CN=x', cn: 'Common' }, options).displayName, 'Common');
    assert.equal(toRecord({ dn: 'CN=x', sAMAccountName: 'logon' }, options).displayName, 'logon');
  });
});
