/**
 * `tsx scripts/copy-assets.ts <outDir>`: after tsc, copy the files the compiled bot reads at run
 * time but that tsc does not emit (it copies only JSON that is imported). Today that is the sample
 * directory, which the zero-config run and the Agents Playground use.
 */
import { cpSync } from 'node:fs';
import path from 'node:path';

const ASSETS = ['src/directory/file/sample-directory.json'];

const outDir = process.argv[2];
if (!outDir) {
  process.stderr.write('usage: copy-assets.ts <outDir>\n');
  process.exit(2);
}
for (const asset of ASSETS) cpSync(asset, path.join(outDir, asset));
