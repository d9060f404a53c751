/**
 * `npm run package:teams`: writes manifest/build/duo-enrol-teams.zip for upload to Teams.
 * MICROSOFT_APP_ID (required) and BOT_DOMAIN (optional) come from the environment, or from a .env
 * file in the current folder; a variable set in the environment wins over the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'dotenv';
import { ConfigError } from '../src/errors.js';
import {
  TEAMS_SOURCE_DIR,
  buildTeamsPackage,
  readTeamsPackageSettings,
} from '../manifest/teams-package.js';

const envFile = path.resolve('.env');
const fromFile = existsSync(envFile) ? parse(readFileSync(envFile)) : {};

try {
  const settings = readTeamsPackageSettings({ ...fromFile, ...process.env });
  const written = await buildTeamsPackage(settings);
  console.log(path.relative(process.cwd(), written) || written);

  // The template ships with example.com developer links; the package is valid with them, but
  // users see them on the app's page in Teams.
  if (readFileSync(path.join(TEAMS_SOURCE_DIR, 'manifest.json'), 'utf8').includes('example.com')) {
    console.warn('note: replace the example.com developer URLs in manifest/teams/manifest.json');
  }
} catch (error) {
  // A bad variable is the operator's to fix: say which one, without a stack trace.
  if (!(error instanceof ConfigError)) throw error;

  console.error(`package:teams: ${error.message}`);
  process.exitCode = 1;
}
