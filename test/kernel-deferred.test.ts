/**
 * Deferred flushes and syscall semantics (spec/model/deferred.ts, deferred-syscalls.ts,
 * syscalls.ts, latr.ts): the batched reclaim race and its fixes, migrate_device's order, LATR,
 * and the ghost the SyscallSemantics property judges against.
 */
import { describe, expect, it } from 'vitest';
import { check, compile, defineSpec, selectProperties, type CompiledModel } from '../src/index.js';
import kernel from '../spec/kernel.js';
import type { DeferredFields } from '../spec/model/deferred.js';
import type { KernelState } from '../spec/model/state.js';
import type { SyscallFields } from '../spec/model/syscalls.js';
import { shootdown } from '../spec/policies/shootdown.js';
import { kernelModel, kernelSpec, type Extension } from '../spec/variant.js';
import { variant } from '../spec/variants.js';
import { batchedReclaim, rutlandMprotect, rutlandPcid } from '../spec/worlds.js';
import { replay, runProperty } from './kernel-helpers.js';

type State = KernelState<DeferredFields & SyscallFields>;
/** The states along a counterexample, with the built-in extensions' fields. */
const along = <S>(m: CompiledModel<S>, path: readonly number[]) => {
  const { actions, states } = replay(m, path);
  return { actions, states: states as unknown as State[] };
};
const verdict = (v: Parameters<typeof kernelSpec>[0], property: string) => check(selectProperties(compile(kernelSpec(v)), [property]));

