import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pngjs from 'pngjs';
import { drawColorIcon, drawOutlineIcon } from '../../../manifest/icons.js';
import { pngSize } from '../../../manifest/png.js';
import { TEAMS_SOURCE_DIR } from '../../../manifest/teams-package.js';

describe('Teams icons', () => {
  const read = (name: string) => readFile(path.join(TEAMS_SOURCE_DIR, name));

  it('has a 192x192 colour icon and a 32x32 outline icon', async () => {
    assert.deepEqual(pngSize(await read('color.png')), { width: 192, height: 192 });
    assert.deepEqual(pngSize(await read('outline.png')), { width: 32, height: 32 });
  });

  it('refuses bytes that are not a PNG', () => {
    assert.throws(() => pngSize(Buffer.from('GIF89a not a png at all, really')), /not a PNG/);
  });

  it('draws the colour icon fully opaque and the outline white on transparent', async () => {
    const color = pngjs.PNG.sync.read(await read('color.png'));
    const outline = pngjs.PNG.sync.read(await read('outline.png'));
    let transparent = 0;
    let drawn = 0;

    for (let i = 0; i < color.data.length; i += 4) assert.equal(color.data[i + 3], 255);

    for (let i = 0; i < outline.data.length; i += 4) {
      const alpha = outline.data[i + 3] ?? 0;
      if (alpha === 0) transparent++;
      else {
        drawn++;
        assert.deepEqual([...outline.data.subarray(i, i + 3)], [255, 255, 255]);
      }
    }

    assert.ok(transparent > 32 * 32 * 0.3, `transparent pixels: ${transparent}`);
    assert.ok(drawn > 32 * 32 * 0.1, `drawn pixels: ${drawn}`);
  });

  it('commits exactly what scripts/make-icons.ts draws', async () => {
    assert.ok(
      (await read('color.png')).equals(drawColorIcon()),
      'run npx tsx scripts/make-icons.ts',
    );
    assert.ok(
      (await read('outline.png')).equals(drawOutlineIcon()),
      'run npx tsx scripts/make-icons.ts',
    );
  });
});
