import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// There is no Docker engine here, so the Dockerfile is checked as text, and its health check
// command is run with the local node against a server on 127.0.0.1.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

type Instruction = { name: string; args: string };

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');

  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const space = line.search(/\s/);
      return { name: line.slice(0, space).toUpperCase(), args: line.slice(space + 1).trim() };
    });
}

/** The JSON array of an exec-form CMD, or of the CMD part of a HEALTHCHECK. */
function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  const parsed: unknown = JSON.parse(json);
  assert.ok(Array.isArray(parsed) && parsed.every((s) => typeof s === 'string'), args);

  return parsed as string[];
}

/** KEY=value pairs of ENV lines (values here never contain spaces). */
function envOf(list: Instruction[]): Record<string, string> {
  const pairs = list
    .filter((i) => i.name === 'ENV')
    .flatMap((i) => i.args.split(/\s+/))
    .map((pair) => pair.split('=') as [string, string]);
  return Object.fromEntries(pairs);
}

const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const everyStep = instructions(dockerfile);
const stageStarts = everyStep.flatMap((i, n) => (i.name === 'FROM' ? [n] : []));
/** The build stage (compiles) and the final stage (the image that runs). */
const buildStage = everyStep.slice(stageStarts[0], stageStarts.at(-1));
const steps = everyStep.slice(stageStarts.at(-1));
const all = (name: string) => steps.filter((i) => i.name === name);
const last = (name: string) => all(name).at(-1);
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
};

