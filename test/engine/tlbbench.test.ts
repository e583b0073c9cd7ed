/**
 * tlbbench (bench/tlbbench.ts) against the exact counts of /work/shared/bench/COUNTS.md
 * (agreed by TLC, Rumur and SPIN), and the MODE=local counterexamples.
 */
import { describe, expect, it } from 'vitest';
import { check, compile, formatAction, selectProperties } from '../../src/index.js';
import tlbbench from '../../bench/tlbbench.js';
import { replay } from './helpers.js';

describe('tlbbench exact counts (shootdown)', () => {
  it.each([
    [1, 1, 1, 10, 20],
    [2, 1, 1, 58, 213],
    [2, 2, 2, 533, 2_324],
    [3, 2, 2, 4_967, 31_240],
    [2, 3, 3, 6_810, 35_373],
    [2, 2, 3, 1_287, 5_790],
  ])('N=%i P=%i F=%i: %i distinct, %i transitions', (N, P, F, distinct, generated) => {
    const r = check(compile(tlbbench, [['N', N], ['P', P], ['F', F]]));
    expect(r.status).toBe('ok');
    expect(r.violations).toEqual([]);
    expect([r.stats.distinct, r.stats.generated]).toEqual([distinct, generated]);
  });

  it('N=2 P=2 F=3: depth 10', () => {
    expect(check(compile(tlbbench, [['N', 2], ['P', 2], ['F', 3]])).stats.depth).toBe(10);
  });

  it('S (N=3 P=3 F=3): 96,954 distinct, 721,161 transitions, depth 16', () => {
    const r = check(compile(tlbbench, [['N', 3], ['P', 3], ['F', 3]]));
    expect(r.status).toBe('ok');
    expect([r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual([96_954, 721_161, 16]);
    // Every family fires; SwitchIn(c) etc. are all enabled somewhere.
    for (const c of r.coverage) expect([c.family, c.neverEnabled]).toEqual([c.family, []]);
  });
});

describe('tlbbench MODE=local', () => {
  const local = (N = 2, P = 1, F = 1) => compile(tlbbench, [['N', N], ['P', P], ['F', F], ['MODE', 'local']]);

  it.each([
    [2, 1, 1],
    [2, 2, 2],
    [3, 2, 2],
  ])('N=%i P=%i F=%i: NoStaleTranslation alone fails after 6 actions (7 states), and the trace replays', (N, P, F) => {
    const m = selectProperties(local(N, P, F), ['NoStaleTranslation']);
    expect(m.invariants.map((i) => i.name)).toEqual(['NoStaleTranslation']);
    const r = check(m);
    expect(r.status).toBe('violation');
    expect(r.violations).toHaveLength(1);
    const v = r.violations[0];
    expect(v.property).toBe('NoStaleTranslation');
    expect(v.length).toBe(7);
    const states = replay(m, v.path);
    expect(states).toHaveLength(7);
    const inv = m.invariants[0].check;
    expect(inv(states.at(-1)!)).not.toBe(true);
    for (const s of states.slice(0, -1)) expect(inv(s)).toBe(true);
  });

  it('N=2 P=1 F=1: the counterexample is SwitchIn(1), SwitchIn(2), Map, Fill(1), Unmap(2), Release (up to CPU order)', () => {
    const m = selectProperties(local(), ['NoStaleTranslation']);
    const v = check(m).violations[0];
    const names = v.path.slice(1).map((i) => m.instances[i].name);
    expect(names).toEqual(['SwitchIn', 'SwitchIn', 'Map', 'Fill', 'Unmap', 'Release']);
    const acts = v.path.slice(1).map((i) => formatAction(m.instances[i]));
    // the CPU that filled its TLB is not the one that unmapped
    const fill = m.instances[v.path[4]].params.c;
    const unmap = m.instances[v.path[5]].params.c;
    expect(fill).not.toBe(unmap);
    expect(acts[0]).toBe('SwitchIn(c=1)');
  });

  it('both invariants: TlbCoherent is reported first, after 5 actions (6 states)', () => {
    const m = local();
    const r = check(m);
    expect(r.status).toBe('violation');
    expect(r.violations.map((v) => [v.property, v.length])).toEqual([['TlbCoherent', 6]]);
    const states = replay(m, r.violations[0].path);
    expect(m.invariants[1].check(states.at(-1)!)).not.toBe(true);
    expect(m.instances[r.violations[0].path.at(-1)!].name).toBe('Unmap');
  });

  it('with continue, both are reported, TlbCoherent (6 states) then NoStaleTranslation (7)', () => {
    const r = check(local(), { continue: true });
    expect(r.violations.map((v) => [v.property, v.length])).toEqual([
      ['TlbCoherent', 6],
      ['NoStaleTranslation', 7],
    ]);
  });

  it('N=1: a local flush is a full flush, no violation', () => {
    const r = check(local(1, 2, 2));
    expect(r.status).toBe('ok');
  });
});
