/** `kripke mutate`: the table, the traces of necessary weakenings (replayable on the same mutant), bad input. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kripke } from './helpers.js';

describe('kripke mutate', () => {
  it('prints one row per weakening and writes the counterexample of each necessary one, which replays on that mutant', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kripke-mut-'));
    const r = await kripke('mutate', 'spec/kernel.ts', '--const', 'VARIANT=V0', '--invariant', 'NoStaleTranslation', '--out', dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('As it is: every property holds (1,220 states');
    expect(r.out).toMatch(/^guard ReleasePfn\.unmapReturned dropped +necessary: NoStaleTranslation fails \(7\)/m);
    expect(r.out).toMatch(/^guard TlbFinishMmu\.ackWait dropped +no effect here: the same states and transitions/m);
    expect(r.out).toMatch(/^rule maskBitBeforeCr3 negated +necessary: NoStaleTranslation fails \(12\)/m);
    const file = /Trace file: (\S+mutate-maskBitBeforeCr3-NoStaleTranslation\.itf\.json)/.exec(r.out)![1];
    const replay = await kripke('replay', file);
    expect(replay.code).toBe(0);
    expect(replay.out).toContain('The trace was found on a weakened spec (kripke mutate): rule maskBitBeforeCr3 negated');
    expect(replay.out).toMatch(/Confirmed: NoStaleTranslation is violated/);
  });

  it('a baseline cut short by a limit: no weakening is checked, exit 4', async () => {
    const r = await kripke('mutate', 'spec/kernel.ts', '--const', 'VARIANT=V2b', '--invariant', 'NoStaleTranslation', '--max-states', '500', '--out', mkdtempSync(join(tmpdir(), 'kripke-mut-')));
    expect(r.code).toBe(4);
    expect(r.out).toContain('As it is: no verdict: --max-states 500 reached, so no weakening is judged');
    expect(r.out).toContain('No weakening was checked: the spec as it is has no verdict to judge them against.');
  });

  it('bad input: an unknown name, a spec with nothing to weaken', async () => {
    const r = await kripke('mutate', 'spec/kernel.ts', '--weaken', 'nothing');
    expect(r.code).toBe(151);
    expect(r.err).toMatch(/no guard or rule named nothing/);
    const m = await kripke('mutate', 'examples/mutex.ts');
    expect(m.code).toBe(151);
    expect(m.err).toMatch(/names no guards .* and no rules/);
  });
});
