/**
 * The combined directory over in-memory fakes: order, fall-through, which directory answered,
 * unavailability as a warning or a failure, and membership checked where the record came from.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { ChainDirectory, type DirectoryWarning } from '../../../src/directory/chain.js';
import type {
  Directory,
  DirectoryRecord,
  DirectorySource,
  PersonIdentity,
} from '../../../src/directory/types.js';
import { DirectoryUnavailableError, EnrolBotError } from '../../../src/errors.js';

function record(source: DirectorySource, username: string): DirectoryRecord {
  return {
    source,
    id: `${source}:${username}`,
    username,
    displayName: username,
    duoUsername: username,
    enabled: true,
    emails: [],
    mobiles: [],
    otherPhones: [],
    raw: {},
  };
}

/** An in-memory directory; `down` makes every call fail as unreachable. */
class MemoryDirectory implements Directory {
  down = false;
  readonly memberships = new Map<string, Set<string>>();
  readonly calls: string[] = [];
  closed = false;

  constructor(
    readonly name: string,
    readonly records: DirectoryRecord[],
    readonly groups: Record<string, DirectoryRecord[]> = {},
  ) {}

  private check(call: string): void {
    this.calls.push(call);
    if (this.down) throw new DirectoryUnavailableError(this.name, `${this.name} is down`);
  }

  async find(identifier: string): Promise<DirectoryRecord[]> {
    this.check('find');
    return this.records.filter((r) => r.username === identifier || r.displayName === identifier);
  }

  async findPerson(identity: PersonIdentity): Promise<DirectoryRecord | undefined> {
    this.check('findPerson');
    return this.records.find((r) => r.userPrincipalName === identity.userPrincipalName);
  }

  async isMember(r: DirectoryRecord, groupId: string): Promise<boolean> {
    this.check(`isMember ${groupId}`);
    return this.memberships.get(groupId)?.has(r.id) ?? false;
  }

  async expandGroup(group: string): Promise<DirectoryRecord[]> {
    this.check('expandGroup');
    return this.groups[group] ?? [];
  }

  async search(prefix: string, limit: number): Promise<DirectoryRecord[]> {
    this.check('search');
    return this.records.filter((r) => r.displayName.startsWith(prefix)).slice(0, limit);
  }

