/**
 * Host-side helpers for the test DC: prerequisites, the loopback port check and the smb.conf
 * settings that `samba-tool domain provision` does not write.
 */
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { TlsFiles } from './samba-tls.js';

/** Fails early, and says what to do, when this machine cannot run the DC. */
export function checkPrerequisites(): void {
  const tools = ['/usr/bin/samba-tool', '/usr/sbin/samba', '/usr/bin/ldapmodify'];
  const missing = tools.filter((t) => !existsSync(t));
  if (missing.length > 0) {
    throw new Error(
      `Samba AD test server unavailable: ${missing.join(', ')} not found. ` +
        'Run scripts/ci-install.sh as root (installs samba samba-ad-dc winbind ldap-utils).',
    );
  }
  if (process.getuid?.() !== 0) {
    throw new Error('Samba AD test server needs root (it binds ports 389, 636 and 88).');
  }
}

/**
 * Samba cannot share port 389; say so plainly instead of failing inside samba's log. A DC from a
 * run that just ended may still be shutting down, so give it a few seconds first.
 */
export async function checkPortFree(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (await portInUse(port)) {
    if (Date.now() > deadline) {
      throw new Error(
        `127.0.0.1:${port} is already in use: another LDAP server (a Samba from an earlier run?) ` +
          'must be stopped before the tests can start their own domain controller.',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Settings the provision step does not write: plain simple binds, our TLS files, local paths. */
export function withGlobals(conf: string, dir: string, tls: TlsFiles): string {
  const extra = [
    'server services = ldap, cldap, kdc, rpc',
    'ldap server require strong auth = no',
    // Test data needs no durability; fsync per add makes seeding 1,200 users take a minute.
    'ldb:nosync = true',
    'tls enabled = yes',
    `tls keyfile = ${tls.keyFile}`,
    `tls certfile = ${tls.certFile}`,
    `tls cafile = ${tls.caFile}`,
    `pid directory = ${path.join(dir, 'run')}`,
    `log file = ${path.join(dir, 'log.%m')}`,
  ];
  const kept = conf
    .split('\n')
    .filter((line) => !/^\s*(server services|log file)\s*=/.test(line))
    .join('\n');

  return kept.replace('[global]\n', `[global]\n${extra.map((l) => `\t${l}\n`).join('')}`);
}
