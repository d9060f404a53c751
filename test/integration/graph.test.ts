/**
 * The Entra ID backend against the local HTTPS Graph fake: lookups, mapping, membership, expansion
 * and the exact URLs that go on the wire for guest UPNs, apostrophes and injection attempts.
 */
import assert from 'node:assert/strict';
import {
  GraphDirectory,
  type GraphDirectoryOptions,
} from '../../src/directory/graph/graphDirectory.js';
import { ConfigError } from '../../src/errors.js';
import {
  FAKE_TOKEN,
  GUEST_UPN,
  GraphFake,
  IDS,
  TEMP_COUNT,
  fakeCredential,
  graphConfigFor,
} from '../support/graphFake.js';

/** The backend against a fake, with an injected credential and no real waiting. */
function graphFor(fake: GraphFake, options: GraphDirectoryOptions = {}): GraphDirectory {
  const retry = { sleep: async () => undefined, ...options.retry };

  return new GraphDirectory(graphConfigFor(fake), {
    credential: fakeCredential(),
    ...options,
    retry,
  });
}

describe('GraphDirectory against the Graph fake', () => {
  let fake: GraphFake;
  let graph: GraphDirectory;

  before(async () => {
    fake = await GraphFake.start();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    graph = graphFor(fake);
  });
  after(() => fake.close());

  const only = (records: { id: string }[]) => records.map((r) => r.id);

  describe('find', () => {
    it('maps a synced contractor from Graph properties', async () => {
      const [dana, more] = await graph.find('dana.contractor@contoso.example');

      assert.equal(more, undefined);
      assert.ok(dana);
      assert.equal(dana.source, 'graph');
      assert.equal(dana.id, IDS.contractor);
      assert.equal(dana.username, 'dcontractor');
      assert.equal(dana.userPrincipalName, 'dana.contractor@contoso.example');
      assert.equal(dana.duoUsername, 'dana.contractor@contoso.example');
      assert.equal(dana.displayName, 'Dana Contractor');
      assert.equal(dana.enabled, true);
      assert.equal(dana.employeeType, 'Contractor');
      assert.deepEqual(dana.mobiles, [{ attribute: 'mobilePhone', value: '+44 7400 123456' }]);
      assert.deepEqual(dana.emails, [
        { attribute: 'mail', value: 'dana@danaconsulting.example' },
        { attribute: 'otherMails', value: 'dana.personal@mail.example' },
      ]);
      assert.deepEqual(dana.otherPhones, []);
      assert.equal(dana.managerId, IDS.manager);
      assert.deepEqual(dana.raw.accountEnabled, ['true']);
      assert.deepEqual(dana.raw.businessPhones, []);
      assert.deepEqual(dana.raw.externalUserState, []);
    });

    it('sends $select with every property it maps, as an advanced query, with the token', async () => {
      await graph.find('dana.contractor@contoso.example');

      const list = fake.requests.find((r) => r.path === '/v1.0/users');
      assert.ok(list);
      const selected = list.query.$select?.split(',') ?? [];
      for (const p of ['accountEnabled', 'employeeType', 'userType', 'otherMails', 'mobilePhone']) {
        assert.ok(selected.includes(p), `$select lacks ${p}`);
      }
      assert.equal(list.headers.consistencylevel, 'eventual');
      assert.equal(list.query.$count, 'true');
      assert.ok(fake.requests.every((r) => r.headers.authorization === `Bearer ${FAKE_TOKEN}`));
    });

    it('selects the configured Duo username attribute and uses it', async () => {
      graph = graphFor(fake, { duoUsernameAttribute: 'onPremisesSamAccountName' });

      const [dana] = await graph.find('Dana Contractor');

      assert.equal(dana?.duoUsername, 'dcontractor');
    });

    it('refuses a Duo username attribute that is not a property name', () => {
      assert.throws(() => graphFor(fake, { duoUsernameAttribute: 'mail,id&$x=1' }), ConfigError);
    });

    it('finds by mail, other mail, object id, display name, logon name and DOMAIN\\user', async () => {
      assert.deepEqual(only(await graph.find('dana@danaconsulting.example')), [IDS.contractor]);
      assert.deepEqual(only(await graph.find('dana.personal@mail.example')), [IDS.contractor]);
      assert.deepEqual(only(await graph.find(IDS.contractor)), [IDS.contractor]);
      assert.deepEqual(only(await graph.find('Dana Contractor')), [IDS.contractor]);
      assert.deepEqual(only(await graph.find('dcontractor')), [IDS.contractor]);
      assert.deepEqual(only(await graph.find('CONTOSO\\dcontractor')), [IDS.contractor]);
      assert.deepEqual(only(await graph.find('sam.desk')), [IDS.deskOnly]);
    });

    it('looks an object id up by path and answers [] on 404', async () => {
      assert.deepEqual(await graph.find('00000000-0000-4000-8000-000000000000'), []);

      assert.equal(fake.requests[0]?.path, '/v1.0/users/00000000-0000-4000-8000-000000000000');
    });

    it('finds a B2B guest by its #EXT# UPN, encoded on the wire', async () => {
      const [guest] = await graph.find(GUEST_UPN);

      assert.equal(guest?.id, IDS.guest);
      assert.equal(guest?.employeeType, 'Guest');
      assert.equal(guest?.username, 'jdoe_contractorco.example#EXT#');
      assert.deepEqual(guest?.emails, [{ attribute: 'mail', value: 'jdoe@contractorco.example' }]);
      const raw = fake.requests[0]?.rawUrl ?? '';
      assert.ok(
        raw.includes('%27jdoe_contractorco.example%23EXT%23%40tenant.onmicrosoft.com%27'),
        raw,
      );
      assert.ok(!raw.includes('#'));
    });

    it("finds Aoife O'Brien by name and UPN with the quote doubled and the URL encoded", async () => {
      assert.deepEqual(only(await graph.find("Aoife O'Brien")), [IDS.obrien]);
      assert.ok(fake.requests[0]?.rawUrl.includes('displayName%20eq%20%27Aoife%20O%27%27Brien%27'));

      assert.deepEqual(only(await graph.find("aoife.o'brien@contoso.example")), [IDS.obrien]);
    });

    it('encodes a + in an address instead of letting Graph read a space', async () => {
      assert.deepEqual(only(await graph.find('sam+contract@contractorco.example')), [IDS.deskOnly]);

      assert.ok(fake.requests[0]?.rawUrl.includes('sam%2Bcontract%40contractorco.example'));
    });

    it('returns every match when two people share a name', async () => {
      const records = await graph.find('Chris Lee');

      assert.deepEqual(only(records).sort(), [IDS.chrisLee1, IDS.chrisLee2]);
    });

    it('finds nothing for OData injection attempts', async () => {
      for (const attempt of [
        "' or 1 eq 1",
        "x' or 1 eq 1 or displayName eq 'y",
        "Chris Lee' or startswith(displayName,'",
        "nobody@x.example') or (1 eq 1",
      ]) {
        assert.deepEqual(await graph.find(attempt), [], attempt);
      }
    });

    it('reports a disabled account as not enabled', async () => {
      const [pat] = await graph.find('pat.former@contoso.example');

      assert.equal(pat?.enabled, false);
    });

    it('never offers businessPhones for SMS', async () => {
      const [sam] = await graph.find('sam.desk@contoso.example');

      assert.deepEqual(sam?.mobiles, []);
      assert.deepEqual(sam?.otherPhones, [
        { attribute: 'businessPhones', value: '+44 121 234 5678' },
      ]);
    });

    it('leaves the manager empty when /manager answers 404', async () => {
      const [morgan] = await graph.find('morgan.manager@contoso.example');

      assert.equal(morgan?.managerId, undefined);
      const manager = fake.requestsTo(`/users/${IDS.manager}/manager`);
      assert.equal(manager.length, 1);
    });
  });

  describe('findPerson', () => {
    it('resolves a Teams user by AAD object id, then UPN, and a Slack user by e-mail', async () => {
      assert.equal((await graph.findPerson({ aadObjectId: IDS.manager }))?.id, IDS.manager);
      assert.equal(
        (await graph.findPerson({ userPrincipalName: 'chris.lee2@contoso.example' }))?.id,
        IDS.chrisLee2,
      );
      assert.equal((await graph.findPerson({ email: 'jdoe@contractorco.example' }))?.id, IDS.guest);
      assert.equal(
        (
          await graph.findPerson({
            aadObjectId: '00000000-0000-4000-8000-000000000000',
            userPrincipalName: GUEST_UPN,
          })
        )?.id,
        IDS.guest,
      );
    });

    it('answers undefined when nobody matches', async () => {
      assert.equal(await graph.findPerson({ email: 'stranger@elsewhere.example' }), undefined);
      assert.equal(await graph.findPerson({}), undefined);
    });
  });

  describe('isMember', () => {
    it('sees membership through nested groups with checkMemberGroups', async () => {
      const [dana] = await graph.find(IDS.contractor);
      const [morgan] = await graph.find(IDS.manager);
      assert.ok(dana && morgan);

      assert.equal(await graph.isMember(dana, IDS.contractors), true);
      assert.equal(await graph.isMember(morgan, IDS.contractors), false);
      assert.equal(await graph.isMember(morgan, IDS.approvers), true);
      const check = fake.requestsTo('/checkMemberGroups')[0];
      assert.equal(check?.method, 'POST');
      assert.deepEqual(check?.body, { groupIds: [IDS.contractors] });
    });

    it('refuses a group that is not an object id, and records from other directories', async () => {
      const [dana] = await graph.find(IDS.contractor);
      assert.ok(dana);

      await assert.rejects(graph.isMember(dana, 'CN=Contractors,DC=corp'), /object id/);
      assert.equal(await graph.isMember({ ...dana, source: 'ldap' }, IDS.contractors), false);
    });
  });

  describe('expandGroup', () => {
    it('lists users of nested groups, not the groups themselves', async () => {
      const records = await graph.expandGroup(IDS.contractors);

      assert.deepEqual(only(records).sort(), [IDS.contractor, IDS.guest, IDS.obrien].sort());
    });

    it('follows @odata.nextLink, re-sending ConsistencyLevel on every page', async () => {
      graph = graphFor(fake, { pageSize: 10 });

      const records = await graph.expandGroup('Temps');

      assert.equal(records.length, TEMP_COUNT);
      assert.equal(new Set(only(records)).size, TEMP_COUNT);
      const pages = fake.requestsTo('/transitiveMembers/microsoft.graph.user');
      assert.equal(pages.length, 3);
      assert.ok(pages.every((p) => p.headers.consistencylevel === 'eventual'));
      assert.ok(pages[1]?.query.$skiptoken);
    });

    it('answers [] for an unknown group id or name', async () => {
      assert.deepEqual(await graph.expandGroup('00000000-0000-4000-8000-000000000000'), []);
      assert.deepEqual(await graph.expandGroup('No Such Group'), []);
    });
  });

  describe('search and ping', () => {
    it('returns at most `limit` records whose name or UPN starts with the text', async () => {
      const temps = await graph.search('Temp', 5);
      assert.equal(temps.length, 5);

      const chris = await graph.search('chris', 10);
      assert.deepEqual(only(chris).sort(), [IDS.chrisLee1, IDS.chrisLee2]);
    });

    it('pings with one cheap request', async () => {
      await graph.ping();

      assert.equal(fake.requests.length, 1);
      assert.equal(fake.requests[0]?.query.$top, '1');
    });
  });

  describe('the fake itself behaves like Graph', () => {
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${fake.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${FAKE_TOKEN}`, ...headers },
      });

    it('returns only the default properties without $select', async () => {
      const body = (await (await get(`/v1.0/users/${IDS.contractor}`)).json()) as object;

      assert.ok(!('accountEnabled' in body));
      assert.ok('mobilePhone' in body);
    });

    it('rejects an advanced query without ConsistencyLevel', async () => {
      const res = await get("/v1.0/users?$filter=onPremisesSamAccountName%20eq%20'dcontractor'");
      const body = (await res.json()) as { error: { code: string } };

      assert.equal(res.status, 400);
      assert.equal(body.error.code, 'Request_UnsupportedQuery');
    });

    it('would be fooled by an unescaped injection (so the escaping test means something)', async () => {
      const filter = encodeURIComponent("displayName eq 'x' or 1 eq 1");
      const body = (await (await get(`/v1.0/users?$filter=${filter}&$top=999`)).json()) as {
        value: unknown[];
      };

      assert.equal(body.value.length, fake.users.size);
    });
  });
});
