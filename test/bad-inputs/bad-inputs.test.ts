/**
 * Runs the bad-input corpus (cases.ts): every case gives its exit code and first line, and none
 * gives a stack trace, an internal error (exit 255) or more than one error line on stderr.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, kripke, type Run } from '../cli/helpers.js';
import { CASES, type BadInput } from './cases.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'kripke.mjs');
let base: string; // a valid trace file
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'kripke-bad-'));
  const r = await kripke('check', 'bench/tlbbench.ts', '--const', 'MODE=local', '--invariant', 'NoStaleTranslation', '--out', scratch, '--quiet');
  expect(r.code).toBe(12);
  base = join(scratch, 'tlbbench-local-NoStaleTranslation.itf.json');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the bin, sending the case's signals half a second after the run has printed its header. */
function runBin(args: string[], signals: readonly NodeJS.Signals[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: join(import.meta.dirname, '..', '..'), env: childEnv() });
    let out = '';
    let err = '';
    let sent = false;
    const sendAll = () => {
      if (sent || signals.length === 0) return;
      sent = true;
      signals.forEach((sig, i) => setTimeout(() => child.kill(sig), 500 + i * 150));
    };
    child.stdout.on('data', (d) => {
      out += d;
      if (/^(Checking|kripke suite)/m.test(out)) sendAll();
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code: code ?? -1, out, err: err.replace(/^Progress.*\n/gm, '') }));
  });
}

async function run(c: BadInput): Promise<Run> {
  const dir = mkdtempSync(join(scratch, 'case-'));
  c.setup?.(dir);
  let trace = '';
  if (c.trace) {
    trace = join(dir, 'trace.itf.json');
    copyFileSync(base, trace);
    const edited = c.trace(JSON.parse(readFileSync(base, 'utf8')));
    writeFileSync(trace, typeof edited === 'string' ? edited : JSON.stringify(edited, null, 2));
  }
  const args = c.args.map((a) => a.replace('$DIR', dir).replace('$TRACE', trace));
  return c.bin ? runBin(args, c.signals ?? []) : kripke(...args);
}

/** stderr's first line, else the first stdout line that states the outcome. */
function firstLine(r: Run): string {
  const err = r.err.split('\n').filter((l) => l.trim() !== '');
  if (err.length > 0) return err[0];
  return r.out.split('\n').find((l) => /^(Error:|Search|Model checking)/.test(l)) ?? '(nothing)';
}

describe('the bad-input corpus', () => {
  it('has at least 60 cases, each named once', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });
  for (const c of CASES) {
    it(`${c.name}: exit ${c.code}`, { timeout: 30_000 }, async () => {
      const r = await run(c);
      const all = r.out + r.err;
      expect(all, 'no stack trace').not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
      expect(all, 'no internal error').not.toMatch(/internal error/);
      expect(firstLine(r)).toMatch(c.first);
      expect(r.code, `${firstLine(r)}\n${r.err}`).toBe(c.code);
      if (c.absent) expect(all).not.toMatch(c.absent);
      const errLines = r.err.split('\n').filter((l) => l.trim() !== '' && !/^kripke: (SIGINT|SIGTERM|SIGHUP)/.test(l));
      expect(errLines.length, r.err).toBeLessThanOrEqual(1);
    });
  }
});
