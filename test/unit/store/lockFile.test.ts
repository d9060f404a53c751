import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sinon from 'sinon';
import { StoreLockedError } from '../../../src/errors.js';
import { processIsAlive } from '../../../src/store/lockFile.js';
import { RequestStore } from '../../../src/store/requestStore.js';
import { fixedClock, tempDir } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** A pid above Linux's pid_max (2^22), so never a running process. */
const DEAD_PID = 2 ** 31 - 1;

describe('store lock file', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let storePath: string;
  const logger = () => ({ warn: sinon.spy(), error: sinon.spy() });

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    storePath = path.join(dir, 'enrolbot.json');
  });
  afterEach(() => cleanup());

  it('writes our pid beside the store and removes it on close', async () => {
    const store = await RequestStore.open(storePath, { now: fixedClock().now });
    assert.equal(await readFile(`${storePath}.lock`, 'utf8'), `${process.pid}\n`);
    await store.close();
    await assert.rejects(readFile(`${storePath}.lock`), { code: 'ENOENT' });
  });

  it('refuses a second open while the first holds the store, naming path and pid', async () => {
    const first = await RequestStore.open(storePath, { now: fixedClock().now });
    const error = await RequestStore.open(storePath, { now: fixedClock().now }).catch((e) => e);
    assert.ok(error instanceof StoreLockedError);
    assert.ok(error.message.includes(storePath));
    assert.ok(error.message.includes(`pid ${process.pid}`));
    // The refused open must not have taken the lock away from the first.
    assert.equal(await readFile(`${storePath}.lock`, 'utf8'), `${process.pid}\n`);
    await first.close();

    const again = await RequestStore.open(storePath, { now: fixedClock().now });
    await again.close();
  });

  it('refuses a lock held by another live process', async () => {
    await writeFile(`${storePath}.lock`, '4242\n');
    const isAlive = sinon.stub().returns(true);
    const error = await RequestStore.open(storePath, { now: fixedClock().now, isAlive }).catch(
      (e) => e,
    );
    assert.ok(error instanceof StoreLockedError);
    assert.match(error.message, /pid 4242/);
    assert.ok(isAlive.calledWith(4242));
    assert.equal(await readFile(`${storePath}.lock`, 'utf8'), '4242\n');
  });

  it('takes over a stale lock whose process is gone, with a warning', async () => {
    await writeFile(`${storePath}.lock`, `${DEAD_PID}\n`);
    const log = logger();
    const store = await RequestStore.open(storePath, { now: fixedClock().now, logger: log });
    assert.equal(await readFile(`${storePath}.lock`, 'utf8'), `${process.pid}\n`);
    assert.ok(log.warn.calledOnce);
    assert.equal(log.warn.firstCall.args[0].stale_pid, DEAD_PID);
    await store.close();
  });

  it('takes over a lock naming our own pid that this process does not hold', async () => {
    // A container restarted with the same pid (often 1) must not lock itself out.
    await writeFile(`${storePath}.lock`, `${process.pid}\n`);
    const log = logger();
    const store = await RequestStore.open(storePath, { now: fixedClock().now, logger: log });
    assert.ok(log.warn.calledOnce);
    await store.close();
  });

  it('takes over an unreadable lock file', async () => {
    await writeFile(`${storePath}.lock`, 'garbage');
    const store = await RequestStore.open(storePath, { now: fixedClock().now, logger: logger() });
    await store.close();
  });

  it('does not remove a lock that someone else took over', async () => {
    const store = await RequestStore.open(storePath, { now: fixedClock().now });
    await writeFile(`${storePath}.lock`, '4242\n');
    await store.close();
    assert.equal(await readFile(`${storePath}.lock`, 'utf8'), '4242\n');
  });

  it('knows live and dead pids', () => {
    assert.equal(processIsAlive(process.pid), true);
    assert.equal(processIsAlive(DEAD_PID), false);
  });

  it('refuses a second process on the same store', async () => {
    const store = await RequestStore.open(storePath, { now: fixedClock().now });
    const script = [
      `import { RequestStore } from ${JSON.stringify(path.join(root, 'src/store/requestStore.ts'))};`,
      `RequestStore.open(${JSON.stringify(storePath)}, { now: () => new Date() })`,
      '  .then(() => { console.log("opened"); process.exit(0); })',
      '  .catch((e) => { console.log(e.name); process.exit(3); });',
    ].join('\n');
    const run = promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: root },
    );
    const result = await run.then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );
    assert.deepEqual(result, { code: 3, out: 'StoreLockedError\n' });
    await store.close();
  });
});
