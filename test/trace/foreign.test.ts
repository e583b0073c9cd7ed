/**
 * Trace validation: `kripke replay <spec> <file>` on traces that do not name their actions
 * (Apalache's, Quint's, an implementation's log turned into ITF) finds the action instances that
 * explain each step, prints the behaviour, and reports the first step no action explains (153).
 * The goldens are in traces/foreign/ (hand-written after ADR-015 and the writers' sources, see
 * docs/trace-validation.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kripke, tempDir } from '../cli/helpers.js';

const MUTEX = 'examples/mutex.ts';
const G = (name: string) => `traces/foreign/${name}.itf.json`;
const golden = (name: string) => JSON.parse(readFileSync(G(name), 'utf8'));

function write(doc: unknown): string {
  const file = join(tempDir(), 'foreign.itf.json');
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

function oneLine(err: string): string {
  const lines = err.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0];
}

/** The action names a validated trace shows, in order (`State 2: Check(p=1)` lines). */
const actions = (out: string) => [...out.matchAll(/^State \d+: (.*)$/gm)].map((m) => m[1]);

describe('golden traces of other tools replay on the spec', () => {
  it('Apalache: #bigint, params (the constant N) set in the first state, map entries in any order', async () => {
    const r = await kripke('replay', MUTEX, G('mutex-apalache'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Validated traces\/foreign\/mutex-apalache\.itf\.json on spec mutex \(N=2\): 5 states; each step is explained by an action of the spec/m);
    expect(actions(r.out)).toEqual(['Init', 'Check(p=1)', 'Check(p=2)', 'Enter(p=1)', 'Enter(p=2)']);
    expect(r.out).toMatch(/The file claims no violation: there is nothing to confirm\.$/);
  });
  it("Quint (Rust backend): JSON numbers, and its status 'violation' is confirmed by an invariant that fails at the end", async () => {
    const r = await kripke('replay', MUTEX, G('mutex-quint'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(actions(r.out)).toEqual(['Init', 'Check(p=1)', 'Check(p=2)', 'Enter(p=1)', 'Enter(p=2)']);
    expect(r.out).toMatch(/Confirmed: MutualExclusion is violated at the end: processes 1 and 2 are both critical \(the file claims a violation, #meta\.status, without naming the property\)\./);
  });
  it('Quint --mbt (TypeScript backend): the mbt:: variables (variants inside) are metadata, not compared', async () => {
    const r = await kripke('replay', MUTEX, G('mutex-quint-mbt'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(actions(r.out)).toEqual(['Init', 'Check(p=1)', 'Enter(p=1)', 'Leave(p=1)', 'Check(p=2)', 'Enter(p=2)']);
    expect(r.out).toMatch(/The file claims no violation/);
  });
  it('an implementation log replays; the log with an impossible step is refused at that step, with the closest candidate', async () => {
    const ok = await kripke('replay', MUTEX, G('mutex-log'));
    expect(ok.code).toBe(0);
    expect(actions(ok.out)).toEqual(['Init', 'Check(p=2)', 'Enter(p=2)', 'Leave(p=2)', 'Check(p=1)', 'Enter(p=1)']);
    const bad = await kripke('replay', MUTEX, G('mutex-log-bad'));
    expect(bad.code).toBe(153);
    expect(oneLine(bad.err)).toBe(
      'kripke: error: step 3: no action of spec mutex explains the recorded state (1 enabled instance(s) tried; closest: Leave(p=1): pc[1]: recorded critical, replayed idle, pc[2]: recorded checked, replayed idle)',
    );
    expect(bad.out).not.toMatch(/Validated|Confirmed/);
  });
  it('a lone foreign file records no spec module: 152, asking for the spec', async () => {
    const r = await kripke('replay', G('mutex-quint'));
    expect(r.code).toBe(152);
    expect(oneLine(r.err)).toMatch(/does not record its spec module: pass the spec explicitly/);
  });
});

describe('what trace validation reports', () => {
  it('the first step no action explains, in the middle of a trace', async () => {
    const d = golden('mutex-apalache');
    d.states[3].pc['#map'][0][1] = 'idle'; // pc[2] idle in state 3: Enter(p=1) cannot also reset process 2
    const r = await kripke('replay', MUTEX, write(d));
    expect(r.code).toBe(153);
    expect(oneLine(r.err)).toMatch(/^kripke: error: step 3: no action of spec mutex explains the recorded state \(\d+ enabled instance\(s\) tried; closest: Enter\(p=1\): pc\[2\]: recorded idle, replayed checked; Enter\(p=2\): /);
  });
  it('an initial state the spec does not have (step 0), and no action enabled', async () => {
    const d = golden('mutex-quint');
    d.states[0].flag['#map'][0][1] = true;
    const r = await kripke('replay', MUTEX, write(d));
    expect(r.code).toBe(153);
    expect(oneLine(r.err)).toMatch(/^kripke: error: step 0: the recorded initial state is not an initial state of spec mutex \(the initial state: flag\[1\]: recorded true, replayed false\)/);
    const dl = await kripke('replay', 'test/fixtures/deadlock.ts', write({ vars: ['n'], states: [{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }] }), '--const', 'DEADLOCK=true');
    expect(dl.code).toBe(153);
    expect(oneLine(dl.err)).toMatch(/^kripke: error: step 4: no action of spec deadlock is enabled after step 3/);
  });
  it("Apalache's params are the spec's constants (N=3 is another initial state); a parameter the spec lacks is noted", async () => {
    const d = golden('mutex-apalache');
    d.states[0].N = { '#bigint': '3' };
    const r = await kripke('replay', MUTEX, write(d));
    expect(r.code).toBe(153);
    expect(oneLine(r.err)).toMatch(/step 0: the recorded initial state is not an initial state of spec mutex \(the initial state: pc\[3\]: only in the replayed state/);
    const e = golden('mutex-apalache');
    e.params.push('Procs');
    e.states[0].Procs = { '#set': [] };
    const s = await kripke('replay', MUTEX, write(e));
    expect(s.code).toBe(0);
    expect(s.out).toMatch(/Note: the file's parameters Procs are not constants of spec mutex set in its first state: ignored\./);
  });
  it('a variable the spec does not have is a mismatch; one it does not record is not compared', async () => {
    const d = golden('mutex-log');
    d.vars.push('owner');
    for (const st of d.states) st.owner = 'none';
    const r = await kripke('replay', MUTEX, write(d));
    expect(r.code).toBe(153);
    expect(oneLine(r.err)).toMatch(/the file records the variable owner, which spec mutex does not have \(its variables: pc, flag\)/);
    const bad = await kripke('replay', MUTEX, G('mutex-log-bad'));
    expect(bad.code).toBe(153); // it records pc only: flag is tracked by the spec, never compared
    const e = golden('mutex-log');
    e.vars = ['pc'];
    for (const st of e.states) delete st.flag;
    const s = await kripke('replay', MUTEX, write(e));
    expect(s.code).toBe(0);
    expect(s.out).toMatch(/Not recorded in the file, so not compared: flag\./);
  });
  it('several instances explain a step: all are named, with the one shown; the search keeps both states, not a guess', async () => {
    // Only flag is recorded: step 1 (nothing visible changes) is Check(p=1) or Check(p=2); step 2
    // raises flag[2], so only the behaviour through Check(p=2) explains the rest.
    const b = (n: number) => ({ '#bigint': String(n) });
    const flag = (f1: boolean, f2: boolean) => ({ '#map': [[b(1), f1], [b(2), f2]] });
    const doc = { vars: ['flag'], states: [{ flag: flag(false, false) }, { flag: flag(false, false) }, { flag: flag(false, true) }] };
    const r = await kripke('replay', MUTEX, write(doc));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(actions(r.out)).toEqual(['Init', 'Check(p=2)', 'Enter(p=2)']);
    expect(r.out).toMatch(/Step 1 \(State 2 above\) is explained by 2 instances: Check\(p=1\), Check\(p=2\); the trace shows Check\(p=2\)\./);
    expect(r.out).toMatch(/Not recorded in the file, so not compared: pc\./);
  });
  it("Quint's status 'violation' with no invariant failing at the end is not confirmed (153)", async () => {
    const d = golden('mutex-quint');
    d.states.pop();
    const r = await kripke('replay', MUTEX, write(d));
    expect(r.code).toBe(153);
    expect(oneLine(r.err)).toMatch(/claims a violation \(#meta\.status "violation"\) but no invariant of spec mutex is violated in its last state/);
  });
  it("foreign encodings map to kripke's: #tup and lists, records and variants as objects, sets in any order, JSON numbers", async () => {
    const b = (n: number) => ({ '#bigint': String(n) });
    const state = (n: number, sign: 1 | -1) => ({
      '#meta': { index: n },
      n,
      big: { '#bigint': String(sign * (2 ** 53 - 1)) },
      huge: { '#bigint': `${sign < 0 ? '-' : ''}1${'0'.repeat(30)}` },
      exact: { '#bigint': `1${'0'.repeat(21)}` },
      frac: { '#unserializable': '1.5' },
      nan: { '#unserializable': 'NaN' },
      hash: { '#map': [['x', 1], ['#bigint', '5']] },
      variant: { tag: 'Some', value: b(1) },
      unit: { '#map': [['tag', 'UNIT']] },
      keywords: { to: 2, from: 1 },
      under: { '#map': [['y', 2], ['__x', 1]] },
      plain: { b: true, a: 1 },
      list: { '#tup': [1, b(2)] },
      members: { '#set': [b(3), 2, b(1), 1] },
    });
    const doc = { '#meta': { format: 'ITF' }, vars: Object.keys(state(0, 1)).filter((k) => k !== '#meta'), states: [state(0, 1), state(1, -1)] };
    const r = await kripke('replay', 'test/trace/fixtures/shapes.ts', write(doc));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(actions(r.out)).toEqual(['Init', 'Step']);
    const wrong = structuredClone(doc);
    wrong.states[1].list = { '#tup': [1, b(3)] };
    const w = await kripke('replay', 'test/trace/fixtures/shapes.ts', write(wrong));
    expect(w.code).toBe(153);
    expect(oneLine(w.err)).toMatch(/step 1: no action of spec shapes explains the recorded state \(1 enabled instance\(s\) tried; closest: Step: list\[1\]: recorded 3, replayed 2\)/);
  });
  it("a kripke file with one step's action left out validates that step, and follows the named ones", async () => {
    const dir = tempDir();
    expect((await kripke('check', MUTEX, '--out', dir, '--quiet')).code).toBe(12);
    const file = join(dir, 'mutex-MutualExclusion.itf.json');
    const d = JSON.parse(readFileSync(file, 'utf8'));
    delete d.states[2]['#meta'].action;
    const r = await kripke('replay', MUTEX, write(d));
    expect(r.code).toBe(0);
    expect(actions(r.out)).toEqual(['Init', 'Check(p=1)', 'Check(p=2)', 'Enter(p=1)', 'Enter(p=2)']);
    expect(r.out).toMatch(/Confirmed: MutualExclusion is violated at the end/);
    d.states[3]['#meta'].params = JSON.stringify({ p: { '#bigint': '2' } });
    const s = await kripke('replay', MUTEX, write(d));
    expect(s.code).toBe(153);
    expect(oneLine(s.err)).toMatch(/step 3: Enter\(p=2\), the action the file names, does not produce the recorded state/);
  });
});
