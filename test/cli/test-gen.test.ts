/**
 * `kripke test`: a counterexample as a vitest test (and the replayTraceFile answers it asserts
 * on), written relative to the test file, refusing what would be a test that fails at once.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replayTraceFile } from '../../src/index.js';
import { kripke } from './helpers.js';

const GOLDEN = join('traces', 'kernel', 'V6a-SyscallSemantics.itf.json');
// a folder beside traces/kernel/, so the copy's recorded source (../../spec/kernel.ts) still resolves
const scratch = join('traces', `test-gen-${process.pid}`);
mkdirSync(scratch, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('kripke test', () => {
  it('writes one it() per trace, importing the package outside kripke\'s repository, with paths relative to the test file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kripke-testgen-'));
    const r = await kripke('test', GOLDEN, '-o', join(dir, 'sub', 'v6a.test.ts'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Wrote .*v6a\.test\.ts: 1 test \(each counterexample still shows\)$/);
    const text = readFileSync(join(dir, 'sub', 'v6a.test.ts'), 'utf8');
    expect(text).toContain('import { replayTraceFile } from "kripke";');
    expect(text).toMatch(/new URL\("(\.\.\/)+.*traces\/kernel\/V6a-SyscallSemantics\.itf\.json", import\.meta\.url\)/);
    expect(text).toContain('expect(r.states).toBe(5);');
    expect(text).toContain('"property":"SyscallSemantics","kind":"action"');
  });

  it('what the tests assert on: a trace that replays and shows, one that no longer replays, one whose claim is gone', async () => {
    const ok = await replayTraceFile(GOLDEN);
    expect(ok).toMatchObject({ replayed: true, states: 5, shown: true, claim: { property: 'SyscallSemantics', kind: 'action' } });
    const doc = JSON.parse(readFileSync(GOLDEN, 'utf8'));
    doc.states[2].pte[ '#map' ] = doc.states[2].pte['#map'].map(([k]: [string, unknown]) => [k, 'f9']);
    const tampered = join(scratch, 'tampered.itf.json');
    writeFileSync(tampered, JSON.stringify(doc));
    const bad = await replayTraceFile(tampered);
    expect(bad.replayed).toBe(false);
    expect(bad.mismatch).toMatch(/^step 2: .* does not reproduce the recorded state/);
    const fixed = await replayTraceFile(GOLDEN, { constants: { VARIANT: 'V6b' } });
    expect(fixed.shown).toBe(false);
  });

  it('--expect holds on a fixed configuration: the trace is gone and the property holds; refused where the trace still shows', async () => {
    const r = await kripke('test', GOLDEN, '--const', 'VARIANT=V6b', '--expect', 'holds');
    expect(r.code).toBe(0);
    expect(r.out).toContain('the counterexample of SyscallSemantics is gone with VARIANT=V6b, and SyscallSemantics holds');
    expect(r.out).toContain('"VARIANT":"V6b"');
    const mutant = join(scratch, 'mutant.itf.json');
    const doc = JSON.parse(readFileSync(GOLDEN, 'utf8'));
    doc['#meta'].mutation = JSON.stringify({ negate: 'batchedPending' });
    writeFileSync(mutant, JSON.stringify(doc));
    const refused = await kripke('test', mutant, '--const', 'VARIANT=V6b', '--expect', 'holds');
    expect(refused.code).toBe(151);
    expect(refused.err).toMatch(/found on a weakened spec/);
    const still = await kripke('test', GOLDEN, '--expect', 'holds');
    expect(still.code).toBe(153);
    expect(still.err).toMatch(/still shows its claim: a test that it holds would fail/);
  });

  it('a fixture\'s trace too (tlbbench, local-only unmap): the test it writes asserts what replayTraceFile answers', async () => {
    const file = join('traces', 'tlbbench-local-NoStaleTranslation.itf.json');
    const r = await kripke('test', file);
    expect(r.code).toBe(0);
    const answer = await replayTraceFile(file);
    expect(answer.shown).toBe(true);
    expect(r.out).toContain(`expect(r.states).toBe(${answer.states});`);
    expect(r.out).toContain(`expect(r.reason).toBe(${JSON.stringify(answer.reason)});`);
  });

  it('bad input: one line and its exit code', async () => {
    const none = await kripke('test');
    expect(none.code).toBe(151);
    const missing = await kripke('test', 'traces/nope.itf.json');
    expect(missing.code).toBe(152);
    expect((await kripke('test', GOLDEN, '--expect', 'maybe')).code).toBe(151);
    for (const r of [none, missing]) expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
