/** Small readers that turn one environment variable into a typed value or a ConfigError naming it. */
import { ConfigError } from '../errors.js';

export type Env = Record<string, string | undefined>;

/** The trimmed value, or undefined when unset or blank. */
export function str(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function required(env: Env, name: string, why: string): string {
  const value = str(env, name);
  if (value === undefined) throw new ConfigError(name, `is required ${why}`);

  return value;
}

export function int(
  env: Env,
  name: string,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = str(env, name);
  if (value === undefined) return fallback;

  if (!/^\d+$/.test(value)) throw new ConfigError(name, `must be a whole number, got "${value}"`);

  const n = Number(value);
  if (n < min || n > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);

  return n;
}

export function bool(env: Env, name: string, fallback: boolean): boolean {
  const value = str(env, name)?.toLowerCase();
  if (value === undefined) return fallback;

  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(name, `must be true or false, got "${value}"`);
}

export function oneOf<T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = str(env, name);
  if (value === undefined) return fallback;

  const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!match) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${value}"`);

  return match;
}

/** A URL with one of the given schemes. */
export function url(env: Env, name: string, schemes: string[]): string | undefined {
  const value = str(env, name);
  if (value === undefined) return undefined;

  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `must be a URL such as ${schemes[0]}//host, got "${value}"`);
  }
  if (!schemes.includes(parsed.protocol)) {
    throw new ConfigError(
      name,
      `must start with ${schemes.join(' or ')}, got "${parsed.protocol}"`,
    );
  }

  return value;
}
