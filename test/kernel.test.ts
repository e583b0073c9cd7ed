/**
 * The kernel verdict table (spec/suite.ts), row by row, plus what the headline traces must show.
 */
import { describe, expect, it } from 'vitest';
import { Change, check, compile, defineSpec, selectProperties, type CompiledModel, type Instance } from '../src/index.js';
import { noStaleTranslation } from '../invariants/kernel.js';
import kernel from '../spec/kernel.js';
import type { State } from '../spec/model/world.js';
import suite from '../spec/suite.js';
import { kernelContext, kernelModel, kernelSpec } from '../spec/variant.js';
import { VARIANTS } from '../spec/variants.js';

function run(spec: (typeof suite.rows)[number]['spec'], constants: Record<string, unknown> | undefined, property: string) {
  const m = selectProperties(compile(spec, Object.entries(constants ?? {}) as [string, string][]), [property]) as CompiledModel<State>;
  return { m, r: check(m) };
}

/** The actions and states along a path [init, a1, a2, ...]. */
function replay(m: CompiledModel<State>, path: readonly number[]) {
  let s = m.inits[path[0]];
  const states = [s];
  const actions: Instance<State>[] = [];
  for (const ai of path.slice(1)) {
    const a = m.instances[ai];
    const next = a.apply(s, a.params);
    s = (next instanceof Change ? next.materialize() : next) as State;
    actions.push(a);
    states.push(s);
  }
  return { actions, states };
}

describe('kernel suite: every row has its expected verdict', () => {
  for (const row of suite.rows) {
    it(`${row.variant} ${row.property} ${row.expect}`, () => {
      const { r } = run(row.spec, row.constants, row.property);
      switch (row.expect) {
        case 'holds':
          expect(r.status).toBe('ok');
          break;
        case 'violated': {
          expect(r.status).toBe('violation');
          expect(r.violations[0].property).toBe(row.property);
          if (row.expectLength !== undefined) expect(r.violations[0].length).toBe(row.expectLength);
          break;
        }
        case 'witness':
          expect(r.sometimes[0].witness).not.toBeNull();
          break;
        case 'no-witness':
          expect(r.status).toBe('ok');
          expect(r.sometimes[0].witness).toBeNull();
          break;
      }
    });
  }
});

describe('kernel traces', () => {
  it("V1 reads like Rutland's x/y example: fill on CPU 1, local flush on CPU 0, free, reuse", () => {
    const { m, r } = run(kernel, { VARIANT: 'V1' }, 'NoStaleTranslation');
    const v = r.violations[0];
    expect(v.reason).toMatch(/^CPU 1 translates A:x -> f1 .* but f1 is now a kernel page table$/);
    const { actions } = replay(m, v.path);
    const names = actions.map((a) => `${a.name}:${a.family.def.actor?.(a.params)}`);
    const fill = names.indexOf('HwFill:HW CPU 1');
    const local = names.indexOf('LocalFlushOnly:CPU 0');
    const free = names.indexOf('TlbFinishMmu:CPU 0');
    const reuse = names.findIndex((n) => n.startsWith('FrameAlloc:'));
    expect(names[0]).toBe('InsertPfn:thread t0 on CPU 0');
    expect(fill).toBeGreaterThan(0);
    expect(local).toBeGreaterThan(fill);
    expect(free).toBeGreaterThan(local);
    expect(reuse).toBeGreaterThan(free);
    expect(names).not.toContain('FlushTlbMmRange:CPU 0');
  });

  it('V3: the window VA stays mapped throughout; the frame that was behind it is reused', () => {
    const { m, r } = run(kernel, { VARIANT: 'V3' }, 'NoStaleTranslation');
    const v = r.violations[0];
    expect(v.reason).toMatch(/^CPU 1 translates A:w0 -> f1 .* now a kernel page table$/);
    const { actions, states } = replay(m, v.path);
    // never freed: the window PTE is present in every state (drain page or app page)
    for (const s of states) expect(s.pte.get('A:w0')).not.toBe('');
    expect(states.map((s) => s.pte.get('A:w0'))).toContain('f1');
    const names = actions.map((a) => a.name);
    expect(names).toContain('ZtUnmapPages');
    expect(names.indexOf('HwFill')).toBeLessThan(names.indexOf('ZtUnmapPages'));
    // the app frees its buffer in its own mm (B), with its own correct flush
    const zap = actions.find((a) => a.name === 'ZapPteRange')!;
    expect(zap.params.k).toBe('B:b');
    expect(states.at(-1)!.frame.get('f1')).toBe('kernel page table');
  });

  it('V2b: the mask is read before CPU 1 switches in, and the flush uses that read', () => {
    const { m, r } = run(kernel, { VARIANT: 'V2b' }, 'NoStaleTranslation');
    const names = replay(m, r.violations[0].path).actions.map((a) => a.name);
    const read = names.indexOf('ReadMmCpumask');
    expect(names.indexOf('LoadCr3', read)).toBeGreaterThan(read);
    expect(names.indexOf('ZapPteRange')).toBeGreaterThan(names.indexOf('HwFill'));
  });
});

describe('kernel model hygiene', () => {
  it('every action family names its kernel counterpart and its actor; every suite note is one line', () => {
    for (const v of VARIANTS) {
      const m = compile(kernelSpec(v));
      for (const f of m.families) {
        expect(f.def.doc, `${v.name} ${f.name}`).toBeTruthy();
        expect(f.def.actor, `${v.name} ${f.name}`).toBeTypeOf('function');
      }
    }
    for (const row of suite.rows) expect(row.note ?? '').toMatch(/^[^\n]+$/);
  });

  it('NoStaleTranslation flags reused frames only; flagging free frames too gives the same verdicts, one step earlier', () => {
    for (const v of VARIANTS) {
      const strict = defineSpec<State>({
        name: `strict-${v.name}`,
        build: () => ({ ...kernelModel(v), invariants: { Strict: noStaleTranslation(kernelContext(v), { includeFree: true }) } }),
      });
      const a = run(kernelSpec(v), undefined, 'NoStaleTranslation').r;
      const b = run(strict, undefined, 'Strict').r;
      expect(b.status, v.name).toBe(a.status);
      if (a.status === 'violation') expect(b.violations[0].length, v.name).toBe(a.violations[0].length - 1);
    }
  });
});
