/**
 * The programmatic API, as a user's vitest test would use it: check a spec (module path or
 * object) with CLI-like options, assert the verdict, print the trace, write it, replay it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSpec, renderTrace, replayPath, writeTrace } from '../src/index.js';
import mutex from '../examples/mutex.js';
import { kripke, tempDir } from './cli/helpers.js';

describe('checkSpec', () => {
  it('a spec module path with constants and a property: the kernel spec V1 is violated', async () => {
    const { result, traces } = await checkSpec('spec/kernel.ts', { constants: { VARIANT: 'V1-hyp-munmap' }, properties: ['NoStaleTranslation'] });
    expect(result.status).toBe('violation');
    expect(traces).toHaveLength(1);
    expect(traces[0].claim).toMatchObject({ property: 'NoStaleTranslation', kind: 'action' });
    expect(traces[0].steps).toHaveLength(8);
  });
  it('a spec object, printed and written as ITF that kripke replay confirms', async () => {
    const { model, result, traces } = await checkSpec(mutex, { constants: { N: 3 } });
    expect(result.violations.map((v) => v.property)).toEqual(['MutualExclusion']);
    expect(renderTrace(traces[0])).toMatch(/^State 1: Init\n/);
    const file = join(tempDir(), 'mutex.itf.json');
    writeTrace(model, traces[0], file, join(import.meta.dirname, '..', 'examples', 'mutex.ts'));
    const r = await kripke('replay', 'examples/mutex.ts', file);
    expect(r.out).toMatch(/Confirmed: MutualExclusion is violated/);
    expect(r.code).toBe(0);
  });
  it('CLI limits apply: maxStates makes the run incomplete', async () => {
    const { result } = await checkSpec(mutex, { maxStates: 3 });
    expect(result.status).toBe('incomplete');
  });
  it('replayPath rebuilds the states of an index path', async () => {
    const { model, result } = await checkSpec(mutex);
    expect(replayPath(model, result.violations[0].path).steps).toHaveLength(5);
  });
  it('workers > 1 needs a module path', async () => {
    await expect(checkSpec(mutex, { workers: 2 })).rejects.toThrow(/needs the spec as a module path/);
  });
});
