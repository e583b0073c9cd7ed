/**
 * The kernel spec at other sizes (CPUS, FRAMES of spec/kernel.ts): the verdicts of the table do
 * not depend on the size. Shortest traces grow by one step per extra CPU where the story needs
 * every other CPU off the mm (V2b, V2c-singleton, V4c, V0-cr3-first): the extra CPU starts out
 * running a thread of the mm, as CPU 1 does. Where one remote CPU suffices (V1, V3) they do not.
 */
import { describe, expect, it } from 'vitest';
import { check, compile, selectProperties } from '../src/index.js';
import kernel from '../spec/kernel.js';

function run(constants: Record<string, string | number>, property: string) {
  const m = compile(kernel, Object.entries(constants).map(([k, v]) => [k, String(v)] as [string, string]));
  return check(selectProperties(m, [property]));
}

type Expect = { expect: 'holds' } | { expect: 'violated'; length: number } | { expect: 'no-witness' };
const AT_3_CPUS: [variant: string, property: string, e: Expect][] = [
  ['V0', 'NoStaleTranslation', { expect: 'holds' }],
  ['V1', 'NoStaleTranslation', { expect: 'violated', length: 7 }],
  ['V1', 'LocalFlushSafe', { expect: 'violated', length: 5 }],
  ['V2b', 'NoStaleTranslation', { expect: 'violated', length: 13 }],
  ['V2c-singleton', 'NoStaleTranslation', { expect: 'violated', length: 7 }],
  ['V2c-self', 'NoStaleTranslation', { expect: 'holds' }],
  ['V3', 'NoStaleTranslation', { expect: 'violated', length: 15 }],
  ["V3''", 'SafeWithoutGuard', { expect: 'no-witness' }],
  ['V4a', 'NoStaleTranslation', { expect: 'holds' }],
  ['V4c', 'NoStaleTranslation', { expect: 'violated', length: 10 }],
  ['V0-cr3-first', 'MaskCoversRunning', { expect: 'violated', length: 4 }],
];

describe('kernel spec at CPUS=3: same verdicts as at 2', () => {
  for (const [variant, property, e] of AT_3_CPUS) {
    it(`${variant} ${property} ${e.expect}${e.expect === 'violated' ? ` (${e.length})` : ''}`, () => {
      const r = run({ VARIANT: variant, CPUS: 3 }, property);
      if (e.expect === 'violated') {
        expect(r.status).toBe('violation');
        expect(r.violations[0].property).toBe(property);
        expect(r.violations[0].length).toBe(e.length);
      } else {
        expect(r.status).toBe('ok');
        if (e.expect === 'no-witness') expect(r.sometimes[0].witness).toBeNull();
      }
    });
  }

  it('the extra CPU is a bystander of the same kind: V2c-singleton\'s kswapd now sees {2} once CPU 1 left', () => {
    const r = run({ VARIANT: 'V2c-singleton', CPUS: 3 }, 'NoStaleTranslation');
    expect(r.violations[0].reason).toMatch(/^CPU 2 translates A:x -> f1 \(thread t2\), but f1 is now a kernel page table$/);
  });
});

describe('kernel spec with other FRAMES', () => {
  it('V0 holds with three frames in the InsertPfn pool; V1 needs only one', () => {
    expect(run({ VARIANT: 'V0', FRAMES: 3 }, 'NoStaleTranslation').status).toBe('ok');
    const v1 = run({ VARIANT: 'V1', FRAMES: 1 }, 'NoStaleTranslation');
    expect(v1.status).toBe('violation');
    expect(v1.violations[0].length).toBe(7);
  });

  it('worlds with fixed frames refuse FRAMES; CPUS is bounded below by the stories (a remote CPU)', () => {
    expect(() => compile(kernel, [['VARIANT', 'V3'], ['FRAMES', '3']])).toThrow(/FRAMES=3 does not apply to the zuf world/);
    expect(() => compile(kernel, [['VARIANT', 'V2c-self'], ['FRAMES', '1']])).toThrow(/does not apply to the reclaim world/);
    expect(() => compile(kernel, [['CPUS', '1']])).toThrow(/CPUS=1 is not allowed/);
  });
});
