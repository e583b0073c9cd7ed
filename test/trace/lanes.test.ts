/**
 * Traces as lanes in the terminal: a column per lane, each step in its lane's column, text that
 * fits 80 and 120 columns, the kernel's notes and anchors, and the harmful access at the end.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSpec } from '../../src/index.js';
import { annotate } from '../../src/trace/annotate.js';
import { renderLanes, wrap } from '../../src/trace/lanes.js';

const v1 = await checkSpec('spec/kernel.ts', { constants: { VARIANT: 'V1-hyp-munmap' }, properties: ['NoStaleTranslation'] });
const at = annotate(v1.model, v1.traces[0]);

describe('lanes', () => {
  it("V1-hyp-munmap's lanes: the CPUs, CPU 1's hardware, the driver and the allocator, in the spec's order", () => {
    expect(at.lanes).toEqual(['CPU 0', 'CPU 1', 'HW CPU 1', 'driver', 'kernel']);
    const lanes = at.steps.slice(1).map((s) => `${s.name}@${s.lane}`);
    expect(lanes).toEqual([
      'InsertPfn@CPU 0', 'HwFill@HW CPU 1', 'ZapPteRange@CPU 0', 'LocalFlushOnly@CPU 0', 'ReleasePfn@driver', 'FrameAlloc@kernel', 'Access@CPU 1',
    ]);
  });

  for (const width of [80, 120]) {
    it(`fits ${width} columns: no line is longer, and each step's marker stands in its lane's column when there is room`, () => {
      const text = renderLanes(at, width);
      const lines = text.split('\n');
      for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(width);
      const header = lines[0];
      const col = header.indexOf('CPU 1') - header.indexOf('CPU 0');
      expect(col).toBeGreaterThan(5);
      for (const st of at.steps.slice(1)) {
        const row = lines.find((l) => l.includes(`● ${st.action}`) || l.includes(`● ${st.action!.slice(0, 20)}`));
        expect(row, st.action).toBeDefined();
        const mark = row!.indexOf('●');
        const laneCol = header.indexOf(st.lane === 'CPU 1' ? 'CPU 1' : st.lane);
        if (laneCol + 40 <= width) expect(mark, `${st.action} at ${width}`).toBe(laneCol);
        else expect(mark).toBeLessThan(laneCol); // moved left, never squeezed
      }
    });
  }

  it("reads as Rutland's argument: anchors, the skipped CPU at the flush decision, the harmful access last", () => {
    const text = renderLanes(at, 100);
    expect(text).toContain('at mm/mmap.c:unmap_region, mm/memory.c:zap_pte_range (v4.17)');
    const flush = at.steps.find((s) => s.name === 'LocalFlushOnly')!;
    expect(flush.notes).toContain('CPU 1 skipped: the policy (vm-local-cpu-every-path) sends it no IPI; it holds A:x -> f1, which stays');
    expect(renderLanes(at, 200)).toContain('│ note: CPU 1 skipped: the policy (vm-local-cpu-every-path) sends it no IPI; it holds A:x -> f1, which stays');
    expect(text).toMatch(/speculative or prefetch walk/);
    const last = at.steps.at(-1)!;
    expect(last.name).toBe('Access');
    expect(last.notes.join(' ')).toMatch(/stale entry A:x -> f1: .* f1, which is now a kernel page table/);
    // bookkeeping stays out of the way: no routine phase shown
    expect(text).not.toMatch(/\.phase/);
    expect(text).toMatch(/hidden: --show-all/);
  });

  it('the switch side explains itself too: the lazy CPU that comes back without the tlb_gen check (V4c), the CR3 load', async () => {
    const v4c = await checkSpec('spec/kernel.ts', { constants: { VARIANT: 'V4c' }, properties: ['NoStaleTranslation'] });
    const steps = annotate(v4c.model, v4c.traces[0]).steps;
    const lazy = steps.find((s) => s.action === 'SwitchMm(c=1, t=idle)')!;
    expect(lazy.notes).toEqual(['enter_lazy_tlb: CPU 1 keeps A loaded and stays in mm_cpumask(A); shootdowns skip it while it is lazy']);
    const back = steps.find((s) => s.action === 'SwitchMm(c=1, t=t1)')!;
    expect(back.notes).toEqual(['back to A from lazy mode without checking tlb_gen: it uses A:x -> f1 as it is']);
    const v2b = await checkSpec('spec/kernel.ts', { constants: { VARIANT: 'V2b' }, properties: ['NoStaleTranslation'] });
    const notes = annotate(v2b.model, v2b.traces[0]).steps.flatMap((s) => s.notes);
    expect(notes).toContain('CPU 1 leaves A: clears its bit in mm_cpumask(A); CR3 still holds A until the CR3 load');
    expect(notes).toContain("sets CPU 1's bit in mm_cpumask(A); CR3 still holds init_mm until the CR3 load");
    expect(notes).toContain('CR3 := init_mm; the entries of A go with the old CR3');
  });

  it('wrap ends at every width, however narrow, and counts code points', () => {
    for (let n = 1; n <= 12; n++) {
      const lines = wrap('speculative or prefetch walk: CPU 1 has A loaded', n);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(n);
      expect(lines.join('').replace(/\s+/g, '')).toBe('speculativeorprefetchwalk:CPU1hasAloaded');
    }
    expect(wrap('😀😀😀😀', 2)).toEqual(['😀😀', '😀😀']);
  });

  it('an empty lane name is no lane: the step is drawn with its action, never as Init', () => {
    const noLane = { ...at, steps: at.steps.map((s) => (s.action ? { ...s, lane: at.lanes[0] } : s)) };
    const text = renderLanes(noLane, 80);
    expect(text.match(/Init/g)).toHaveLength(1);
    expect(text).toContain('● Access(c=1, t=t1, k=A:x)');
  });

  it('wrap keeps every word and never exceeds the width', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,15}$/), { maxLength: 30 }), fc.integer({ min: 1, max: 60 }), (words, n) => {
        const text = words.join(' ');
        const lines = wrap(text, n);
        for (const l of lines) expect(l.length).toBeLessThanOrEqual(n);
        expect(lines.join(' ').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
      }),
    );
  });
});
