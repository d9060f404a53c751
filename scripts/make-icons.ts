/**
 * Regenerates manifest/teams/color.png and outline.png from the drawing code in manifest/icons.ts.
 * Run with `npx tsx scripts/make-icons.ts` after changing the drawing; commit the PNGs it writes.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { drawColorIcon, drawOutlineIcon } from '../manifest/icons.js';
import { TEAMS_SOURCE_DIR } from '../manifest/teams-package.js';

const icons = { 'color.png': drawColorIcon(), 'outline.png': drawOutlineIcon() };

for (const [name, bytes] of Object.entries(icons)) {
  const file = path.join(TEAMS_SOURCE_DIR, name);
  await writeFile(file, bytes);
  console.log(`wrote ${path.relative(process.cwd(), file)} (${bytes.length} bytes)`);
}
