/**
 * The benchmarks' child processes (bots, the Duo simulator): started with node on a script next
 * to this file, as TypeScript through tsx or as the JavaScript tsc wrote (npm run bench:*), and
 * ready once they print a JSON line with their URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** A running child, its URL, and a promise that resolves when it has exited. */
export interface BenchChild {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

/**
 * Run `script` (a path relative to bench/, without extension) with `args`, and wait for the first
 * stdout line containing `marker`, a JSON object with a `url`.
 */
export async function startBenchChild(
  script: string,
  args: string[],
  marker: string,
  options: { nodeFlags?: string[]; stdin?: 'pipe' | 'ignore'; name: string },
): Promise<BenchChild> {
  const compiled = import.meta.filename.endsWith('.js');
  const file = path.join(import.meta.dirname, `${script}.${compiled ? 'js' : 'ts'}`);
  const loader = compiled ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...loader, file, ...args], {
    stdio: [options.stdin ?? 'ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Should the benchmark die of an error, its children go with it rather than linger.
  process.once('exit', () => child.kill());
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.includes(marker));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`${options.name} exited (${code}): ${out}`)));
  });

  return { child, url, exited };
}
