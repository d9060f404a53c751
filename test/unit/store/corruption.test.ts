import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StoreCorruptError } from '../../../src/errors.js';
import { RequestStore } from '../../../src/store/requestStore.js';
import { fixedClock, sampleRequest, tempDir } from './helpers.js';

const valid = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    schema: 1,
    nextRequestNumber: 2,
    nextBatchNumber: 1,
    requests: [{ ...sampleRequest(), id: 'REQ-1', version: 1, createdAt: 'x', updatedAt: 'x' }],
    batches: [],
    meta: {},
    ...overrides,
  });

/** Each damaged file, and a word its error message must contain. */
const CASES: Array<[string, string, RegExp]> = [
  ['an empty file', '', /is empty/],
  ['a file of blanks', '  \n\n', /is empty/],
  ['truncated JSON', valid().slice(0, 60), /not valid JSON/],
  ['hand-broken JSON', valid().replace('"schema":1,', 'schema: 1,,'), /not valid JSON/],
  ['{} without the schema', '{}', /no "schema" field/],
  ['a JSON array', '[]', /not.*JSON object/],
  ['JSON null', 'null', /not.*JSON object/],
  ['a newer schema', valid({ schema: 2 }), /schema 2/],
  ['requests not an array', valid({ requests: { 'REQ-1': {} } }), /"requests" that is not a list/],
  ['batches missing', valid({ batches: undefined }), /"batches" that is not a list/],
  ['meta an array', valid({ meta: [] }), /"meta" that is not an object/],
  ['a bad counter', valid({ nextRequestNumber: 'two' }), /"nextRequestNumber"/],
  ['a counter behind the ids', valid({ nextRequestNumber: 1 }), /ids would repeat/],
  ['a request without an id', valid({ requests: [{ state: 'sent', version: 1 }] }), /REQ-42/],
  [
    'a request in an unknown state',
    valid({ requests: [{ id: 'REQ-1', state: 'launched', version: 1 }] }),
    /unknown state/,
  ],
  [
    'a duplicated id',
    valid({
      requests: [
        { id: 'REQ-1', state: 'sent', version: 1 },
        { id: 'REQ-1', state: 'sent', version: 1 },
      ],
    }),
    /twice/,
  ],
];

describe('store/RequestStore with a damaged file', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let storePath: string;

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    storePath = path.join(dir, 'enrolbot.json');
  });
  afterEach(() => cleanup());

  for (const [name, content, reason] of CASES) {
    it(`stops on ${name} and leaves the file byte for byte`, async () => {
      await writeFile(storePath, content);
      const before = await stat(storePath);

      const error = await RequestStore.open(storePath, { now: fixedClock().now }).then(
        () => assert.fail('opened a damaged store'),
        (e: unknown) => e,
      );

      assert.ok(error instanceof StoreCorruptError, String(error));
      assert.equal(error.path, storePath);
      assert.match(error.message, reason);
      assert.ok(error.message.includes(storePath), error.message);
      assert.match(error.message, /will not reset or overwrite it/);
      assert.equal(await readFile(storePath, 'utf8'), content);
      assert.equal((await stat(storePath)).mtimeMs, before.mtimeMs);
      // No temp file was written and the lock was given back.
      assert.deepEqual(await readdir(dir), ['enrolbot.json']);
    });
  }

  it('opens the file again once it is repaired', async () => {
    await writeFile(storePath, '{');
    await assert.rejects(
      RequestStore.open(storePath, { now: fixedClock().now }),
      StoreCorruptError,
    );
    await writeFile(storePath, valid());
    const store = await RequestStore.open(storePath, { now: fixedClock().now });
    assert.equal(store.get('REQ-1')?.state, 'pending_approval');
    assert.equal((await store.create(sampleRequest())).id, 'REQ-2');
    await store.close();
  });

  it('reports a store path that is a folder as an error, not as a fresh store', async () => {
    await mkdir(storePath);
    await assert.rejects(RequestStore.open(storePath, { now: fixedClock().now }), /EISDIR/);
  });
});
