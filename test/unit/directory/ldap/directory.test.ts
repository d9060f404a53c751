/** LdapDirectory behaviour that needs no server: configuration errors and input it never sends. */
import assert from 'node:assert/strict';
import type { LdapConfig } from '../../../../src/config/index.js';
import { LdapDirectory } from '../../../../src/directory/ldap/index.js';
import { ConfigError } from '../../../../src/errors.js';

const config: LdapConfig = {
  // Port 9 on loopback: nothing is sent there, since these inputs never reach the network.
  url: 'ldap://127.0.0.1:9',
  bindDn: 'CN=svc,DC=corp,DC=test',
  bindPassword: 'secret',
  baseDn: 'DC=corp,DC=test',
  pageSize: 500,
  timeoutMs: 1000,
  attributes: {
    username: 'sAMAccountName',
    mobile: 'mobile',
    telephone: 'telephoneNumber',
    mail: 'mail',
    manager: 'manager',
    employeeType: 'employeeType',
  },
};

describe('LdapDirectory without a server', () => {
  it('names LDAP_CA_FILE when the CA file cannot be read', () => {
    assert.throws(
      () =>
        new LdapDirectory({ ...config, url: 'ldaps://127.0.0.1:9', caFile: '/nonexistent/ca.pem' }),
      (error: unknown) => error instanceof ConfigError && error.variable === 'LDAP_CA_FILE',
    );
  });

  it('answers input that cannot be a name without contacting the directory', async () => {
    const dir = new LdapDirectory(config);
    assert.deepEqual(await dir.find(''), []);
    assert.deepEqual(await dir.find('a\u0000b'), []);
    assert.deepEqual(await dir.search('   ', 10), []);
    assert.deepEqual(await dir.expandGroup(' '), []);
    assert.equal(await dir.findPerson({}), undefined);
    assert.equal(dir.stats.binds + dir.stats.operations, 0);
    await dir.close();
  });
});
