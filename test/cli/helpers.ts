import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process, capturing output. */
export async function kripke(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  let err = '';
  const stream = { isTTY: false, columns: 80, write: (s: string) => ((err += s), true) } as unknown as NodeJS.WriteStream;
  const code = await main(argv, { out: (l) => out.push(l), err: stream });
  return { code, out: out.join('\n'), err };
}

/** The environment of a child run: this one without the colour switches (so output is plain), plus `extra`. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const k of ['FORCE_COLOR', 'NO_COLOR']) if (!(k in extra)) delete env[k];
  return env;
}

/** Runs the real bin (tsx registration included) in a child process, with `env` added to childEnv(). */
export function kripkeBinEnv(env: Record<string, string>, ...argv: string[]): Run {
  const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'kripke.mjs'), ...argv], {
    encoding: 'utf8',
    cwd: join(import.meta.dirname, '..', '..'),
    env: childEnv(env),
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Runs the real bin (tsx registration included) in a child process. */
export function kripkeBin(...argv: string[]): Run {
  return kripkeBinEnv({}, ...argv);
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kripke-cli-'));
}

export const FIX = 'test/cli/fixtures';
