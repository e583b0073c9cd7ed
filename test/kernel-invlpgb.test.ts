/**
 * AMD INVLPGB (spec/model/invlpgb.ts on broadcast.ts): a global-ASID mm is flushed by a broadcast
 * that reaches every CPU, and a switch-in never flushes it, so mm_cpumask stops saying where its
 * entries are: a mask-guarded local shortcut is unsafe whatever the mask says.
 */
import { describe, expect, it } from 'vitest';
import { check, compile, defineSpec, selectProperties, violated, type ActionRef } from '../src/index.js';
import { replay, runProperty } from './kernel-helpers.js';
import kernel from '../spec/kernel.js';
import type { KernelState as State } from '../spec/model/state.js';
import { kernelModel } from '../spec/variant.js';
import { variant } from '../spec/variants.js';

describe('INVLPGB', () => {
  it('a switch-in never flushes the global ASID: LoadCr3 keeps every entry of the mm it loads', () => {
    const v = variant('V0-invlpgb');
    const base = kernelModel(v);
    const spec = defineSpec<State>({
      name: 'keeps',
      build: () => ({
        ...base,
        actionProperties: {
          ...base.actionProperties,
          KeepsGlobalAsid: {
            actions: ['LoadCr3'],
            check: (s: State, a: ActionRef, t: State) => {
              const c = a.params.c as number;
              const mm = t.cr3.get(c)!;
              const lost = [...s.tlb.get(c)!.keys()].filter((k) => k.startsWith(`${mm}:`) && !t.tlb.get(c)!.has(k));
              return lost.length === 0 || violated(`the CR3 load dropped ${lost.join(', ')}`);
            },
          },
        },
      }) as never,
    });
    const r = check(selectProperties(compile(spec), ['KeepsGlobalAsid']));
    expect(r.status).toBe('ok');
    // the same property fails with PCID alone (V0-pcid flushes a context that is behind)
    const pcid = kernelModel(variant('V0-pcid'));
    const p = defineSpec<State>({ name: 'pcid', build: () => ({ ...pcid, actionProperties: { ...pcid.actionProperties, KeepsGlobalAsid: spec.build({}).actionProperties!.KeepsGlobalAsid } }) as never });
    expect(check(selectProperties(compile(p), ['KeepsGlobalAsid'])).status).toBe('violation');
  });

  it('the mask-guarded local shortcut: CPU 1 leaves A with x cached, the local INVLPG misses it, it comes back and uses x', () => {
    const { m, r } = runProperty(kernel, { VARIANT: 'V2a-invlpgb' }, 'NoStaleTranslation');
    expect(r.violations[0].reason).toBe('thread t1 on CPU 1 accesses A:x through its stale TLB entry -> f1, but f1 is now a kernel page table');
    const { actions, states } = replay(m, r.violations[0].path);
    const local = actions.findIndex((a) => a.name === 'LocalFlushOnly');
    expect(states[local].mask.get('A')!.toArray()).toEqual([0]); // the guard was true
    expect(states[local + 1].tlb.get(1)!.get('A:x')).toBe('f1'); // and CPU 1 kept x under the global ASID
    expect(actions.some((a) => a.name === 'InvlpgbPerform')).toBe(false);
    expect(actions.at(-1)!.name).toBe('Access');
  });
});
