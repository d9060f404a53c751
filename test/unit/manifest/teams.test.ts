import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppManifestUtils } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import pngjs from 'pngjs';
import sinon from 'sinon';
import { ConfigError } from '../../../src/errors.js';
import { pngSize } from '../../../manifest/png.js';
import {
  TEAMS_SOURCE_DIR,
  buildTeamsPackage,
  fillTeamsManifest,
  readTeamsPackageSettings,
  validateTeamsManifest,
} from '../../../manifest/teams-package.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const APP_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const ALL_COMMANDS = [
  'enrol',
  'status',
  'pending',
  'my requests',
  'cancel',
  'resend',
  'revoke',
  'audit',
  'help',
];

type Command = { title: string; description?: string };
type Bot = {
  botId: string;
  scopes: string[];
  supportsFiles?: boolean;
  commandLists: { scopes: string[]; commands: Command[] }[];
};
type Filled = {
  id: string;
  manifestVersion: string;
  $schema: string;
  bots: Bot[];
  validDomains: string[];
};

async function template(): Promise<unknown> {
  return JSON.parse(await readFile(path.join(TEAMS_SOURCE_DIR, 'manifest.json'), 'utf8'));
}

async function filled(botDomain?: string): Promise<Filled> {
  const settings = botDomain ? { appId: APP_ID, botDomain } : { appId: APP_ID };
  return fillTeamsManifest(await template(), settings) as unknown as Filled;
}

describe('Teams app manifest', () => {
  let work: string;

  beforeEach(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'teams-manifest-'));
  });

  afterEach(async () => {
    sinon.restore();
    await rm(work, { recursive: true, force: true });
  });

  it('uses the newest schema version that @microsoft/app-manifest ships, at least 1.24', async () => {
    const schemaDir = path.join(
      root,
      'node_modules/@microsoft/app-manifest/build/json-schemas/teams',
    );
    const shipped = (await readdir(schemaDir))
      .map((name) => /^v1\.(\d+)$/.exec(name)?.[1])
      .filter((minor): minor is string => minor !== undefined)
      .map(Number);
    const newest = `1.${Math.max(...shipped)}`;
    const manifest = await filled();

    assert.equal(manifest.manifestVersion, newest);
    assert.ok(Number(manifest.manifestVersion.split('.')[1]) >= 24);
    assert.equal(
      manifest.$schema,
      `https://developer.microsoft.com/json-schemas/teams/v${newest}/MicrosoftTeams.schema.json`,
    );
  });

  it('validates against the bundled schema offline, with and without a bot domain', async () => {
    // If the schema object were not passed in, the library would fetch it; make that fail loudly.
    const fetchSchema = sinon
      .stub(AppManifestUtils, 'fetchSchema')
      .rejects(new Error('network used'));

    for (const domain of [undefined, 'bot.example.com']) {
      const manifest = await filled(domain);
      assert.deepEqual(await validateTeamsManifest(manifest as never), []);
    }

    assert.equal(fetchSchema.called, false);
  });

  it('reports schema errors, so a valid result means something', async () => {
    const manifest = (await filled()) as unknown as { name: { short: string } };
    manifest.name.short = 'x'.repeat(31);

    const problems = await validateTeamsManifest(manifest as never);

    assert.ok(
      problems.some((p) => p.startsWith('/name/short')),
      problems.join('\n'),
    );
  });

  it('fills the app id into id and botId and the domain into validDomains', async () => {
    const withDomain = await filled('bot.example.com');
    const without = await filled();

    assert.equal(withDomain.id, APP_ID);
    assert.equal(withDomain.bots[0]?.botId, APP_ID);
    assert.deepEqual(withDomain.validDomains, ['bot.example.com']);
    assert.deepEqual(without.validDomains, []);
    assert.doesNotMatch(JSON.stringify(withDomain), /\{\{/);
  });

  it('refuses a template with a placeholder it does not know', () => {
    assert.throws(
      () => fillTeamsManifest({ id: '{{TEAMS_APP_ID}}' }, { appId: APP_ID }),
      /unknown placeholder \{\{TEAMS_APP_ID\}\}/,
    );
  });

  it('declares a bot for personal, team and group chats that accepts files', async () => {
    const bot = (await filled()).bots[0];

    assert.deepEqual([...(bot?.scopes ?? [])].sort(), ['groupChat', 'personal', 'team']);
    assert.equal(bot?.supportsFiles, true);
  });

  it('keeps command lists within Teams limits and offers every command in personal chat', async () => {
    const lists = (await filled()).bots[0]?.commandLists ?? [];
    assert.ok(lists.length >= 1 && lists.length <= 3);

    for (const list of lists) {
      assert.ok(
        list.commands.length <= 12,
        `${list.scopes.join(',')}: ${list.commands.length} commands`,
      );
      for (const command of list.commands) {
        assert.ok(command.description && command.description.length <= 4000, command.title);
      }
    }

    const personal = lists.find((list) => list.scopes.includes('personal'));
    assert.deepEqual(
      personal?.commands.map((c) => c.title),
      ALL_COMMANDS,
    );

    const covered = new Set(lists.flatMap((list) => list.scopes));
    assert.deepEqual([...covered].sort(), ['groupChat', 'personal', 'team']);
  });
});

