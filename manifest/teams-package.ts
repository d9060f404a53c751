/**
 * Builds the Teams app package: fills the manifest template with this deployment's ids, checks
 * it against the JSON schema bundled with @microsoft/app-manifest (offline), and zips it with the
 * two icons at the root, which is the only layout Teams accepts.
 */
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { ConfigError } from '../src/errors.js';
import { str, type Env } from '../src/config/parse.js';
import { pngSize } from './png.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The folder holding manifest.json, color.png and outline.png. */
export const TEAMS_SOURCE_DIR = path.join(here, 'teams');

/** Where `npm run package:teams` writes the upload zip. */
export const TEAMS_PACKAGE_PATH = path.join(here, 'build', 'duo-enrol-teams.zip');

/** Icon file names and the pixel sizes Teams requires of them. */
export const TEAMS_ICONS = { 'color.png': 192, 'outline.png': 32 } as const;

/** The values that make the template one organisation's app. */
export interface TeamsPackageSettings {
  /** The bot's Microsoft Entra app (client) id; also used as the Teams app id. */
  appId: string;
  /** Public host name of the bot, listed in validDomains; absent leaves the list empty. */
  botDomain?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** Reads MICROSOFT_APP_ID (required GUID) and BOT_DOMAIN (optional host name), naming any bad one. */
export function readTeamsPackageSettings(env: Env): TeamsPackageSettings {
  const appId = str(env, 'MICROSOFT_APP_ID');
  if (appId === undefined) {
    throw new ConfigError(
      'MICROSOFT_APP_ID',
      "is required: set it to the bot's Microsoft Entra app (client) id, a GUID",
    );
  }

  if (!GUID.test(appId)) {
    throw new ConfigError(
      'MICROSOFT_APP_ID',
      `must be a GUID like 00000000-0000-0000-0000-000000000000, got "${appId}"`,
    );
  }

  const botDomain = str(env, 'BOT_DOMAIN');
  if (botDomain !== undefined && !HOST.test(botDomain)) {
    throw new ConfigError(
      'BOT_DOMAIN',
      `must be a host name such as bot.example.com, without https:// or a path, got "${botDomain}"`,
    );
  }

  return botDomain === undefined ? { appId } : { appId, botDomain: botDomain.toLowerCase() };
}

/**
 * A copy of the template with `{{MICROSOFT_APP_ID}}` and `{{BOT_DOMAIN}}` replaced. A validDomains
 * entry left empty is dropped rather than shipped blank. Any other placeholder is an error, so a
 * template edit cannot ship a literal `{{...}}` to Teams.
 */
export function fillTeamsManifest(template: unknown, settings: TeamsPackageSettings): AppManifest {
  const values: Record<string, string> = {
    MICROSOFT_APP_ID: settings.appId,
    BOT_DOMAIN: settings.botDomain ?? '',
  };

  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(/\{\{(\w+)\}\}/g, (whole: string, name: string) => {
        const value = values[name];
        if (value === undefined) throw new Error(`manifest template: unknown placeholder ${whole}`);

        return value;
      });
    }

    if (Array.isArray(node)) return node.map(fill);

    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value)]));
    }

    return node;
  };

  const filled = fill(template) as AppManifest & { validDomains?: string[] };
  if (Array.isArray(filled.validDomains)) filled.validDomains = filled.validDomains.filter(Boolean);

  return filled;
}

/** The JSON schema bundled with @microsoft/app-manifest for one manifest version, read from disk. */
export async function loadTeamsSchema(manifestVersion: string): Promise<object> {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = path.join(
    root,
    'build',
    'json-schemas',
    'teams',
    `v${manifestVersion}`,
    'MicrosoftTeams.schema.json',
  );

  // The published schemas contain \a and \v escapes, which JSON.parse refuses; the library
  // rewrites them the same way when it loads a schema itself.
  const raw = await readFile(file, 'utf8');
  return JSON.parse(raw.replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b')) as object;
}

/** Schema errors for a filled manifest (empty when valid); never touches the network. */
export async function validateTeamsManifest(manifest: AppManifest): Promise<string[]> {
  const version = (manifest as { manifestVersion?: unknown }).manifestVersion;
  if (typeof version !== 'string') return ['/manifestVersion is missing'];

  // Passing the schema object is what keeps validateAgainstSchema from downloading it.
  const schema = (await loadTeamsSchema(version)) as Parameters<
    typeof AppManifestUtils.validateAgainstSchema
  >[1];
  return AppManifestUtils.validateAgainstSchema(manifest, schema);
}

/** Options for {@link buildTeamsPackage}; the defaults are the repository's own paths. */
export interface BuildTeamsPackageOptions {
  sourceDir?: string;
  outPath?: string;
}

/** Fills, validates and zips the app; returns the path of the written zip. */
export async function buildTeamsPackage(
  settings: TeamsPackageSettings,
  options: BuildTeamsPackageOptions = {},
): Promise<string> {
  const sourceDir = options.sourceDir ?? TEAMS_SOURCE_DIR;
  const outPath = options.outPath ?? TEAMS_PACKAGE_PATH;

  const template: unknown = JSON.parse(
    await readFile(path.join(sourceDir, 'manifest.json'), 'utf8'),
  );
  const manifest = fillTeamsManifest(template, settings);

  const problems = await validateTeamsManifest(manifest);
  if (problems.length > 0) {
    throw new Error(`manifest.json does not match its schema:\n  ${problems.join('\n  ')}`);
  }

  // A fixed timestamp makes the same inputs produce the same zip, byte for byte.
  const date = new Date(Date.UTC(2020, 0, 1));
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, { date });

  for (const [name, size] of Object.entries(TEAMS_ICONS)) {
    const bytes = await readFile(path.join(sourceDir, name));
    const actual = pngSize(bytes);
    if (actual.width !== size || actual.height !== size) {
      throw new Error(
        `${name} must be ${size}x${size} pixels, is ${actual.width}x${actual.height}`,
      );
    }

    zip.file(name, bytes, { date });
  }

  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  await mkdir(path.dirname(outPath), { recursive: true });
  await writeFile(outPath, bytes);

  return outPath;
}
