/**
 * One Samba AD domain controller for the whole test run (DESIGN.md, "Test servers"): provisioned
 * into a fresh temp dir, listening on loopback only, seeded with one LDIF, stopped when the
 * process exits. Samba needs root and the fixed ports 389/636/88, hence one DC per run.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'ldapts';
import type { LdapConfig } from '../../src/config/index.js';
import { DOMAIN, SERVICE_ACCOUNT, seedLdif, seededDns, type SeededDns } from './samba-seed.js';
import { checkPortFree, checkPrerequisites, withGlobals } from './samba-host.js';
import { makeTlsFiles } from './samba-tls.js';

export { BULK_COUNT, DOMAIN, FUTURE_EXPIRY, PAST_EXPIRY, SERVICE_ACCOUNT } from './samba-seed.js';

const run = promisify(execFile);

/** Connection facts and seeded DNs of the running DC. */
export interface SambaDc {
  url: string;
  ldapsUrl: string;
  bindDn: string;
  bindUpn: string;
  bindDownLevel: string;
  bindPassword: string;
  baseDn: string;
  caFile: string;
  netbiosDomain: string;
  dir: string;
  pid: number;
  seeded: SeededDns;
  /** Milliseconds spent provisioning, starting and seeding, for the curious. */
  timings: { provisionMs: number; startMs: number; seedMs: number };
}

const ADMIN_PASSWORD = 'Adm1n-Enrolbot-Test!';
const START_TIMEOUT_MS = 30_000;

let starting: Promise<SambaDc> | undefined;
let child: ChildProcess | undefined;
let workDir: string | undefined;

/** Starts (once per process) and returns the test DC. */
export function startSamba(): Promise<SambaDc> {
  starting ??= provisionAndStart().catch((error: unknown) => {
    starting = undefined;
    cleanUp();
    throw error;
  });

  return starting;
}

/** Stops the DC, waits for it to exit and removes its files; safe to call twice. */
export async function stopSamba(): Promise<void> {
  const proc = child;
  const dir = workDir;
  child = undefined;
  starting = undefined;
  workDir = undefined;
  if (proc && proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
  }
  // Samba's worker processes may write a last file just after the master exits.
  for (let attempt = 0; dir && existsSync(dir) && attempt < 50; attempt += 1) {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    if (existsSync(dir)) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Synchronous last resort on process exit (mocha's --exit ends the run this way). */
function cleanUp(): void {
  const proc = child;
  const dir = workDir;
  child = undefined;
  starting = undefined;
  workDir = undefined;
  if (!dir) return;

  const running = proc?.pid !== undefined && proc.exitCode === null && proc.signalCode === null;
  if (!running) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    } catch {
      // Leftovers in the temp dir must not hide the error that brought us here.
    }
    return;
  }

  // An exiting process cannot wait for samba to close its files, so a small detached shell
  // removes the directory once samba (this pid) has gone.
  proc.kill('SIGTERM');
  const script =
    'while kill -0 "$0" 2>/dev/null; do sleep 0.1; done; ' +
    'for i in 1 2 3 4 5 6 7 8 9 10; do rm -rf -- "$1" 2>/dev/null; [ -e "$1" ] || break; sleep 0.2; done';
  spawn('sh', ['-c', script, String(proc.pid), dir], { detached: true, stdio: 'ignore' }).unref();
}

process.once('exit', cleanUp);

/** An LdapConfig for the product pointing at this DC, with AD's default attribute names. */
export function ldapConfigFor(dc: SambaDc, overrides: Partial<LdapConfig> = {}): LdapConfig {
  return {
    url: dc.url,
    bindDn: dc.bindDn,
    bindPassword: dc.bindPassword,
    baseDn: dc.baseDn,
    pageSize: 500,
    timeoutMs: 5000,
    attributes: {
      username: 'sAMAccountName',
      mobile: 'mobile',
      otherMobile: 'otherMobile',
      telephone: 'telephoneNumber',
      mail: 'mail',
      otherMail: 'otherMailbox',
      manager: 'manager',
      employeeType: 'employeeType',
    },
    ...overrides,
  };
}

async function provisionAndStart(): Promise<SambaDc> {
  checkPrerequisites();
  await checkPortFree(389);

  const t0 = Date.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'enrolbot-samba-'));
  workDir = dir;
  const tls = await makeTlsFiles(path.join(dir, 'tls'));
  await run(
    'samba-tool',
    [
      'domain',
      'provision',
      `--realm=${DOMAIN.realm}`,
      `--domain=${DOMAIN.netbios}`,
      '--server-role=dc',
      '--dns-backend=NONE',
      '--host-ip=127.0.0.1',
      `--targetdir=${dir}`,
      `--adminpass=${ADMIN_PASSWORD}`,
      '--option=interfaces=lo',
      '--option=bind interfaces only=yes',
      '--option=ldb:nosync = true',
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const conf = path.join(dir, 'etc', 'smb.conf');
  writeFileSync(conf, withGlobals(readFileSync(conf, 'utf8'), dir, tls));

  const t1 = Date.now();
  const proc = spawn('samba', ['-s', conf, '-i'], { stdio: ['pipe', 'pipe', 'pipe'] });
  child = proc;
  const output: string[] = [];
  const keep = (chunk: Buffer): void => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  await waitUntilReady(proc, output);
  const t2 = Date.now();
  await seed(dir, tls.caFile);
  const t3 = Date.now();

  return {
    url: 'ldap://127.0.0.1:389',
    ldapsUrl: 'ldaps://127.0.0.1:636',
    bindDn: SERVICE_ACCOUNT.dn,
    bindUpn: `${SERVICE_ACCOUNT.sam}@${DOMAIN.dnsName}`,
    bindDownLevel: `${DOMAIN.netbios}\\${SERVICE_ACCOUNT.sam}`,
    bindPassword: SERVICE_ACCOUNT.password,
    baseDn: DOMAIN.baseDn,
    caFile: tls.caFile,
    netbiosDomain: DOMAIN.netbios,
    dir,
    pid: proc.pid ?? 0,
    seeded: seededDns(),
    timings: { provisionMs: t1 - t0, startMs: t2 - t1, seedMs: t3 - t2 },
  };
}

/** Polls an administrator bind until the LDAP server answers (start-up, not a test wait). */
async function waitUntilReady(proc: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (proc.exitCode !== null) {
      throw new Error(`samba exited with ${proc.exitCode} during start-up:\n${output.join('')}`);
    }

    const client = new Client({ url: 'ldap://127.0.0.1:389', timeout: 2000, connectTimeout: 2000 });
    try {
      await client.bind(`Administrator@${DOMAIN.dnsName}`, ADMIN_PASSWORD);
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(
          `samba did not answer LDAP within ${START_TIMEOUT_MS} ms: ${String(error)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
}

/** One LDIF through ldapmodify over LDAPS (AD accepts unicodePwd only on an encrypted link). */
async function seed(dir: string, caFile: string): Promise<void> {
  const file = path.join(dir, 'seed.ldif');
  writeFileSync(file, seedLdif());
  await run(
    'ldapmodify',
    [
      '-x',
      '-H',
      'ldaps://127.0.0.1:636',
      '-D',
      `Administrator@${DOMAIN.dnsName}`,
      '-w',
      ADMIN_PASSWORD,
      '-f',
      file,
    ],
    { env: { ...process.env, LDAPTLS_CACERT: caFile }, maxBuffer: 64 * 1024 * 1024 },
  );
}

/** For a mocha `--require` setup: stops the DC when the whole run ends. */
export const mochaGlobalTeardown = stopSamba;
