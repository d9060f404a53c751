import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  canonParams,
  canonicalString,
  signRequest,
  type DuoDigest,
} from '../../../src/duo/signing.js';

interface VectorCase {
  name: string;
  version: 2 | 5;
  digest: DuoDigest;
  ikey: string;
  skey: string;
  method: string;
  host: string;
  path: string;
  params: Record<string, string[]>;
  date: string;
  body?: string;
  headers?: Record<string, string>;
  canonical?: string;
  authorization: string;
}

interface Vectors {
  cases: VectorCase[];
  params_line: { params: Record<string, string[]>; expected: string }[];
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const vectors = JSON.parse(
  // The project's shared signing vectors, kept in the repository as they are so a clone is whole.
  readFileSync(path.resolve(repoRoot, 'test/fixtures/duo/signing-vectors.json'), 'utf8'),
) as Vectors;

describe('duo signing', () => {
  it('has vectors to check', () => {
    assert.ok(vectors.cases.length >= 11);
    assert.ok(vectors.params_line.length >= 6);
  });

  for (const c of vectors.cases) {
    it(`signs: ${c.name}`, () => {
      if (c.canonical !== undefined) assert.equal(canonicalString(c), c.canonical);
      assert.equal(signRequest(c), c.authorization);
    });
  }

  vectors.params_line.forEach((c, i) => {
    it(`canonicalises params line #${i}: ${JSON.stringify(c.expected)}`, () => {
      assert.equal(canonParams(c.params), c.expected);
    });
  });

  it('accepts a single string value as well as a list', () => {
    assert.equal(canonParams({ b: 'z', a: ['y', 'x'] }), 'a=x&a=y&b=z');
  });

  it('hashes an empty body and no x-duo headers in v5', () => {
    const line = canonicalString({
      version: 5,
      ikey: 'i',
      skey: 's',
      method: 'get',
      host: 'H',
      path: '/p',
      params: {},
      date: 'd',
    }).split('\n');
    assert.equal(line.length, 7);
    assert.ok(line[5]?.startsWith('cf83e135'));
    assert.equal(line[5], line[6]);
  });
});
