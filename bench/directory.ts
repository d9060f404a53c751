/**
 * `npm run bench:directory`: lookups per second through LdapDirectory.find next to raw ldapts
 * searches of the same filter on the same Samba AD, in the same run, and the time to expand the
 * 1,200-member group. Targets (printed, not asserted): backend >= 80% of raw, expansion < 2 s.
 * Needs root and the Samba packages (scripts/ci-install.sh), like the integration tests.
 */
import { Client } from 'ldapts';
import { LdapDirectory } from '../src/directory/ldap/index.js';
import { identifierFilter } from '../src/directory/ldap/filters.js';
import { BINARY_ATTRIBUTES, requestedAttributes } from '../src/directory/ldap/mapping.js';
import { BULK_COUNT, ldapConfigFor, startSamba, stopSamba } from '../test/support/samba.js';

const IDENTIFIERS = ['c.active', 'Chris Lee', 'cara@contractor.example', 'CORP\\c.landline'];
const LOOKUPS = 2000;
const CONCURRENCY = 4;
const ROUNDS = 3;

/** Runs `lookup` LOOKUPS times, CONCURRENCY at a time; returns lookups per second. */
async function rate(lookup: (identifier: string) => Promise<unknown>): Promise<number> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < LOOKUPS) {
      const i = next;
      next += 1;
      await lookup(IDENTIFIERS[i % IDENTIFIERS.length]!);
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  return LOOKUPS / seconds;
}

async function main(): Promise<void> {
  console.log('starting Samba AD (provision + seed)...');
  const dc = await startSamba();
  const config = ldapConfigFor(dc);
  const directory = new LdapDirectory(config);
  const raw = new Client({ url: dc.url, timeout: config.timeoutMs });
  await raw.bind(dc.bindDn, dc.bindPassword);

  const attributes = requestedAttributes({
    attributes: config.attributes,
    duoUsernameAttribute: 'sAMAccountName',
  });
  const rawLookup = async (identifier: string): Promise<unknown> => {
    const filter = identifierFilter(identifier, config.attributes);
    const options = { scope: 'sub' as const, filter, attributes, sizeLimit: 50 };

    return raw.search(config.baseDn, { ...options, explicitBufferAttributes: BINARY_ATTRIBUTES });
  };
  const backendLookup = (identifier: string): Promise<unknown> => directory.find(identifier);

  // Warm both paths, then alternate so neither gets the quieter half of the run.
  await rate(rawLookup);
  await rate(backendLookup);
  let bestRaw = 0;
  let bestBackend = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    bestRaw = Math.max(bestRaw, await rate(rawLookup));
    bestBackend = Math.max(bestBackend, await rate(backendLookup));
  }

  const expansions: { pageSize: number; ms: number; members: number }[] = [];
  for (const pageSize of [config.pageSize, 1000]) {
    const dir = new LdapDirectory({ ...config, pageSize });
    const started = process.hrtime.bigint();
    const members = await dir.expandGroup(dc.seeded.groups.bulk);
    expansions.push({
      pageSize,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
      members: members.length,
    });
    await dir.close();
  }

  const share = (100 * bestBackend) / bestRaw;
  console.log(`\nlookups (${LOOKUPS} x ${ROUNDS} rounds, ${CONCURRENCY} concurrent, best round):`);
  console.log(`  raw ldapts search      ${bestRaw.toFixed(0).padStart(7)} /s`);
  console.log(
    `  LdapDirectory.find     ${bestBackend.toFixed(0).padStart(7)} /s  (${share.toFixed(1)}% of raw, target >= 80%)`,
  );
  for (const e of expansions) {
    console.log(
      `expand ${BULK_COUNT}-member group, page size ${e.pageSize}: ${e.ms.toFixed(0)} ms, ` +
        `${e.members} members (target < 2000 ms)`,
    );
  }

  await directory.close();
  await raw.unbind();
  await stopSamba();
}

main().catch(async (error: unknown) => {
  console.error(error);
  await stopSamba();
  process.exitCode = 1;
});
