/**
 * createDirectory from real configuration: DIRECTORY=graph against the Graph fake, and
 * DIRECTORY=ldap,graph with Active Directory unreachable, answered by Entra ID with a warning.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { loadConfig } from '../../src/config/index.js';
import type { DirectoryWarning } from '../../src/directory/chain.js';
import { createDirectory } from '../../src/directory/create.js';
import { GraphFake, IDS, fakeCredential } from '../support/graphFake.js';

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));

  return port;
}

describe('createDirectory with Entra ID', () => {
  let fake: GraphFake;
  const graphEnv = () => ({
    GRAPH_TENANT_ID: 'tenant-id',
    GRAPH_CLIENT_ID: 'client-id',
    GRAPH_CLIENT_SECRET: 'client-secret-never-logged',
    GRAPH_BASE_URL: fake.baseUrl,
  });

  before(async () => {
    fake = await GraphFake.start();
  });
  after(() => fake.close());

  it('builds the Graph backend from GRAPH_* and maps sAMAccountName for Duo', async () => {
    const config = loadConfig({
      DIRECTORY: 'graph',
      ...graphEnv(),
      CONTRACTOR_GROUP: IDS.contractors,
      APPROVER_GROUP: IDS.approvers,
      DUO_USERNAME_ATTRIBUTE: 'sAMAccountName',
    });
    const directory = await createDirectory(config, { graphCredential: fakeCredential() });

    const [dana] = await directory.find('dana.contractor@contoso.example');

    assert.equal(directory.name, 'Entra ID');
    assert.ok(dana);
    assert.equal(dana.duoUsername, 'dcontractor');
    assert.equal(await directory.isMember(dana, config.contractorGroup), true);
    assert.equal(await directory.isMember(dana, config.approverGroup), false);
    await directory.close();
  });

  it('answers from Entra ID with a warning when Active Directory is unreachable', async () => {
    const config = loadConfig({
      DIRECTORY: 'ldap,graph',
      LDAP_URL: `ldap://127.0.0.1:${await closedPort()}`,
      LDAP_BIND_DN: 'CN=svc,DC=corp,DC=example',
      LDAP_BIND_PASSWORD: 'ldap-password',
      LDAP_BASE_DN: 'DC=corp,DC=example',
      LDAP_TIMEOUT_MS: '2000',
      ...graphEnv(),
      CONTRACTOR_GROUP: `CN=Contractors,DC=corp,DC=example;${IDS.contractors}`,
      APPROVER_GROUP: `CN=Approvers,DC=corp,DC=example;${IDS.approvers}`,
    });
    const warnings: DirectoryWarning[] = [];
    const directory = await createDirectory(config, {
      graphCredential: fakeCredential(),
      onWarning: (w) => warnings.push(w),
    });

    const answer = await directory.lookup("Aoife O'Brien");

    assert.equal(directory.name, 'Active Directory, then Entra ID');
    assert.equal(answer.answeredBy, 'Entra ID');
    assert.deepEqual(answer.unavailable, ['Active Directory']);
    assert.equal(warnings[0]?.directory, 'Active Directory');
    const [aoife] = answer.records;
    assert.ok(aoife);
    assert.equal(await directory.isMember(aoife, config.contractorGroup), true);
    await directory.close().catch(() => undefined);
  });
});
