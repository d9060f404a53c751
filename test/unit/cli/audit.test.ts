import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runAudit } from '../../../src/cli/audit.js';
import { tempDataDir } from '../../support/app.js';

describe('npm run audit', () => {
  it('prints the audit log since a day as CSV, reading AUDIT_PATH through loadConfig', async () => {
    const dir = tempDataDir();
    const file = path.join(dir, 'audit.jsonl');
    const line = (ts: string, id: string) =>
      JSON.stringify({
        ts,
        request_id: id,
        action: 'sent',
        actor: { platform: 'system', id: 'enrolbot', name: 'enrolbot' },
      });
    writeFileSync(
      file,
      [line('2026-11-30T23:59:59Z', 'REQ-1'), line('2026-12-01T00:00:00Z', 'REQ-2')].join('\n') +
        '\n',
    );
    let out = '';
    let err = '';

    const code = await runAudit(
      ['--since', '2026-12-01'],
      { AUDIT_PATH: file, STORE_PATH: path.join(dir, 's.json') },
      (t) => (out += t),
      (t) => (err += t),
    );
    assert.equal(code, 0);
    assert.match(out, /^ts,request_id,action/);
    assert.match(out, /REQ-2/);
    assert.doesNotMatch(out, /REQ-1/);
    assert.match(err, /1 audit events/);
  });

  it('refuses a date it cannot read', async () => {
    let err = '';
    assert.equal(
      await runAudit(
        ['--since', 'yesterday'],
        {},
        () => undefined,
        (t) => (err += t),
      ),
      2,
    );
    assert.match(err, /YYYY-MM-DD|2026-12-01/);
  });

  it('refuses --since after --until instead of printing nothing', async () => {
    let err = '';
    const code = await runAudit(
      ['--since', '2026-12-01', '--until', '2026-11-01'],
      {},
      () => undefined,
      (t) => (err += t),
    );
    assert.equal(code, 2);
    assert.match(err, /--since 2026-12-01 is after --until 2026-11-01/);
  });

  it('says which damaged line it skipped', async () => {
    const dir = tempDataDir();
    const file = path.join(dir, 'audit.jsonl');
    const good = JSON.stringify({
      ts: '2026-12-02T00:00:00Z',
      request_id: 'REQ-3',
      action: 'sent',
      actor: { platform: 'system', id: 'enrolbot', name: 'enrolbot' },
    });
    writeFileSync(file, `${good}\n{"ts":"2026-12-02T01:0\n${good}\n`);
    let err = '';
    const code = await runAudit(
      ['--since', '2026-12-01'],
      { AUDIT_PATH: file, STORE_PATH: path.join(dir, 's.json') },
      () => undefined,
      (t) => (err += t),
    );
    assert.equal(code, 0);
    assert.match(err, /line 2 of .*audit\.jsonl is damaged; it was skipped/);
    assert.match(err, /2 audit events/);
  });
});
