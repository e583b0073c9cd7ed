/** The "Add a variant" example of spec/README.md: flush only the thread's affinity CPUs. */
import { describe, expect, it } from 'vitest';
import { check, compile, selectProperties } from '../src/index.js';
import affinityOnly from '../spec/variants/affinity-only.js';

describe('Vx-affinity (spec/variants/affinity-only.ts)', () => {
  it('a pinned thread does not bound where its mm is cached: NoStaleTranslation is violated', () => {
    const r = check(selectProperties(compile(affinityOnly), ['NoStaleTranslation']));
    expect(r.status).toBe('violation');
    expect(r.violations[0].length).toBe(8);
    expect(r.violations[0].reason).toMatch(/^thread t1 on CPU 1 accesses A:x .*-> f1, but f1 is now a kernel page table$/);
  });
});
