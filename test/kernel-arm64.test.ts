/**
 * arm64 (spec/model/arm64.ts): what the mechanism must do beyond the verdict-table rows. The mask
 * is never maintained; a broadcast TLBI has reached every CPU when the issuer's DSB completes; a
 * local TLBI reaches no other CPU; Catalin's trace has the shape of his objection.
 */
import { describe, expect, it } from 'vitest';
import { check, compile, defineSpec, selectProperties, violated, type ActionRef } from '../src/index.js';
import { replay, runProperty } from './kernel-helpers.js';
import kernel from '../spec/kernel.js';
import type { KernelState as State } from '../spec/model/state.js';
import { kernelModel } from '../spec/variant.js';
import { variant } from '../spec/variants.js';

/** The variant at `cpus` CPUs with `extra` properties, checked for them alone. */
function checkWith(name: string, cpus: number, extra: { invariants?: object; actionProperties?: object }) {
  const v = variant(name, { cpus, frames: 2, pages: 1, routines: 1 });
  const base = kernelModel(v);
  const spec = defineSpec<State>({
    name: `arm64-${name}`,
    build: () => ({ ...base, invariants: { ...base.invariants, ...extra.invariants }, actionProperties: { ...base.actionProperties, ...extra.actionProperties } }) as never,
  });
  return check(selectProperties(compile(spec), [...Object.keys(extra.invariants ?? {}), ...Object.keys(extra.actionProperties ?? {})]));
}

describe('arm64', () => {
  it('never maintains mm_cpumask: it is empty in every reachable state', () => {
    for (const name of ['V5a', 'V5b', 'V2d']) {
      const r = checkWith(name, 3, { invariants: { MaskEmpty: (s: State) => s.mask.every((m) => m.isEmpty()) || violated('a bit is set') } });
      expect(r.status, name).toBe('ok');
      expect(r.stats.distinct, name).toBeGreaterThan(400);
    }
  });

  it("a broadcast TLBI has been performed on every CPU when the issuer's dsb ish completes (so the free is safe)", () => {
    const r = checkWith('V5a-migrating', 3, {
      actionProperties: {
        NothingLeftAtDsb: {
          actions: ['DsbIsh'],
          check: (s: State, a: ActionRef, t: State) => {
            const op = s.ops.find((o) => o.phase === 'ipi' && o.cpu === a.params.c)!;
            const left = [...t.tlb].filter(([, tlb]) => [...op.keys].some((k) => tlb.has(k)));
            return left.length === 0 || violated(`CPU ${left[0][0]} still holds the range at the DSB`);
          },
        },
      },
    });
    expect(r.status).toBe('ok');
  });

  it('a local TLBI reaches no other CPU: V2d keeps the remote entry through the local flush', () => {
    const { m, r } = runProperty(kernel, { VARIANT: 'V2d' }, 'LocalFlushSafe');
    expect(r.violations[0].reason).toBe('CPU 0 flushes A:x locally only, but CPU 1 (thread t1) still holds A:x -> f1');
    const { actions, states } = replay(m, r.violations[0].path);
    expect(actions.at(-1)!.name).toBe('LocalFlushOnly');
    expect(states.at(-1)!.tlb.get(1)!.get('A:x')).toBe('f1');
    expect(actions.some((a) => a.name === 'TlbiPerform')).toBe(false);
  });

  it("V5b is Catalin's objection: the CPU the thread left keeps walking A, the local TLBI misses it, the thread comes back", () => {
    const { m, r } = runProperty(kernel, { VARIANT: 'V5b' }, 'NoStaleTranslation');
    expect(r.violations[0].reason).toBe('thread t1 on CPU 0 accesses A:x through its stale TLB entry -> f1, but f1 is now a kernel page table');
    const { actions } = replay(m, r.violations[0].path);
    const at = (name: string, c: number) => actions.findIndex((a) => a.name === name && a.params.c === c);
    const left = actions.findIndex((a) => a.name === 'SwitchMm' && a.params.c === 0 && a.params.t === 'idle');
    const fill = at('HwFill', 0);
    const local = at('LocalFlushOnly', 1);
    const back = actions.findIndex((a, i) => i > local && a.name === 'SwitchMm' && a.params.c === 0 && a.params.t === 't1');
    expect(left).toBeGreaterThanOrEqual(0);
    expect(fill).toBeGreaterThan(left); // the kernel thread on CPU 0 still walks A
    expect(local).toBeGreaterThan(fill);
    expect(back).toBeGreaterThan(local);
    expect(actions.at(-1)!.name).toBe('Access');
  });

  it("break-before-make: a make while another CPU still holds the page from before the break is Catalin's conflict (V5b)", () => {
    const { m, r } = runProperty(kernel, { VARIANT: 'V5b' }, 'BreakBeforeMake');
    expect(r.violations[0].reason).toMatch(/^InsertPfn makes A:x -> f\d while CPU 0 still holds A:x -> f1 from before the break/);
    const { actions } = replay(m, r.violations[0].path);
    expect(actions.map((a) => a.name)).toContain('LocalFlushOnly');
    // with the broadcast TLBI the same world keeps break-before-make
    expect(runProperty(kernel, { VARIANT: 'V5a-migrating' }, 'BreakBeforeMake').r.status).toBe('ok');
  });

  it('mm_cpumask says nothing on arm64: MaskCoversRunning (x86) is vacuous there, MaskLags has its witness at Init', () => {
    expect(runProperty(kernel, { VARIANT: 'V5a' }, 'MaskCoversRunning').r.status).toBe('ok');
    const lags = runProperty(kernel, { VARIANT: 'V5a' }, 'MaskLags').r;
    expect(lags.sometimes[0].witness?.length).toBe(1);
    expect(runProperty(kernel, { VARIANT: 'V0' }, 'MaskLags').r.sometimes[0].witness).toBeNull();
  });

  it('break-before-make is an arm64 rule, broken by the zuf overwrite on one CPU, whatever the flush', () => {
    for (const name of ['V3-arm64', 'V3-arm64-broadcast']) {
      const { m, r } = runProperty(kernel, { VARIANT: name }, 'BreakBeforeMake');
      expect(r.violations[0].reason, name).toBe('ZtMapPages changes the live PTE A:w0 from f0 to f1 without break-before-make: a CPU may hold A:w0 -> f0 and fill A:w0 -> f1, two entries for one VA');
      const { actions } = replay(m, r.violations[0].path);
      expect(actions.every((a) => a.params.c === undefined || a.params.c === 0), name).toBe(true); // CPU 0 alone
    }
    expect(compile(kernel, [['VARIANT', 'V3']]).actionProperties.map((p) => p.name)).not.toContain('BreakBeforeMake');
  });
});