describe('Dockerfile', () => {
  it('builds in one stage and runs in another, both from a slim Node 20 or later image', () => {
    const from = everyStep.filter((i) => i.name === 'FROM');
    assert.equal(from.length, 2);
    for (const f of from) {
      const match = /^node:(\d+)-[\w-]*slim(\s+AS\s+\w+)?$/i.exec(f.args);
      assert.ok(match && Number(match[1]) >= 20, f.args);
    }
    const stage = /\s+AS\s+(\w+)$/i.exec(from[0]!.args)?.[1];
    assert.ok(stage, 'the build stage is named');
    assert.ok(
      all('COPY').some((i) => i.args.startsWith(`--from=${stage} /app/dist `)),
      'the final stage takes the compiled dist/ from the build stage',
    );
    assert.ok(buildStage.some((i) => i.name === 'RUN' && i.args === 'npm run build'));
  });

  it('runs as a user other than root, set before CMD', () => {
    const user = last('USER');
    assert.ok(user, 'no USER instruction');
    assert.doesNotMatch(user.args, /^(root|0)(:|$)/);
    assert.ok(steps.indexOf(user) < steps.indexOf(last('CMD')!));
  });

  it('installs production dependencies only in the image that runs', () => {
    const installs = all('RUN').filter((i) => /\bnpm (ci|install|i)\b/.test(i.args));
    assert.ok(installs.length > 0);
    for (const run of installs) assert.match(run.args, /npm ci --omit=dev/);

    // Every package the running bot imports must survive --omit=dev.
    const imported = new Set<string>();
    for (const folder of ['src', 'bot', 'cards', 'adapters']) {
      for (const file of readdirSync(path.join(root, folder), { recursive: true })) {
        if (!String(file).endsWith('.ts')) continue;
        const text = readFileSync(path.join(root, folder, String(file)), 'utf8');
        const specs = [
          ...text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'([^.'][^']*)'/gm),
          ...text.matchAll(/\bimport\(\s*'([^.'][^']*)'\s*\)/g),
        ].map((m) => m[1]!);
        for (const spec of specs) {
          if (spec.startsWith('node:')) continue;
          const parts = spec.split('/');
          imported.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
        }
      }
    }
    assert.ok(imported.has('botbuilder') && imported.has('@slack/bolt'), [...imported].join());
    for (const name of imported) assert.ok(pkg.dependencies[name], `${name} is not a dependency`);
  });

  it('sets production mode, listens on all interfaces and exposes 3978', () => {
    const env = envOf(steps);
    assert.equal(env.NODE_ENV, 'production');
    assert.equal(env.HOST, '0.0.0.0');
    assert.equal(env.PORT, '3978');
    assert.deepEqual(
      all('EXPOSE').map((i) => i.args),
      ['3978'],
    );
  });

  it('keeps the store on a volume at /app/data', () => {
    assert.equal(last('WORKDIR')?.args, '/app');
    assert.ok(all('VOLUME').some((i) => i.args.includes('/app/data')));
  });

  it('copies no secrets: no .env, no whole context, no secret-looking ENV or ARG', () => {
    const copies = everyStep.filter((i) => i.name === 'COPY' || i.name === 'ADD');
    for (const copy of copies.filter((c) => !c.args.startsWith('--from='))) {
      const sources = copy.args
        .split(/\s+/)
        .filter((s) => !s.startsWith('--'))
        .slice(0, -1);
      for (const source of sources) {
        assert.doesNotMatch(source, /(^|\/)\.env|^\.\/?$|\*/, copy.args);
        assert.ok(existsSync(path.join(root, source)), `${source} is copied but does not exist`);
      }
    }

    const names = [
      ...Object.keys(envOf(everyStep)),
      ...everyStep.filter((i) => i.name === 'ARG').map((i) => i.args.split('=')[0] ?? ''),
    ];
    for (const name of names) assert.doesNotMatch(name, /SECRET|PASSWORD|TOKEN|KEY/i, name);
  });

  it('compiles every folder the running bot imports from, as tsconfig.build.json names them', () => {
    const copied = buildStage
      .filter((i) => i.name === 'COPY')
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    const build = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as {
      include: string[];
      compilerOptions: { outDir: string };
    };
    assert.deepEqual(build.include, ['src', 'bot', 'cards', 'adapters']);
    assert.equal(build.compilerOptions.outDir, 'dist');
    // Everything `npm run build` reads: the sources, both tsconfigs and the asset-copy script.
    const buildReads = [
      ...pkg.scripts.build!.matchAll(/\b(tsconfig[\w.]*\.json|scripts\/[\w-]+\.ts)\b/g),
    ];
    assert.ok(buildReads.length >= 2, pkg.scripts.build);
    for (const source of [...build.include, 'tsconfig.json', ...buildReads.map((m) => m[1]!)])
      assert.ok(copied.includes(source), source);
  });

  it('starts node directly on the compiled entry point that npm start runs after its build', () => {
    const cmd = execForm(last('CMD')?.args ?? '');
    assert.deepEqual(cmd, ['node', 'dist/adapters/start.js']);
    assert.ok(existsSync(path.join(root, 'adapters/start.ts')));
    assert.equal(pkg.scripts.start, `npm run --silent build && ${cmd.join(' ')}`);
    assert.match(pkg.scripts.build ?? '', /^tsc -p tsconfig\.build\.json\b/);
  });

  describe('HEALTHCHECK', () => {
    let server: Server;
    let status = 200;
    let paths: string[] = [];

    before(async () => {
      server = createServer((req, res) => {
        paths.push(req.url ?? '');
        res.writeHead(status).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });

    after(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    beforeEach(() => {
      paths = [];
    });

    /** Runs the health check command with PORT set, as Docker would inside the container. */
    function check(port: number): Promise<number | null> {
      const [command, ...args] = execForm(last('HEALTHCHECK')?.args ?? '');
      assert.equal(command, 'node', 'the slim image has no curl');

      const child = spawn(process.execPath, args, { env: { PORT: String(port) }, stdio: 'ignore' });
      return new Promise((resolve) => child.on('exit', resolve));
    }

    const port = () => (server.address() as AddressInfo).port;

    it('is healthy when GET /healthz answers 200', async () => {
      status = 200;
      assert.equal(await check(port()), 0);
      assert.deepEqual(paths, ['/healthz']);
    });

    it('is unhealthy on any other status', async () => {
      status = 503;
      assert.equal(await check(port()), 1);
    });

    it('is unhealthy when nothing listens', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const free = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));

      assert.equal(await check(free), 1);
    });
  });
});

describe('.dockerignore', () => {
  const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

  it('keeps dependencies, data, secrets and test output out of the build context', () => {
    for (const entry of [
      'node_modules',
      'data',
      '.env',
      '.env.*',
      'coverage',
      'manifest/build',
      '.git',
    ]) {
      assert.ok(ignored.includes(entry), entry);
    }
  });
});