describe('deferred flushes and syscall semantics', () => {
  it("Nadav Amit's race (V6a): kswapd batches, mprotect finds the PTE none and returns, the store goes through", () => {
    const { m, r } = runProperty(kernel, { VARIANT: 'V6a' }, 'SyscallSemantics');
    expect(r.violations[0].reason).toBe('thread t1 on CPU 1 stores to A:x through a writable translation (f1; the PTE is none), after mprotect(PROT_READ) returned: no store goes through a writable translation');
    const { actions, states } = along(m, r.violations[0].path);
    expect(actions.map((a) => a.name)).toEqual(['HwFill', 'TryToUnmapOne', 'Mprotect', 'Store']);
    const mp = actions.findIndex((a) => a.name === 'Mprotect');
    expect(states[mp].batched.get('A')).toBe(true); // the batch is still pending when mprotect reads the PTE
    expect(states[mp + 1].promised.get('A:x')).toBe('ro'); // and mprotect returned at once
    expect(states[mp + 1].frame.get('f1')).toBe('user'); // the frame is not freed before the batch's flush
  });

  it('the flush in flush_tlb_batched_pending matters, not only the gate: marking the batch flushed without flushing (x86 with dsb semantics) is V6a again', () => {
    const v = { name: 'V6b-noflush', doc: 'mutant', world: batchedReclaim('dsb'), policy: shootdown };
    const r = verdict(v, 'SyscallSemantics');
    expect(r.status).toBe('violation');
    expect(r.violations[0].length).toBe(6); // one step longer than V6a: the empty flush_tlb_batched_pending
    expect(verdict({ ...v, world: batchedReclaim('flush') }, 'SyscallSemantics').status).toBe('ok');
  });

  it('arm64 (V5c): the dsb on the syscall\'s CPU completes nothing kswapd issued; kswapd\'s own dsb still gates the free', () => {
    const { m, r } = runProperty(kernel, { VARIANT: 'V5c' }, 'SyscallSemantics');
    const { actions, states } = along(m, r.violations[0].path);
    expect(actions.map((a) => a.name)).toEqual(['HwFill', 'TryToUnmapOne', 'FlushTlbMmRange', 'FlushTlbBatchedPending', 'Mprotect', 'Store']);
    const dsb = actions.findIndex((a) => a.name === 'FlushTlbBatchedPending');
    expect(states[dsb + 1].ops.some((op) => op.pending.has(1))).toBe(true); // the TLBI is not performed on CPU 1
    expect(states[dsb + 1].batched.get('A')).toBe(false); // yet the batch is marked flushed
    expect(runProperty(kernel, { VARIANT: 'V5c' }, 'NoStaleTranslation').r.status).toBe('ok');
  });

  it('on arm64 kswapd holds the PTL until its TLBI is issued: mprotect cannot run between the PTE clear and the issue', () => {
    const { m } = runProperty(kernel, { VARIANT: 'V5c' }, 'SyscallSemantics');
    const init = m.inits[0];
    const find = (name: string, p: Record<string, unknown>) => m.instances.find((a) => a.name === name && Object.entries(p).every(([k, x]) => a.params[k] === x))!;
    const step = (s: State, name: string, p: Record<string, unknown>) => {
      const a = find(name, p);
      const n = a.apply(s as never, a.params);
      return (n && typeof (n as { materialize?: unknown }).materialize === 'function' ? (n as { materialize(): State }).materialize() : n) as State | null;
    };
    const cleared = step(init as unknown as State, 'TryToUnmapOne', { c: 0, k: 'A:x' })!;
    expect(cleared.pte.get('A:x')).toBe('');
    // the PTL is still kswapd's: neither flush_tlb_batched_pending nor mprotect's PTE walk can start
    expect(step(cleared, 'FlushTlbBatchedPending', { c: 1, t: 't1' })).toBeFalsy();
    expect(step(cleared, 'Mprotect', { c: 1, t: 't1', k: 'A:x' })).toBeFalsy();
    const issued = step(cleared, 'FlushTlbMmRange', { c: 0 })!;
    const dsb = step(issued, 'FlushTlbBatchedPending', { c: 1, t: 't1' })!;
    expect(dsb.batched.get('A')).toBe(false);
    expect(step(dsb, 'Mprotect', { c: 1, t: 't1', k: 'A:x' })).toBeTruthy();
  });

  it('migrate_device (V6d): nothing registers the deferred flush, so flush_tlb_batched_pending cannot help; the 2022 fix flushes under the PTL', () => {
    const { m, r } = runProperty(kernel, { VARIANT: 'V6d' }, 'SyscallSemantics');
    const { actions } = along(m, r.violations[0].path);
    expect(actions.map((a) => a.name)).toEqual(['HwFill', 'MigrateVmaCollect', 'MadviseDontneed', 'Store']);
    expect(m.families.some((f) => f.name === 'FlushTlbBatchedPending')).toBe(true); // the kernel has it
    expect(runProperty(kernel, { VARIANT: 'V6d-fixed' }, 'SyscallSemantics').r.status).toBe('ok');
  });

  it('LATR (V6e): munmap returns when the LATR state is posted, before CPU 1 sweeps; the free waits for the sweep unless the gate is left out', () => {
    const { m, r } = runProperty(kernel, { VARIANT: 'V6e' }, 'SyscallSemantics');
    const { actions, states } = along(m, r.violations[0].path);
    const post = actions.findIndex((a) => a.name === 'FlushTlbMmRange');
    expect(states[post + 1].promised.get('A:x')).toBe('gone'); // returned at the post
    expect(states[post + 1].ops.some((op) => op.pending.has(1))).toBe(true); // CPU 1 has not swept
    expect(states[post + 1].frame.get('f1')).toBe('user');
    const nogate = runProperty(kernel, { VARIANT: 'V6e-nogate' }, 'NoStaleTranslation').r;
    expect(nogate.status).toBe('violation');
    expect(runProperty(kernel, { VARIANT: 'V6e' }, 'NoStaleTranslation').r.status).toBe('ok');
  });

  it('the verdicts hold at three CPUs (t2 on CPU 2 holds x too)', () => {
    for (const [name, property, status] of [['V6a', 'SyscallSemantics', 'violation'], ['V6b', 'SyscallSemantics', 'ok'], ['V5c-fixed', 'SyscallSemantics', 'ok'], ['V6d-fixed', 'SyscallSemantics', 'ok'], ['V6e', 'NoStaleTranslation', 'ok']] as const) {
      const r = runProperty(kernel, { VARIANT: name, CPUS: 3 }, property).r;
      expect(r.status, `${name} ${property}`).toBe(status);
    }
  });

  it('a store needs a writable translation: after mprotect no store goes through a read-only entry', () => {
    // V6b: mprotect makes x read-only and flushes; afterwards CPU 1's refill is read-only and no store is enabled
    const m = compile(kernelSpec(variant('V6b')));
    const spec = defineSpec<State>({
      name: 'no-ro-store',
      build: () => ({ ...kernelModel(variant('V6b')), actionProperties: { NoStoreThroughRo: { actions: ['Store'], check: (s: State, a: { params: Record<string, unknown> }) => !(s.tlb.get(a.params.c as number)!.get(a.params.k as string) ?? '').endsWith(':ro') } } }) as never,
    });
    expect(check(selectProperties(compile(spec), ['NoStoreThroughRo'])).status).toBe('ok');
    expect(m.families.find((f) => f.name === 'Store')).toBeDefined();
  });

  it('deferred flushes refuse worlds whose flush_tlb_mm would need generations; extensions may not redefine the spec\'s actions', () => {
    const pcid = { name: 'x', doc: 'x', world: { ...rutlandPcid(), deferred: { initiator: 'ubc' as const, keys: ['A:x'], pending: 'flush' as const } }, policy: shootdown };
    expect(() => kernelModel(pcid)).toThrow(/without PCID and lazy TLB/);
    const clash: Extension = { name: 'clash', actions: () => ({ Mprotect: { params: {}, apply: () => null } }) };
    expect(() => kernelModel({ name: 'V1-mprotect', doc: '', world: rutlandMprotect(), policy: shootdown }, clash)).toThrow(/extension action Mprotect is already an action of the kernel model/);
  });
});
