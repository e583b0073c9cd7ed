/**
 * Bad input gets one clear line on stderr and a distinct exit code, never a stack trace.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIX, kripke, tempDir } from './helpers.js';

function oneLine(err: string): string {
  const lines = err.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(err).not.toMatch(/\n\s+at /);
  return lines[0];
}

describe('spec loading (exit 150)', () => {
  it('missing module', async () => {
    const r = await kripke('check', 'spec/does-not-exist.ts');
    expect(r.code).toBe(150);
    expect(oneLine(r.err)).toMatch(/cannot load spec\/does-not-exist.ts: no such file/);
  });
  it('no default export', async () => {
    const r = await kripke('check', `${FIX}/no-default.ts`);
    expect(r.code).toBe(150);
    expect(oneLine(r.err)).toMatch(/has no default export/);
  });
  it('default export is not a spec', async () => {
    const r = await kripke('check', `${FIX}/not-a-spec.ts`);
    expect(r.code).toBe(150);
    expect(oneLine(r.err)).toMatch(/not a spec made by defineSpec/);
  });
  it('module that throws when imported', async () => {
    const r = await kripke('check', `${FIX}/throws-on-import.ts`);
    expect(r.code).toBe(150);
    expect(oneLine(r.err)).toMatch(/boom at import/);
  });
  it('module with a syntax error', async () => {
    const r = await kripke('check', `${FIX}/syntax-error.ts`);
    expect(r.code).toBe(150);
    expect(oneLine(r.err)).toMatch(/cannot load .*syntax-error.ts/);
  });
  it('a suite given to check, and a spec given to suite', async () => {
    expect((await kripke('check', `${FIX}/suite-ok.ts`)).code).toBe(150);
    expect((await kripke('suite', 'bench/tlbbench.ts')).code).toBe(150);
  });
});

describe('constants, flags and property names (exit 151)', () => {
  it('unknown constant names the known ones', async () => {
    const r = await kripke('check', 'bench/tlbbench.ts', '--const', 'Q=3');
    expect(r.code).toBe(151);
    expect(oneLine(r.err)).toMatch(/unknown constant 'Q' \(the spec declares N, P, F, MODE\)/);
  });
  it('value outside the allowed set', async () => {
    const r = await kripke('check', 'bench/tlbbench.ts', '--const', 'MODE=lazy');
    expect(r.code).toBe(151);
    expect(oneLine(r.err)).toMatch(/MODE=lazy is not allowed: expected shootdown, local/);
  });
  it('non-integer and out-of-range integer', async () => {
    expect((await kripke('check', 'bench/tlbbench.ts', '--const', 'N=two')).code).toBe(151);
    const r = await kripke('check', 'bench/tlbbench.ts', '--const', 'N=0');
    expect(r.code).toBe(151);
    expect(oneLine(r.err)).toMatch(/N=0 is not allowed: expected an integer in 1..16/);
  });
  it('malformed assignment', async () => {
    const r = await kripke('check', 'bench/tlbbench.ts', '--const', 'N');
    expect(r.code).toBe(151);
    expect(oneLine(r.err)).toMatch(/expected NAME=VALUE/);
  });
  it('unknown property', async () => {
    const r = await kripke('check', 'bench/tlbbench.ts', '--invariant', 'NoSuchThing');
    expect(r.code).toBe(151);
    expect(oneLine(r.err)).toMatch(/unknown property 'NoSuchThing' \(the spec has NoStaleTranslation, TlbCoherent\)/);
  });
  it('unknown flag', async () => {
    const r = await kripke('check', 'bench/tlbbench.ts', '--frobnicate');
    expect(r.code).toBe(151);
    expect(oneLine(r.err)).toMatch(/Unknown option '--frobnicate'/);
  });
  it('flag of another command, bad numbers, unknown command, missing argument', async () => {
    expect((await kripke('list', 'bench/tlbbench.ts', '--continue')).code).toBe(151);
    expect(oneLine((await kripke('check', 'bench/tlbbench.ts', '--max-states', 'many')).err)).toMatch(/--max-states expects a positive integer/);
    expect((await kripke('check', 'bench/tlbbench.ts', '--reporter', 'xml')).code).toBe(151);
    expect(oneLine((await kripke('frob')).err)).toMatch(/unknown command 'frob'/);
    expect(oneLine((await kripke('check')).err)).toMatch(/needs a spec module/);
  });
});

describe('evaluation errors (exit 75)', () => {
  it('an action that throws is named, with the state it threw on', async () => {
    const r = await kripke('check', `${FIX}/throwing-action.ts`);
    expect(r.code).toBe(75);
    expect(r.out).toMatch(/Error: action Explode threw: division by zero in Explode/);
    expect(r.out).toMatch(/State 3: Inc\n\s+n: 1 -> 2/);
    expect(r.out).toMatch(/Index path: 0\/0\/0/);
  });
  it('a mutable value in a state names the action and the path', async () => {
    const r = await kripke('check', `${FIX}/mutable-state.ts`);
    expect(r.code).toBe(75);
    expect(r.out).toMatch(/action Log.*state\.log is a plain object/);
  });
});

describe('trace files (exit 152 corrupt, 153 does not replay)', () => {
  async function goodTrace(dir: string): Promise<string> {
    const r = await kripke('check', 'bench/tlbbench.ts', '--const', 'MODE=local', '--invariant', 'NoStaleTranslation', '--out', dir, '--quiet');
    expect(r.code).toBe(12);
    return join(dir, 'tlbbench-local-NoStaleTranslation.itf.json');
  }
  it('missing file', async () => {
    const r = await kripke('replay', 'bench/tlbbench.ts', 'traces/out/none.itf.json');
    expect(r.code).toBe(152);
    expect(oneLine(r.err)).toMatch(/cannot read trace file .*ENOENT/);
  });
  it('truncated file', async () => {
    const dir = tempDir();
    const file = await goodTrace(dir);
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, text.length / 2));
    const r = await kripke('replay', 'bench/tlbbench.ts', file);
    expect(r.code).toBe(152);
    expect(oneLine(r.err)).toMatch(/not valid JSON \(truncated or corrupt\)/);
  });
  it('valid JSON that is not ITF', async () => {
    const file = join(tempDir(), 'x.itf.json');
    writeFileSync(file, JSON.stringify({ states: [] }));
    const r = await kripke('replay', 'bench/tlbbench.ts', file);
    expect(r.code).toBe(152);
    expect(oneLine(r.err)).toMatch(/not an ITF trace: "vars" is missing/);
  });
  it('a tampered state is reported with the step and the differing values', async () => {
    const dir = tempDir();
    const file = await goodTrace(dir);
    const { readFileSync } = await import('node:fs');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.states[4].pte['#map'][0][1] = { '#bigint': '2' };
    writeFileSync(file, JSON.stringify(doc));
    const r = await kripke('replay', 'bench/tlbbench.ts', file);
    expect(r.code).toBe(153);
    expect(oneLine(r.err)).toMatch(/step 4: Fill\(c=1, p=1\) does not reproduce the recorded state: pte\[1\]: recorded 2, replayed 1/);
  });
  it('a step that is not enabled', async () => {
    const r = await kripke('replay', 'bench/tlbbench.ts', '0/18');
    expect(r.code).toBe(153);
    expect(oneLine(r.err)).toMatch(/step 1: action Unmap\(c=1, p=1\) is not enabled/);
  });
  it('an action the spec does not have', async () => {
    const dir = tempDir();
    const file = await goodTrace(dir);
    const { readFileSync } = await import('node:fs');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.states[2]['#meta'].action = 'Teleport';
    writeFileSync(file, JSON.stringify(doc));
    const r = await kripke('replay', 'bench/tlbbench.ts', file);
    expect(r.code).toBe(153);
    expect(oneLine(r.err)).toMatch(/step 2: the spec has no action Teleport/);
  });
});
