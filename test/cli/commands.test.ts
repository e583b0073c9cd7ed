/**
 * The CLI's behaviour on good input: verdicts, exit codes, trace files, replay, limits, reports.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIX, kripke, kripkeBin, tempDir } from './helpers.js';

describe('kripke check', () => {
  it('tlbbench at its defaults holds, with statistics and coverage', async () => {
    const r = await kripke('check', 'bench/tlbbench.ts', '--quiet');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Model checking completed\. No violation found\./);
    expect(r.out).toMatch(/533 distinct states found, 2,325 states generated \(1 initial, 2,324 transitions\), depth 10, 0 states left on queue/);
    expect(r.out).toMatch(/Fingerprint collision probability \(optimistic\): \d\.\de-\d+/);
    expect(r.out).toMatch(/Coverage[^\n]*\n\s+SwitchIn\s+[\d,]+\s+2\/2 instances enabled/);
  });

  it('MODE=local: NoStaleTranslation fails with a 6-action trace written as ITF, and replay accepts it', async () => {
    const dir = tempDir();
    const r = await kripke('check', 'bench/tlbbench.ts', '--const', 'MODE=local', '--invariant', 'NoStaleTranslation', '--out', dir, '--quiet');
    expect(r.code).toBe(12);
    expect(r.out).toMatch(/Error: Invariant NoStaleTranslation is violated: tlb\[\d\]\[1\] = 1 and free\[1\]/);
    expect(r.out).toMatch(/The shortest counterexample has 7 states \(6 actions\)/);
    expect(r.out).toMatch(/State 1: Init\n  running = \[1: false, 2: false\]/);
    expect(r.out).toMatch(/State 7: Release\n  free\[1\]: false -> true/);
    const file = join(dir, 'tlbbench-local-NoStaleTranslation.itf.json');
    expect(r.out).toContain(`Trace file: ${file}`);
    expect(r.out).toContain(`Replay:     npx kripke replay bench/tlbbench.ts ${file}`);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    // Structured #meta values are JSON text (itf-rs reads extra #meta keys as strings); older files hold objects.
    const structured = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    expect(doc['#meta']).toMatchObject({ format: 'ITF', spec: 'tlbbench' });
    expect(structured(doc['#meta'].violation)).toMatchObject({ property: 'NoStaleTranslation', kind: 'invariant' });
    expect(structured(doc['#meta'].constants).MODE).toBe('local');
    expect(doc.vars).toEqual(['running', 'mask', 'pte', 'tlb', 'free', 'busy', 'opPage', 'opFrame', 'pending']);
    expect(doc.states).toHaveLength(7);
    expect(doc.states[0].busy).toBe(false);
    expect(doc.states[0].pte).toEqual({ '#map': [[{ '#bigint': '1' }, { '#bigint': '0' }], [{ '#bigint': '2' }, { '#bigint': '0' }]] });
    expect(doc.states[1]['#meta']).toMatchObject({ index: 1, action: 'SwitchIn' });
    expect(structured(doc.states[1]['#meta'].params)).toEqual({ c: { '#bigint': '1' } });

    const replay = await kripke('replay', 'bench/tlbbench.ts', file);
    expect(replay.code).toBe(0);
    expect(replay.out).toMatch(/7 states; every step is an enabled action that reproduces the recorded state/);
    expect(replay.out).toMatch(/Confirmed: NoStaleTranslation is violated at the end: tlb\[\d\]\[1\] = 1 and free\[1\]/);
  });

  it('checking both invariants in local mode reports TlbCoherent first (5 actions)', async () => {
    const r = await kripke('check', 'bench/tlbbench.ts', '--const', 'MODE=local', '--out', tempDir(), '--quiet');
    expect(r.code).toBe(12);
    expect(r.out).toMatch(/Invariant TlbCoherent is violated/);
    expect(r.out).toMatch(/The shortest counterexample has 6 states/);
  });

  it('trace files are byte-stable across runs', async () => {
    const a = tempDir();
    const b = tempDir();
    await kripke('check', 'bench/tlbbench.ts', '--const', 'MODE=local', '--out', a, '--quiet');
    await kripke('check', 'bench/tlbbench.ts', '--const', 'MODE=local', '--out', b, '--quiet');
    const name = 'tlbbench-local-TlbCoherent.itf.json';
    expect(readFileSync(join(a, name), 'utf8')).toBe(readFileSync(join(b, name), 'utf8'));
  });

  it('--continue collects one violation per property', async () => {
    const r = await kripke('check', 'bench/tlbbench.ts', '--const', 'MODE=local', '--continue', '--out', tempDir(), '--quiet');
    expect(r.code).toBe(12);
    expect(r.out).toMatch(/Invariant TlbCoherent is violated/);
    expect(r.out).toMatch(/Invariant NoStaleTranslation is violated/);
    expect(r.out).toMatch(/2 violation\(s\) found/);
  });

  it('limits stop cleanly with partial statistics and exit 4', async () => {
    const r = await kripke('check', 'bench/tlbbench.ts', '--max-states', '100', '--quiet');
    expect(r.code).toBe(4);
    expect(r.out).toMatch(/Search incomplete: --max-states 100 reached/);
    expect(r.out).toMatch(/100 distinct states found/);
    const d = await kripke('check', 'bench/tlbbench.ts', '--max-depth', '3', '--quiet');
    expect(d.code).toBe(4);
    expect(d.out).toMatch(/--max-depth 3 reached/);
  });

  it('--reporter json writes a result file and keeps the human output', async () => {
    const dir = tempDir();
    const r = await kripke('check', 'bench/tlbbench.ts', '--const', 'MODE=local', '--reporter', 'json', '--out', dir, '--quiet');
    expect(r.out).toMatch(/Invariant TlbCoherent is violated/);
    const file = join(dir, 'tlbbench-local.result.json');
    expect(r.out).toContain(`JSON result: ${file}`);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc).toMatchObject({ spec: 'tlbbench', status: 'violation', exitCode: 12, constants: { MODE: 'local' } });
    expect(doc.violations[0]).toMatchObject({ property: 'TlbCoherent', length: 6 });
    expect(doc.stats.distinct).toBeGreaterThan(0);
  });

  it('progress: one live line on a terminal (cleared at the end), TLC-style lines otherwise; both with elapsed time and memory', async () => {
    const { makeProgress } = await import('../../src/cli/progress.js');
    const stats = { generated: 721161, distinct: 96954, depth: 16, queue: 12, elapsedMs: 2000, peakRssBytes: 96 * 2 ** 20, storeBytes: 1, collisionProbability: 0 };
    let tty = '';
    const p = makeProgress({ isTTY: true, columns: 200, write: (s: string) => ((tty += s), true) } as unknown as NodeJS.WriteStream);
    p.update(stats, 1);
    p.done();
    expect(tty).toBe(
      '\rProgress: 2.00 s, 96 MiB RSS, depth 16: 96,954 distinct (48,477/s), 721,162 generated (360,581/s), 12 on queue\x1b[K\r\x1b[K',
    );
    let log = '';
    const q = makeProgress({ isTTY: false, write: (s: string) => ((log += s), true) } as unknown as NodeJS.WriteStream);
    q.update(stats, 1);
    expect(q.intervalMs).toBeGreaterThanOrEqual(1000);
    expect(log).toMatch(
      /^Progress\(16\) at \d\d:\d\d:\d\d: 721,162 states generated \(360,581\/s\), 96,954 distinct states found \(48,477\/s\), 12 states left on queue, depth 16, 2\.00 s elapsed, 96 MiB RSS\n$/,
    );
    let quiet = '';
    makeProgress({ isTTY: true, write: (s: string) => ((quiet += s), true) } as unknown as NodeJS.WriteStream, true).update(stats);
    expect(quiet).toBe('');
  });

  it('the bin runs TypeScript specs: tlbbench S has 96,954 states', () => {
    const r = kripkeBin('check', 'bench/tlbbench.ts', '--const', 'N=3,P=3,F=3', '--quiet');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/96,954 distinct states found, 721,162 states generated \(1 initial, 721,161 transitions\), depth 16/);
  });
});

describe('kripke replay with an index path', () => {
  it('prints the trace and the invariants that fail at its end', async () => {
    const r = await kripke('replay', 'bench/tlbbench.ts', '0/0/1/6/14/20/24', '--const', 'MODE=local');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/State 5: Fill\(c=1, p=1\)\n  tlb\[1\]\[1\]: 0 -> 1/);
    expect(r.out).toMatch(/In the last state, invariant NoStaleTranslation is violated: tlb\[1\]\[1\] = 1 and free\[1\]/);
  });
  it('rejects text that is neither a path nor a file', async () => {
    const r = await kripke('replay', 'bench/tlbbench.ts', 'zero/one');
    expect(r.code).toBe(153);
    expect(r.err).toMatch(/'zero\/one' is not an index path/);
  });
});

describe('kripke list', () => {
  it('shows constants, actions with instance counts and properties', async () => {
    const r = await kripke('list', 'bench/tlbbench.ts', '--const', 'N=3');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/N = 3 \(default 2 in 1\.\.16\)  CPUs/);
    expect(r.out).toMatch(/MODE = shootdown \(default shootdown in \{shootdown, local\}\)/);
    expect(r.out).toMatch(/Map\(c, p, f\)  12 instance\(s\)/);
    expect(r.out).toMatch(/NoStaleTranslation  \(invariant\)/);
  });
});

describe('kripke suite', () => {
  it('prints a verdict table and exits 0 when every verdict is as expected', async () => {
    const dir = tempDir();
    const r = await kripke('suite', `${FIX}/suite-ok.ts`, '--out', dir, '--quiet');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/shootdown\s+NoStaleTranslation\s+holds\s+yes\s+533/);
    expect(r.out).toMatch(/local\s+NoStaleTranslation\s+violated at depth 7\s+yes/);
    expect(r.out).toMatch(/2 rows in .*: 2 as expected, 0 not\./);
    const file = join(dir, 'tiny', 'local-NoStaleTranslation.itf.json');
    expect(existsSync(file)).toBe(true);
    const replay = await kripke('replay', 'bench/tlbbench.ts', file);
    expect(replay.code).toBe(0);
  });
  it('exits 14 when a verdict differs from its expectation', async () => {
    const r = await kripke('suite', `${FIX}/suite-wrong.ts`, '--out', tempDir(), '--quiet');
    expect(r.code).toBe(14);
    expect(r.out).toMatch(/violated at depth 7\s+NO, expected holds/);
  });
});

describe('kripke check --workers', () => {
  it('2 workers give the same counts and a shortest counterexample that replays', async () => {
    const ok = await kripke('check', 'bench/tlbbench.ts', '--const', 'N=3,P=2,F=2', '--workers', '2', '--quiet');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/4,967 distinct states found, 31,241 states generated \(1 initial, 31,240 transitions\)/);
    const dir = tempDir();
    const bad = await kripke('check', 'bench/tlbbench.ts', '--const', 'MODE=local', '--invariant', 'NoStaleTranslation', '--workers', '2', '--out', dir, '--quiet');
    expect(bad.code).toBe(12);
    expect(bad.out).toMatch(/The shortest counterexample has 7 states/);
    expect((await kripke('replay', join(dir, 'tlbbench-local-NoStaleTranslation.itf.json'))).code).toBe(0);
  });
  it('--workers needs a positive integer', async () => {
    const r = await kripke('check', 'bench/tlbbench.ts', '--workers', 'two');
    expect(r.code).toBe(151);
    expect(r.err).toMatch(/--workers expects a positive integer/);
  });
});