describe('Teams package settings', () => {
  it('accepts a GUID app id and an optional host name', () => {
    assert.deepEqual(readTeamsPackageSettings({ MICROSOFT_APP_ID: ` ${APP_ID} ` }), {
      appId: APP_ID,
    });
    assert.deepEqual(
      readTeamsPackageSettings({ MICROSOFT_APP_ID: APP_ID, BOT_DOMAIN: 'Bot.Example.com' }),
      {
        appId: APP_ID,
        botDomain: 'bot.example.com',
      },
    );
  });

  it('refuses a missing app id, naming MICROSOFT_APP_ID', () => {
    for (const env of [{}, { MICROSOFT_APP_ID: '' }, { MICROSOFT_APP_ID: '   ' }]) {
      assert.throws(
        () => readTeamsPackageSettings(env),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.variable === 'MICROSOFT_APP_ID' &&
          /is required/.test(error.message),
      );
    }
  });

  it('refuses a malformed app id, naming MICROSOFT_APP_ID', () => {
    const bad = [
      'abc',
      `{${APP_ID}}`,
      `${APP_ID}0`,
      APP_ID.replace(/-/g, ''),
      APP_ID.replace('3', 'g'),
    ];
    for (const value of bad) {
      assert.throws(
        () => readTeamsPackageSettings({ MICROSOFT_APP_ID: value }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.variable === 'MICROSOFT_APP_ID' &&
          /GUID/.test(error.message),
        value,
      );
    }
  });

  it('refuses a bot domain given as a URL, naming BOT_DOMAIN', () => {
    for (const value of [
      'https://bot.example.com',
      'bot.example.com/api/messages',
      'bot',
      'bot.example.com:443',
    ]) {
      assert.throws(
        () => readTeamsPackageSettings({ MICROSOFT_APP_ID: APP_ID, BOT_DOMAIN: value }),
        (error: unknown) => error instanceof ConfigError && error.variable === 'BOT_DOMAIN',
        value,
      );
    }
  });
});

describe('Teams package', () => {
  let work: string;

  beforeEach(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'teams-package-'));
  });

  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('zips exactly manifest.json, color.png and outline.png at the root', async () => {
    const written = await buildTeamsPackage(
      { appId: APP_ID, botDomain: 'bot.example.com' },
      { outPath: path.join(work, 'out', 'app.zip') },
    );
    const zip = await JSZip.loadAsync(await readFile(written));

    assert.deepEqual(Object.keys(zip.files).sort(), ['color.png', 'manifest.json', 'outline.png']);

    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as Filled;
    assert.equal(manifest.bots[0]?.botId, APP_ID);
    assert.deepEqual(await validateTeamsManifest(manifest as never), []);

    const color = await zip.file('color.png')!.async('nodebuffer');
    const outline = await zip.file('outline.png')!.async('nodebuffer');
    assert.deepEqual(pngSize(color), { width: 192, height: 192 });
    assert.deepEqual(pngSize(outline), { width: 32, height: 32 });
  });

  it('writes the same bytes for the same inputs', async () => {
    const settings = { appId: APP_ID };
    const a = await readFile(
      await buildTeamsPackage(settings, { outPath: path.join(work, 'a.zip') }),
    );
    const b = await readFile(
      await buildTeamsPackage(settings, { outPath: path.join(work, 'b.zip') }),
    );

    assert.ok(a.equals(b));
  });

  it('refuses an icon of the wrong size', async () => {
    const source = path.join(work, 'teams');
    await cp(TEAMS_SOURCE_DIR, source, { recursive: true });
    await writeFile(
      path.join(source, 'outline.png'),
      pngjs.PNG.sync.write(new pngjs.PNG({ width: 64, height: 64 })),
    );

    await assert.rejects(
      buildTeamsPackage(
        { appId: APP_ID },
        { sourceDir: source, outPath: path.join(work, 'x.zip') },
      ),
      /outline\.png must be 32x32 pixels, is 64x64/,
    );
  });

  it('refuses a template that breaks the schema, writing nothing', async () => {
    const source = path.join(work, 'teams');
    await cp(TEAMS_SOURCE_DIR, source, { recursive: true });
    const broken = JSON.parse(await readFile(path.join(source, 'manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    delete broken.accentColor;
    await writeFile(path.join(source, 'manifest.json'), JSON.stringify(broken));

    await assert.rejects(
      buildTeamsPackage(
        { appId: APP_ID },
        { sourceDir: source, outPath: path.join(work, 'x.zip') },
      ),
      /accentColor/,
    );
    assert.deepEqual(await readdir(work), ['teams']);
  });
});

describe('npm run package:teams', () => {
  let work: string;
  const script = path.join(root, 'scripts/package-teams.ts');
  const tsx = path.join(root, 'node_modules/.bin/tsx');

  /** Runs the script in an empty folder, so the developer's own .env cannot interfere. */
  function run(env: Record<string, string>): { status: number | null; stderr: string } {
    const result = spawnSync(tsx, [script], {
      cwd: work,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
    });
    return { status: result.status, stderr: result.stderr };
  }

  beforeEach(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'teams-cli-'));
  });

  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('exits 1 naming MICROSOFT_APP_ID when it is missing', () => {
    const { status, stderr } = run({});

    assert.equal(status, 1);
    assert.match(stderr, /MICROSOFT_APP_ID: is required/);
    assert.doesNotMatch(stderr, /at .*\.ts:\d+/, 'no stack trace for a configuration mistake');
  });

  it('reads .env, and the environment wins over it', async () => {
    await writeFile(path.join(work, '.env'), 'MICROSOFT_APP_ID=from-dotenv\n');

    assert.match(run({}).stderr, /got "from-dotenv"/);
    assert.match(run({ MICROSOFT_APP_ID: 'from-env' }).stderr, /got "from-env"/);
  });
});
