/** `kripke check --minimise`: the least interleaved shortest counterexample, printed, written and replayable. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kripke } from './helpers.js';

describe('kripke check --minimise', () => {
  it('reports both numbers, keeps the length, and writes a trace that replays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kripke-min-'));
    const plain = await kripke('check', 'spec/kernel.ts', '--const', 'VARIANT=V2b', '--invariant', 'NoStaleTranslation', '--out', dir, '--plain');
    const r = await kripke('check', 'spec/kernel.ts', '--const', 'VARIANT=V2b', '--invariant', 'NoStaleTranslation', '--out', dir, '--plain', '--minimise');
    expect(r.code).toBe(12);
    expect(r.out).toMatch(/^Minimised: 6 lane switches \(the BFS's trace had 7\), the fewest among the shortest counterexamples; [\d,]+ \(state, lane\) entries in [\d.]+ s$/m);
    expect(r.out).toContain('The shortest counterexample with the fewest lane switches has 13 states (12 actions):');
    expect(plain.out).toContain('The shortest counterexample has 13 states (12 actions):');
    expect(/Index path: (\S+)/.exec(r.out)![1]).not.toBe(/Index path: (\S+)/.exec(plain.out)![1]);
    const replay = await kripke('replay', /Trace file: (\S+)/.exec(r.out)![1]);
    expect(replay.code).toBe(0);
    expect(replay.out).toMatch(/Confirmed: NoStaleTranslation is violated/);
  });
});
