/**
 * The LDAP connection against a real AD and loopback fault servers: ldaps with LDAP_CA_FILE, the
 * bind name passed as given, one connection re-bound after a drop, and every failure reported as
 * "directory unavailable", never as "not found".
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { LdapConfig } from '../../src/config/index.js';
import { LdapDirectory } from '../../src/directory/ldap/index.js';
import { DirectoryUnavailableError } from '../../src/errors.js';
import { closedPort, startProxy, startSilentServer } from '../support/samba-proxy.js';
import { ldapConfigFor, startSamba, type SambaDc } from '../support/samba.js';

describe('LdapDirectory against Samba AD: connection', function () {
  let dc: SambaDc;

  before(async function () {
    this.timeout(240_000);
    dc = await startSamba();
  });

  /** Runs `body` with a directory built from the DC's config plus overrides, then closes it. */
  const withDirectory = async (
    overrides: Partial<LdapConfig>,
    body: (dir: LdapDirectory) => Promise<void>,
  ): Promise<void> => {
    const dir = new LdapDirectory(ldapConfigFor(dc, overrides));
    try {
      await body(dir);
    } finally {
      await dir.close();
    }
  };

  const unavailable = (error: unknown): boolean => {
    assert.ok(error instanceof DirectoryUnavailableError, `got ${String(error)}`);
    assert.equal(error.directory, 'Active Directory');

    return true;
  };

  it('connects over ldaps, trusting LDAP_CA_FILE', async () => {
    await withDirectory({ url: dc.ldapsUrl, caFile: dc.caFile }, async (dir) => {
      const [r] = await dir.find('c.active');
      assert.equal(r?.id, dc.seeded.users.active);
    });
  });

  it('refuses an ldaps server whose certificate the CA file does not vouch for', async () => {
    await withDirectory({ url: dc.ldapsUrl }, async (dir) => {
      await assert.rejects(dir.find('c.active'), unavailable);
    });
  });

  it('binds with a UPN or DOMAIN\\user exactly as configured', async () => {
    for (const bindDn of [dc.bindUpn, dc.bindDownLevel]) {
      await withDirectory({ bindDn }, async (dir) => {
        await dir.ping();
        assert.equal((await dir.find('c.active')).length, 1);
      });
    }
  });

  it('reports a wrong password as unavailable and never logs or shows the password', async () => {
    const secret = 'Wrong-Secret-Value-42';
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ level: 'trace' }, sink);
    const dir = new LdapDirectory(ldapConfigFor(dc, { bindPassword: secret }), { logger });
    try {
      const error: unknown = await dir.find('c.active').catch((e: unknown) => e);
      unavailable(error);
      assert.ok(!String((error as Error).message).includes(secret));
      assert.ok(lines.length > 0, 'nothing was logged');
      assert.ok(lines.every((l) => !l.includes(secret)));
    } finally {
      await dir.close();
    }
  });

  it('reports a server error (a base DN that does not exist) as unavailable', async () => {
    await withDirectory({ baseDn: `OU=Nowhere,${dc.baseDn}` }, async (dir) => {
      await assert.rejects(dir.find('c.active'), unavailable);
      await assert.rejects(dir.ping(), unavailable);
    });
  });

  it('reports a server that is down as unavailable, for every method', async () => {
    const port = await closedPort();
    await withDirectory({ url: `ldap://127.0.0.1:${port}` }, async (dir) => {
      await assert.rejects(dir.find('c.active'), unavailable);
      await assert.rejects(dir.search('c', 5), unavailable);
      await assert.rejects(dir.expandGroup(dc.seeded.groups.bulk), unavailable);
      await assert.rejects(dir.findPerson({ email: 'cara@contractor.example' }), unavailable);
      await assert.rejects(dir.ping(), unavailable);
    });
  });

  it('reports a server that never answers as unavailable once the timeout passes', async () => {
    const silent = await startSilentServer();
    try {
      for (const url of [`ldap://127.0.0.1:${silent.port}`, `ldaps://127.0.0.1:${silent.port}`]) {
        await withDirectory({ url, caFile: dc.caFile, timeoutMs: 200 }, async (dir) => {
          const started = process.hrtime.bigint();
          await assert.rejects(dir.find('c.active'), unavailable);
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          assert.ok(ms < 2000, `took ${ms} ms`);
        });
      }
    } finally {
      await silent.close();
    }
  });

  it('keeps one connection for many lookups and re-binds after it is dropped', async () => {
    const proxy = await startProxy(389);
    const dir = new LdapDirectory(ldapConfigFor(dc, { url: proxy.url }));
    try {
      const first = await Promise.all(
        ['c.active', 'c.disabled', 'Chris Lee'].map((n) => dir.find(n)),
      );
      assert.deepEqual(
        first.map((r) => r.length),
        [1, 1, 2],
      );
      assert.equal(proxy.connections, 1);
      assert.equal(dir.stats.binds, 1);

      // AD closes idle connections; the next lookups must bind again, once, and still answer.
      proxy.cutAll();
      const again = await Promise.all(['c.active', 'c.expired'].map((n) => dir.find(n)));
      assert.deepEqual(
        again.map((r) => r.length),
        [1, 1],
      );
      assert.equal(proxy.connections, 2);
      assert.equal(dir.stats.binds, 2);

      const members = await dir.expandGroup(dc.seeded.groups.contractors);
      assert.ok(members.length > 0);
    } finally {
      await dir.close();
      await proxy.close();
    }
  });
});
