/**
 * The CLI as a process: Node's heap limit raised to the memory budget, the heap guard that stops
 * a search before a V8 heap abort, output into a closed pipe, and temporary files left by a
 * killed run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kripke, tempDir } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'kripke.mjs');

describe('memory', () => {
  it('--memory above the default heap limit: the run gets a heap that large', () => {
    const r = spawnSync(process.execPath, [BIN, 'check', 'test/bad-inputs/specs/heap-limit.ts', '--memory', '9GiB', '--quiet'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout.split('\n')[0]).toMatch(/spec heap-limit-9GiB/);
    expect(r.status).toBe(0);
  });
  it('a search that would fill the JS heap stops cleanly first (exit 4), never a V8 heap abort', () => {
    const r = spawnSync(process.execPath, ['--max-old-space-size=128', BIN, 'check', 'test/bad-inputs/specs/heap-hungry.ts', '--quiet'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, KRIPKE_HEAP_RAISED: '1' }, // keep the 128 MiB heap: no re-run with a larger one
    });
    expect(r.stderr).not.toMatch(/FATAL ERROR|heap out of memory/);
    expect(r.stdout).toMatch(/^Search incomplete: memory budget reached: the JS heap holds \d+ MiB of its 128 MiB limit\. No verdict/m);
    expect(r.stdout).toMatch(/distinct states found/);
    expect(r.status).toBe(4);
  });
});

describe('output into a closed pipe', () => {
  it('ends quietly: no EPIPE stack trace, no internal error; the verdict\'s exit code, or 141 before it', async () => {
    // more output than a pipe buffers (64 KiB): the run is still writing when the reader is gone
    const child = spawn(process.execPath, [BIN, 'check', 'test/bad-inputs/specs/deep-list.ts', '--const', 'LEN=60000', '--quiet', '--out', tempDir()], { cwd: ROOT });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect(err).not.toMatch(/EPIPE|\n\s+at /);
    // 12 if the verdict was known when the pipe closed, 141 (128 + SIGPIPE) if not yet
    expect([12, 141]).toContain(code);
  });
});

describe('temporary files', () => {
  it('one left by a killed run (its process gone) is removed by the next write to its folder; a live one stays', async () => {
    const dir = tempDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const stale = join(dir, `.tlbbench-local-NoStaleTranslation.itf.json.${dead}.kripke-tmp`);
    const live = join(dir, `.other.itf.json.${process.pid}.kripke-tmp`);
    writeFileSync(stale, '{"half": ');
    writeFileSync(live, '{"being": ');
    const r = await kripke('check', 'bench/tlbbench.ts', '--const', 'MODE=local', '--invariant', 'NoStaleTranslation', '--out', dir, '--quiet');
    expect(r.code).toBe(12);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.kripke-tmp'))).toEqual([`.other.itf.json.${process.pid}.kripke-tmp`]);
  });
});
