/** The "Add a variant" example of spec/README.md: flush only the thread's affinity CPUs. */
import { describe, expect, it } from 'vitest';
import { check, compile, selectProperties } from '../src/index.js';
import affinityOnly from '../spec/variants/affinity-only.js';

describe('Vx-affinity (spec/variants/affinity-only.ts)', () => {
  it('a pinned thread does not bound where its mm is cached: NoStaleTranslation is violated', () => {
    const r = check(selectProperties(compile(affinityOnly), ['NoStaleTranslation']));
    expect(r.status).toBe('violation');
    expect(r.violations[0].length).toBe(7);
    expect(r.violations[0].reason).toMatch(/^CPU 1 translates A:x -> f1 .*kernel page table$/);
  });
});
