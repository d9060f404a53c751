import assert from 'node:assert/strict';
import { appendFile, open, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import sinon from 'sinon';
import {
  AuditLog,
  SYSTEM_ACTOR,
  readAuditFile,
  toCsv,
  type AuditEvent,
} from '../../../src/store/auditLog.js';
import { approver, fixedClock, tempDir } from './helpers.js';

async function collect(events: AsyncIterable<AuditEvent>): Promise<AuditEvent[]> {
  const all: AuditEvent[] = [];
  for await (const event of events) all.push(event);

  return all;
}

describe('store/AuditLog', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let auditPath: string;

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    auditPath = path.join(dir, 'logs', 'audit.jsonl');
  });
  afterEach(() => cleanup());

  it('appends one JSON line per event and reads them back', async () => {
    const clock = fixedClock('2025-03-01T09:00:00.000Z');
    const log = await AuditLog.open(auditPath, { now: clock.now });
    await log.append({
      request_id: 'REQ-1',
      action: 'approved',
      from: 'pending_approval',
      to: 'approved',
      actor: approver,
      detail: 'to +44 •••• ••0123',
    });
    clock.advance(1000);
    await log.append({
      request_id: 'REQ-1',
      batch_id: 'BATCH-1',
      action: 'sending',
      actor: SYSTEM_ACTOR,
    });

    const lines = (await readFile(auditPath, 'utf8')).split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '');
    assert.deepEqual(JSON.parse(lines[0]!), {
      ts: '2025-03-01T09:00:00.000Z',
      request_id: 'REQ-1',
      action: 'approved',
      from: 'pending_approval',
      to: 'approved',
      actor: { platform: 'slack', id: 'U0APPROVER', name: 'Alex Wilber' },
      detail: 'to +44 •••• ••0123',
    });

    const events = await collect(log.read());
    assert.deepEqual(
      events.map((e) => [e.ts, e.action, e.batch_id]),
      [
        ['2025-03-01T09:00:00.000Z', 'approved', undefined],
        ['2025-03-01T09:00:01.000Z', 'sending', 'BATCH-1'],
      ],
    );
    const since = await collect(log.read({ since: new Date('2025-03-01T09:00:00.500Z') }));
    assert.deepEqual(
      since.map((e) => e.action),
      ['sending'],
    );
    await log.close();
  });

  it('puts each event on disk (datasync) before append resolves', async () => {
    const log = await AuditLog.open(auditPath, { now: fixedClock().now });
    const probe = await open(path.join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const datasync = sinon.spy(proto, 'datasync');
    try {
      await log.append({ request_id: 'REQ-1', action: 'created', actor: SYSTEM_ACTOR });
      assert.equal(datasync.callCount, 1);
    } finally {
      datasync.restore();
      await log.close();
    }
  });

  it('appends to what is there and keeps the order of concurrent appends', async () => {
    let log = await AuditLog.open(auditPath, { now: fixedClock().now });
    await log.append({ request_id: 'REQ-1', action: 'created', actor: SYSTEM_ACTOR });
    await log.close();

    log = await AuditLog.open(auditPath, { now: fixedClock().now });
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        log.append({ request_id: `REQ-${i + 2}`, action: 'created', actor: SYSTEM_ACTOR }),
      ),
    );
    await log.close();

    const ids = (await collect(readAuditFile(auditPath))).map((e) => e.request_id);
    assert.deepEqual(
      ids,
      Array.from({ length: 31 }, (_, i) => `REQ-${i + 1}`),
    );
  });

  it('reports and skips a damaged line, and reads on', async () => {
    const log = await AuditLog.open(auditPath, { now: fixedClock().now });
    await log.append({ request_id: 'REQ-1', action: 'created', actor: SYSTEM_ACTOR });
    await appendFile(auditPath, '{"ts":"2025-03-01T09:00:00.000Z","request_id":\n');
    await appendFile(auditPath, '{"ts":"x"}\n');
    await log.append({ request_id: 'REQ-2', action: 'created', actor: SYSTEM_ACTOR });

    const logger = { warn: sinon.spy(), error: sinon.spy() };
    const events = await collect(readAuditFile(auditPath, { logger }));
    assert.deepEqual(
      events.map((e) => e.request_id),
      ['REQ-1', 'REQ-2'],
    );
    assert.deepEqual(
      logger.warn.getCalls().map((c) => c.args[0].line),
      [2, 3],
    );
    await log.close();
  });

  it('ends a line cut short by a crash before appending, so the next event stays whole', async () => {
    const file = path.join(dir, 'cut.jsonl');
    await writeFile(file, '{"ts":"2025-03-01T09:00:00.000Z","request_id":"REQ-1","act');
    const log = await AuditLog.open(file, { now: fixedClock().now });
    await log.append({ request_id: 'REQ-2', action: 'created', actor: SYSTEM_ACTOR });
    await log.close();

    const events = await collect(readAuditFile(file));
    assert.deepEqual(
      events.map((e) => e.request_id),
      ['REQ-2'],
    );
  });

  it('reads a log that does not exist yet as empty', async () => {
    assert.deepEqual(await collect(readAuditFile(path.join(dir, 'none.jsonl'))), []);
  });

  it('masks raw phone numbers and addresses that slipped into the detail', async () => {
    const log = await AuditLog.open(auditPath, { now: fixedClock().now });
    const event = await log.append({
      request_id: 'REQ-1',
      action: 'failed',
      actor: SYSTEM_ACTOR,
      detail: 'Duo refused +44 7700 900123 for jane.doe@contractorco.example',
    });
    await log.close();
    assert.equal(event.detail, 'Duo refused +44 •••• ••0123 for j•••@contractorco.example');
    assert.ok(!(await readFile(auditPath, 'utf8')).includes('900123'));
  });

  it('leaves masked values, dates and request ids in the detail alone', async () => {
    const log = await AuditLog.open(auditPath, { now: fixedClock().now });
    const detail =
      'REQ-42 to +44 •••• ••3456 and j•••@contractorco.example on 2025-03-01T09:00:00Z';
    const event = await log.append({
      request_id: 'REQ-42',
      action: 'sent',
      actor: SYSTEM_ACTOR,
      detail,
    });
    await log.close();
    assert.equal(event.detail, detail);
  });

  it('writes CSV with the documented columns, quoting and defusing formulas', () => {
    const csv = toCsv([
      {
        ts: '2025-03-01T09:00:00.000Z',
        request_id: 'REQ-1',
        action: 'denied',
        from: 'pending_approval',
        to: 'denied',
        actor: { platform: 'teams', id: '29:x', name: 'Doe, "Jo"' },
        detail: '=HYPERLINK("http://evil")',
      },
      {
        ts: '2025-03-01T09:01:00.000Z',
        request_id: 'REQ-2',
        action: 'created',
        actor: SYSTEM_ACTOR,
      },
    ]);
    const rows = parse(csv) as string[][];
    assert.deepEqual(rows, [
      [
        'ts',
        'request_id',
        'action',
        'from',
        'to',
        'actor_platform',
        'actor',
        'detail',
        'actor_login',
        'actor_directory_id',
      ],
      [
        '2025-03-01T09:00:00.000Z',
        'REQ-1',
        'denied',
        'pending_approval',
        'denied',
        'teams',
        'Doe, "Jo" (29:x)',
        `'=HYPERLINK("http://evil")`,
        '',
        '',
      ],
      ['2025-03-01T09:01:00.000Z', 'REQ-2', 'created', '', '', 'system', 'enrolbot', '', '', ''],
    ]);
  });
});