  async ping(): Promise<void> {
    this.check('ping');
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

describe('ChainDirectory', () => {
  let ad: MemoryDirectory;
  let entra: MemoryDirectory;
  let warnings: DirectoryWarning[];
  let chain: ChainDirectory;

  beforeEach(() => {
    const jdoeAd = { ...record('ldap', 'jdoe'), userPrincipalName: 'jdoe@corp.example' };
    ad = new MemoryDirectory('Active Directory', [jdoeAd, record('ldap', 'Chris Lee')], {
      'AD Contractors': [jdoeAd],
    });
    entra = new MemoryDirectory(
      'Entra ID',
      [
        { ...record('graph', 'jdoe'), userPrincipalName: 'jdoe@corp.example' },
        record('graph', 'guest'),
        record('graph', 'Chris Lee'),
      ],
      { 'Cloud Contractors': [record('graph', 'guest')] },
    );
    warnings = [];
    chain = new ChainDirectory(
      [
        { source: 'ldap', directory: ad },
        { source: 'graph', directory: entra },
      ],
      { onWarning: (w) => warnings.push(w) },
    );
  });

  describe('find', () => {
    it('answers from the first directory that knows the person, and says which', async () => {
      const answer = await chain.lookup('jdoe');

      assert.deepEqual(
        answer.records.map((r) => r.source),
        ['ldap'],
      );
      assert.equal(answer.answeredBy, 'Active Directory');
      assert.deepEqual(answer.unavailable, []);
      assert.deepEqual(entra.calls, []);
    });

    it('asks the next directory when the first finds nobody', async () => {
      const answer = await chain.lookup('guest');

      assert.deepEqual(
        answer.records.map((r) => r.id),
        ['graph:guest'],
      );
      assert.equal(answer.answeredBy, 'Entra ID');
      assert.equal(chain.nameOf(answer.records[0]?.source ?? 'file'), 'Entra ID');
    });

    it('returns every match of the answering directory, never picking one', async () => {
      const records = await chain.find('Chris Lee');

      assert.equal(records.length, 1);
      assert.equal(records[0]?.source, 'ldap');
    });

    it('falls through an unreachable directory with a warning', async () => {
      ad.down = true;

      const answer = await chain.lookup('jdoe');

      assert.equal(answer.records[0]?.source, 'graph');
      assert.deepEqual(answer.unavailable, ['Active Directory']);
      assert.equal(warnings.length, 1);
      assert.equal(warnings[0]?.directory, 'Active Directory');
      assert.equal(warnings[0]?.operation, 'find');
      assert.ok(warnings[0]?.error instanceof DirectoryUnavailableError);
    });

    it('says nobody was found, with a warning, when one answered and one was down', async () => {
      entra.down = true;

      const answer = await chain.lookup('nobody');

      assert.deepEqual(answer.records, []);
      assert.deepEqual(answer.unavailable, ['Entra ID']);
      assert.equal(warnings.length, 1);
    });

    it('fails as unavailable when every directory is down', async () => {
      ad.down = true;
      entra.down = true;

      await assert.rejects(
        chain.find('jdoe'),
        (e: unknown) =>
          e instanceof DirectoryUnavailableError && /Active Directory.*Entra ID/.test(e.message),
      );
      assert.equal(warnings.length, 0);
    });

    it('rethrows the one backend error unchanged in a chain of one', async () => {
      const single = new ChainDirectory([{ source: 'graph', directory: entra }]);
      entra.down = true;

      await assert.rejects(
        single.find('x'),
        (e: unknown) => (e as Error).message === 'Entra ID is down',
      );
    });

    it('does not hide programming errors as unavailability', async () => {
      sinon.stub(ad, 'find').rejects(new TypeError('bug'));

      await assert.rejects(chain.find('jdoe'), TypeError);
    });
  });

  describe('findPerson', () => {
    it('resolves through the first directory that knows the person', async () => {
      ad.down = true;

      const person = await chain.findPerson({ userPrincipalName: 'jdoe@corp.example' });

      assert.equal(person?.source, 'graph');
      assert.equal(warnings.length, 1);
    });

    it('answers undefined when nobody matches', async () => {
      assert.equal(await chain.findPerson({ userPrincipalName: 'x@y.example' }), undefined);
    });
  });

  describe('isMember', () => {
    it("asks the directory the record came from, with that directory's group", async () => {
      const [adJdoe] = await ad.find('jdoe');
      const [guest] = await entra.find('guest');
      assert.ok(adJdoe && guest);
      ad.memberships.set('CN=Contractors,DC=corp', new Set([adJdoe.id]));
      entra.memberships.set('group-object-id', new Set([guest.id]));
      const groups = { ldap: 'CN=Contractors,DC=corp', graph: 'group-object-id' };

      assert.equal(await chain.isMember(adJdoe, groups), true);
      assert.equal(await chain.isMember(guest, groups), true);
      assert.deepEqual(ad.calls.at(-1), 'isMember CN=Contractors,DC=corp');
      assert.deepEqual(entra.calls.at(-1), 'isMember group-object-id');
    });

    it("splits a ';' string in directory order", async () => {
      const [guest] = await entra.find('guest');
      assert.ok(guest);
      entra.memberships.set('group-object-id', new Set([guest.id]));

      assert.equal(await chain.isMember(guest, 'CN=Contractors,DC=corp;group-object-id'), true);
      assert.equal(entra.calls.at(-1), 'isMember group-object-id');
    });

    it('uses a single string as the group of whichever directory the record is from', async () => {
      const [guest] = await entra.find('guest');
      assert.ok(guest);
      entra.memberships.set('group-object-id', new Set([guest.id]));

      assert.equal(await chain.isMember(guest, 'group-object-id'), true);
    });

    it('is false when no group is configured for that directory or the source is unknown', async () => {
      const [guest] = await entra.find('guest');
      assert.ok(guest);

      assert.equal(await chain.isMember(guest, { ldap: 'CN=Contractors,DC=corp' }), false);
      assert.equal(await chain.isMember({ ...guest, source: 'file' }, 'Contractors'), false);
      assert.deepEqual(entra.calls, ['find']);
    });

    it('refuses a string with the wrong number of parts', async () => {
      const [guest] = await entra.find('guest');
      assert.ok(guest);

      await assert.rejects(chain.isMember(guest, 'a;b;c'), EnrolBotError);
    });

    it("does not fall back to another directory when the record's own is down", async () => {
      const [guest] = await entra.find('guest');
      assert.ok(guest);
      entra.down = true;

      await assert.rejects(chain.isMember(guest, { graph: 'g' }), DirectoryUnavailableError);
      assert.deepEqual(ad.calls, []);
    });
  });

  describe('expandGroup, search, ping and close', () => {
    it('expands the group in the first directory that has it', async () => {
      assert.deepEqual(
        (await chain.expandGroup('Cloud Contractors')).map((r) => r.id),
        ['graph:guest'],
      );
      assert.deepEqual(
        (await chain.expandGroup('AD Contractors')).map((r) => r.id),
        ['ldap:jdoe'],
      );
    });

    it('searches every reachable directory up to the limit', async () => {
      assert.equal((await chain.search('Chris', 10)).length, 2);
      assert.equal((await chain.search('', 3)).length, 3);

      ad.down = true;
      assert.equal((await chain.search('Chris', 10)).length, 1);
      assert.equal(warnings[0]?.operation, 'search');

      entra.down = true;
      await assert.rejects(chain.search('Chris', 10), DirectoryUnavailableError);
    });

    it('pings every directory and names each one that failed', async () => {
      await chain.ping();

      entra.down = true;
      await assert.rejects(chain.ping(), /Entra ID: Entra ID is down/);
      const health = await chain.pingEach();
      assert.deepEqual(
        health.map((h) => [h.name, h.error === undefined]),
        [
          ['Active Directory', true],
          ['Entra ID', false],
        ],
      );
    });

    it('closes every directory and names the chain in order', async () => {
      await chain.close();

      assert.ok(ad.closed && entra.closed);
      assert.equal(chain.name, 'Active Directory, then Entra ID');
    });
  });
});
