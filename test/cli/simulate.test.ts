/** `kripke simulate`: exit codes, the shrunk trace file (replayable), the command that finds it again, bad flags. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kripke } from './helpers.js';

const out = () => mkdtempSync(join(tmpdir(), 'kripke-sim-'));

describe('kripke simulate', () => {
  it('a violation: exit 12, the shrunk trace printed and written, a file replay confirms, and "Again" finds the same trace', async () => {
    const dir = out();
    const r = await kripke('simulate', 'bench/tlbbench.ts', '--const', 'N=3,P=3,F=3,MODE=local', '--invariant', 'NoStaleTranslation', '--seed', '4', '--out', dir, '--plain');
    expect(r.code).toBe(12);
    expect(r.out).toMatch(/^Walk \d+ found it at \d+ states; shrunk to 7 in [\d,]+ replays/m);
    expect(r.out).toContain('The shrunk counterexample has 7 states (6 actions):');
    const file = /Trace file: (\S+)/.exec(r.out)![1];
    expect(file).toBe(join(dir, 'tlbbench-N3-P3-F3-local-sim-NoStaleTranslation.itf.json').replace(process.cwd() + '/', ''));
    const replay = await kripke('replay', file);
    expect(replay.code).toBe(0);
    expect(replay.out).toMatch(/Confirmed: NoStaleTranslation is violated/);
    const again = /Again: +npx kripke (.+)$/m.exec(r.out)![1].split(' ');
    const dir2 = out();
    const r2 = await kripke(...again, '--out', dir2, '--plain');
    expect(r2.code).toBe(12);
    expect(/Index path: (\S+)/.exec(r2.out)![1]).toBe(/Index path: (\S+)/.exec(r.out)![1]);
    expect(JSON.parse(readFileSync(file, 'utf8'))['#meta'].violation).toBeTruthy();
  });

  it('--workers 2: the same first violating walk and the same shrunk trace as one thread', async () => {
    const args = ['simulate', 'bench/tlbbench.ts', '--const', 'N=4,P=4,F=4,MODE=local', '--invariant', 'NoStaleTranslation', '--seed', '11', '--depth', '20', '--plain'];
    const one = await kripke(...args, '--out', out());
    const two = await kripke(...args, '--workers', '2', '--out', out());
    expect(two.code).toBe(12);
    expect(two.out).toContain('Workers: 2 threads walked');
    const walk = (t: string) => /^Walk (\d+) found it at (\d+) states/m.exec(t)!.slice(1);
    expect(walk(two.out)).toEqual(walk(one.out));
    expect(/Index path: (\S+)/.exec(two.out)![1]).toBe(/Index path: (\S+)/.exec(one.out)![1]);
  });

  it('--no-shrink reports the walk as found', async () => {
    const r = await kripke('simulate', 'bench/tlbbench.ts', '--const', 'N=3,P=3,F=3,MODE=local', '--seed', '4', '--no-shrink', '--out', out(), '--plain');
    expect(r.code).toBe(12);
    const found = Number(/found it at (\d+) states; not shrunk/.exec(r.out)![1]);
    expect(r.out).toContain(`The first counterexample has ${found} states`);
  });

  it('nothing found: exit 0, "not a proof", the statistics, the share of the space and the coverage', async () => {
    const r = await kripke('simulate', 'examples/mutex.ts', '--const', 'N=2', '--invariant', 'MutualExclusion', '--runs', '5', '--depth', '1', '--space', '100');
    expect(r.code).toBe(0);
    expect(r.out).toContain('No violation found in 5 walks of at most 1 steps (simulation: not a proof).');
    expect(r.out).toMatch(/^5 walks, 5 steps in .* steps\/s\); \d+ distinct states seen of 100 \(\d+\.\d%\)$/m);
    expect(r.out).toContain('Coverage (times the walks took each action family):');
  });

  it('bad input is one line and exit 151', async () => {
    for (const [flag, value, msg] of [['--seed', '1.5', /--seed expects an integer from 0/], ['--depth', '0', /--depth expects a positive integer/], ['--runs', 'x', /--runs expects a positive integer/]] as const) {
      const r = await kripke('simulate', 'examples/mutex.ts', flag, value);
      expect(r.code, flag).toBe(151);
      expect(r.err).toMatch(msg);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    const r = await kripke('simulate', 'examples/mutex.ts', '--invariant', 'Nope');
    expect(r.code).toBe(151);
  });
});
