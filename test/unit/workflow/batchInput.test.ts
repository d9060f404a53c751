import { strict as assert } from 'node:assert';
import type { DirectoryRecord } from '../../../src/directory/types.js';
import { parseBatchCsv, rowChecks } from '../../../src/workflow/batchInput.js';

const record = {
  username: 'jdoe',
  emails: [{ attribute: 'mail', value: 'John.Doe@Contractorco.example' }],
  mobiles: [{ attribute: 'mobile', value: '+44 7400 123456' }],
} as DirectoryRecord;

describe('batch input', () => {
  it('reads username, method, email and phone by header, with a BOM and blank lines', () => {
    const result = parseBatchCsv(
      '\ufeffUsername,Method,Email,Phone\njdoe,SMS,,\n\nasmith,e-mail,a@b.example,\n',
      10,
    );
    assert.deepEqual(result, {
      ok: true,
      entries: [
        { who: 'jdoe', method: 'sms', email: undefined, phone: undefined, line: 2 },
        { who: 'asmith', method: 'email', email: 'a@b.example', phone: undefined, line: 3 },
      ],
    });
  });

  it('refuses a file without a username column, and one above the row limit', () => {
    assert.match((parseBatchCsv('name\njdoe\n', 10) as { message: string }).message, /username/);
    const rows = ['username', ...Array.from({ length: 6 }, (_, i) => `c${i}`)].join('\n');
    assert.match((parseBatchCsv(rows, 5) as { message: string }).message, /more than 5 rows/);
    assert.equal(parseBatchCsv(rows, 6).ok, true);
  });

  it("checks a row's own e-mail and phone against the directory, normalised, never trusting them", () => {
    const same = rowChecks(
      { who: 'jdoe', email: ' John.Doe@CONTRACTORCO.example ', phone: '07400 123456' },
      record,
      'GB',
    );
    assert.deepEqual(
      same.map((c) => c.ok),
      [true, true],
    );

    const other = rowChecks(
      { who: 'jdoe', email: 'x@evil.example', phone: '+44 7400 999999' },
      record,
      'GB',
    );
    assert.deepEqual(
      other.map((c) => c.ok),
      [false, false],
    );
    assert.doesNotMatch(other.map((c) => c.detail).join(' '), /7400999999|x@evil/, 'masked');
    assert.deepEqual(rowChecks({ who: 'jdoe' }, record), [], 'no columns, no checks');
  });
});
