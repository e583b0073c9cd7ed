/**
 * Trace files are validated down to every value (exit 152 with the JSON path of the bad value),
 * `replay` checks the claim it prints (exit 153, never "Confirmed"), recorded constants are the
 * file's fault, and a lone trace file never makes kripke run a module outside its folder or the
 * current directory.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KripkeError } from '../../src/core/errors.js';
import { parseItf } from '../../src/trace/itf.js';
import { MAX_NESTING } from '../../src/trace/itf-read.js';
import { evaluate } from '../../src/trace/trace.js';
import { kripke, tempDir } from '../cli/helpers.js';

const GOLDEN = 'traces/tlbbench-local-NoStaleTranslation.itf.json';
const golden = () => JSON.parse(readFileSync(GOLDEN, 'utf8'));

/** The one-line message parseItf throws for a document (fails if it does not throw 'trace-file'). */
function refusal(doc: unknown): string {
  try {
    parseItf(typeof doc === 'string' ? doc : JSON.stringify(doc), 'x.itf.json');
  } catch (e) {
    expect(e).toBeInstanceOf(KripkeError);
    expect((e as KripkeError).kind).toBe('trace-file');
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('parseItf accepted the document');
}

function oneLine(err: string): string {
  const lines = err.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(err).not.toMatch(/\n\s+at /);
  return lines[0];
}

/**
 * Writes a document as a trace file in a fresh temporary folder; a golden trace's source is moved
 * along (made relative to that folder), as the writer would record it there.
 */
function write(doc: any, dir = tempDir(), name = 'x.itf.json'): string {
  const file = join(dir, name);
  if (doc?.['#meta']?.source === '../bench/tlbbench.ts') doc['#meta'].source = relative(dir, resolve('bench/tlbbench.ts'));
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  return file;
}

describe('parseItf: every value is ITF (ADR-015)', () => {
  it('accepts the golden traces', () => {
    for (const f of ['traces/tlbbench-local-NoStaleTranslation.itf.json', 'traces/kernel-V1-hyp-munmap-NoStaleTranslation.itf.json']) {
      expect(parseItf(readFileSync(f, 'utf8'), f).states.length).toBeGreaterThan(1);
    }
  });
  it('null anywhere, with the JSON path of the value', () => {
    const d = golden();
    d.states[3].pte['#map'][0][1] = null;
    expect(refusal(d)).toBe('x.itf.json: not an ITF trace: $.states[3].pte["#map"][0][1] is null');
  });
  it('a bare number where a state or a name is expected, a number that is not a safe integer', () => {
    const a = golden();
    a.states[2] = 5;
    expect(refusal(a)).toMatch(/\$\.states\[2\] is the number 5, not a state/);
    const b = golden();
    b.vars[1] = 7;
    expect(refusal(b)).toMatch(/\$\.vars\[1\] is the number 7, not a variable name/);
    const c = golden();
    c.states[1].busy = 1.5;
    expect(refusal(c)).toMatch(/\$\.states\[1\]\.busy is the number 1\.5, not a safe integer/);
    const d = golden();
    d.states[1].tlb['#map'][0][0] = 2 ** 60;
    expect(refusal(d)).toMatch(/tlb\["#map"\]\[0\]\[0\] is the number \d+, not a safe integer/);
  });
  it('a safe integer written as a JSON number is the same value as its #bigint', () => {
    const d = golden();
    d.states[3].pte['#map'][0][1] = 1;
    const read = parseItf(JSON.stringify(d), 'x.itf.json');
    expect(read.states[3].pte).toEqual(golden().states[3].pte);
  });
  it('a #bigint that holds a number or a non-integer string', () => {
    const d = golden();
    d.states[1].pte['#map'][1][0] = { '#bigint': 2 };
    expect(refusal(d)).toBe('x.itf.json: not an ITF trace: $.states[1].pte["#map"][1][0]["#bigint"] is the number 2, not a string of digits');
    d.states[1].pte['#map'][1][0] = { '#bigint': '2.5' };
    expect(refusal(d)).toMatch(/\["#bigint"\] is the string "2\.5", not a string of digits/);
  });
  it('an unknown # key, and a special key mixed with others', () => {
    const d = golden();
    d.states[0].free = { '#frozenset': [] };
    expect(refusal(d)).toMatch(/\$\.states\[0\]\.free has the unknown key "#frozenset"/);
    d.states[0].free = { '#set': [], extra: true };
    expect(refusal(d)).toMatch(/\$\.states\[0\]\.free mixes #set with other keys \(extra\)/);
  });
  it('#map entries that are not [key, value] pairs, and a repeated key', () => {
    const d = golden();
    d.states[2].pte['#map'][1] = [{ '#bigint': '2' }];
    expect(refusal(d)).toMatch(/\$\.states\[2\]\.pte\["#map"\]\[1\] is a list of 1, not a \[key, value\] pair/);
    d.states[2].pte['#map'] = { k: 1 };
    expect(refusal(d)).toMatch(/\$\.states\[2\]\.pte\["#map"\] is an object, not a list/);
    const e = golden();
    e.states[2].pte['#map'][1][0] = e.states[2].pte['#map'][0][0];
    expect(refusal(e)).toMatch(/\$\.states\[2\]\.pte\["#map"\]\[1\]\[0\] repeats the key of entry 0/);
  });
  it('a state without one of the variables, or with one the trace does not list', () => {
    const d = golden();
    delete d.states[2].tlb;
    expect(refusal(d)).toMatch(/\$\.states\[2\]\.tlb is missing: every state has every variable/);
    const e = golden();
    e.states[2].extra = true;
    expect(refusal(e)).toMatch(/\$\.states\[2\]\.extra is not one of the variables/);
    const f = golden();
    f.states = [];
    expect(refusal(f)).toMatch(/\$\.states is empty/);
  });
  it('#meta fields of the wrong type', () => {
    const cases: [(d: any) => void, RegExp][] = [
      [(d) => (d['#meta'] = []), /\$\["#meta"\] is a list of 0, not an object/],
      [(d) => (d['#meta'].source = 3), /\$\["#meta"\]\.source is the number 3, not a string/],
      [(d) => (d['#meta'].path = null), /\$\["#meta"\]\.path is null, not a string/],
      [(d) => (d['#meta'].constants = ['N']), /\$\["#meta"\]\.constants is a list of 1, not an object of ITF values/],
      [(d) => (d['#meta'].constants.N = { '#bigint': 2 }), /\$\["#meta"\]\.constants\.N\["#bigint"\] is the number 2/],
      [(d) => (d['#meta'].violation = 'NoStaleTranslation'), /\$\["#meta"\]\.violation is the string "NoStaleTranslation", not an object/],
      [(d) => delete d['#meta'].violation.property, /\$\["#meta"\]\.violation\.property is missing/],
      [(d) => (d['#meta'].violation.kind = 7), /\$\["#meta"\]\.violation\.kind is the number 7, not a string/],
      [(d) => (d['#meta'].violation.reason = false), /\$\["#meta"\]\.violation\.reason is false, not a string/],
      [(d) => (d.states[2]['#meta'] = null), /\$\.states\[2\]\["#meta"\] is null, not an object/],
      [(d) => (d.states[2]['#meta'].action = 5), /\$\.states\[2\]\["#meta"\]\.action is the number 5, not an action name/],
      [(d) => (d.states[2]['#meta'].params = null), /\$\.states\[2\]\["#meta"\]\.params is null, not an object of ITF values/],
      [(d) => (d.states[2]['#meta'].params.c = null), /\$\.states\[2\]\["#meta"\]\.params\.c is null/],
      [(d) => (d.states[0]['#meta'].actionIndex = -1), /\$\.states\[0\]\["#meta"\]\.actionIndex is the number -1, not a non-negative integer/],
      [(d) => (d.states[1]['#meta'].index = '1'), /\$\.states\[1\]\["#meta"\]\.index is the string "1", not an integer/],
    ];
    for (const [mutate, message] of cases) {
      const d = golden();
      mutate(d);
      expect(refusal(d)).toMatch(message);
    }
  });
  it("other tools' files: #meta optional, no action named, params set in the first state, loop (null: none)", () => {
    const b = (n: number) => ({ '#bigint': String(n) });
    const ok = { params: ['N'], vars: ['x'], loop: null, states: [{ N: b(2), x: 1 }, { '#meta': { index: 1, diagnostics: '[]' }, x: b(2) }] };
    const read = parseItf(JSON.stringify(ok), 'x.itf.json');
    expect(read.states[0]).toEqual({ N: b(2), x: b(1) });
    expect(read.loop).toBeUndefined();
    expect(parseItf(JSON.stringify({ ...ok, loop: 1 }), 'x.itf.json').loop).toBe(1);
    expect(refusal({ ...ok, loop: 2 })).toMatch(/\$\.loop is the number 2, not the index of a state/);
    expect(refusal({ ...ok, params: ['x'] })).toMatch(/\$\.params names x, which is also a variable/);
    expect(refusal({ ...ok, params: [3] })).toMatch(/\$\.params\[0\] is the number 3, not a parameter name/);
    expect(refusal({ ...ok, '#meta': { status: 1 } })).toMatch(/\$\["#meta"\]\.status is the number 1, not a string/);
    expect(refusal({ ...ok, states: [{ N: null, x: 1 }] })).toMatch(/\$\.states\[0\]\.N is null/);
  });
  it("kripke's metadata as JSON text is read as the object it holds, actionIndex as a decimal string", () => {
    const d = golden();
    d['#meta'].constants = JSON.stringify(d['#meta'].constants);
    d['#meta'].violation = JSON.stringify(d['#meta'].violation);
    d.states[2]['#meta'].params = JSON.stringify(d.states[2]['#meta'].params);
    d.states[2]['#meta'].actionIndex = '14';
    const read = parseItf(JSON.stringify(d), 'x.itf.json');
    expect(read['#meta']!.constants).toEqual(golden()['#meta'].constants);
    expect(read['#meta']!.violation).toEqual(golden()['#meta'].violation);
    expect(read.states[2]['#meta']!.params).toEqual(golden().states[2]['#meta'].params);
    expect(read.states[2]['#meta']!.actionIndex).toBe(14);
    d['#meta'].constants = JSON.stringify({ N: { '#bigint': 2 } });
    expect(refusal(d)).toMatch(/\$\["#meta"\]\.constants\.N\["#bigint"\] is the number 2, not a string of digits/);
    d['#meta'].constants = '{"N": ';
    expect(refusal(d)).toMatch(/\$\["#meta"\]\.constants is the string "\{\\"N\\": ", not an object \(nor the JSON text of one\)/);
  });
  it(`nesting deeper than ${MAX_NESTING} levels is refused without overflowing the stack`, () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = readFileSync(GOLDEN, 'utf8').replace('"busy": false,', `"busy": ${deep},`);
    const m = refusal(text);
    expect(m).toMatch(/\$\.states\[0\]\.busy\[0\]\[0\].*is nested more than 1000 levels deep/);
    expect(m.length).toBeLessThan(400);
    const nested = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    expect(refusal(readFileSync(GOLDEN, 'utf8').replace('"MODE": "local"', `"MODE": ${nested}`))).toMatch(/\$\["#meta"\]\.constants\.MODE\.a\.a.*is nested more than 1000 levels deep/);
  });
  it('deep nesting through the CLI: exit 152, one line', async () => {
    const deep = '{"#set":['.repeat(100_000) + ']}'.repeat(100_000);
    const file = write(readFileSync(GOLDEN, 'utf8').replace('"busy": false,', `"busy": ${deep},`));
    const r = await kripke('replay', 'bench/tlbbench.ts', file);
    expect(r.code).toBe(152);
    expect(oneLine(r.err)).toMatch(/is nested more than 1000 levels deep/);
  });
  it('a message never spans lines, whatever the file holds', async () => {
    const r1 = await kripke('replay', 'bench/tlbbench.ts', write('{"vars": ["a"],\n"states": [\n"x\n'));
    expect(r1.code).toBe(152);
    oneLine(r1.err);
    const d = golden();
    d.states[2]['#meta'].action = 'Tele\nport';
    const r2 = await kripke('replay', 'bench/tlbbench.ts', write(d));
    expect(r2.code).toBe(153);
    expect(oneLine(r2.err)).toMatch(/the spec has no action Tele\\nport/);
  });
});

describe('replay checks the claim it prints (exit 153)', () => {
  async function replayOf(mutate: (d: any) => void, ...flags: string[]) {
    const d = golden();
    mutate(d);
    return kripke('replay', 'bench/tlbbench.ts', write(d), ...flags);
  }
  it('a claim of an unknown kind', async () => {
    const r = await replayOf((d) => (d['#meta'].violation.kind = 'liveness'));
    expect(r.code).toBe(153);
    expect(oneLine(r.err)).toMatch(/claims a violation of NoStaleTranslation of kind 'liveness', which is not one of invariant, action, deadlock or sometimes/);
    expect(r.out).not.toMatch(/Confirmed/);
  });
  it('a claim without a kind', async () => {
    const r = await replayOf((d) => delete d['#meta'].violation.kind);
    expect(r.code).toBe(153);
    expect(oneLine(r.err)).toMatch(/claims a violation of NoStaleTranslation but not its kind/);
    expect(r.out).not.toMatch(/Confirmed/);
  });
  it('a claim of a property the spec does not have, or has under another kind', async () => {
    const r = await replayOf((d) => (d['#meta'].violation.property = 'NoSuchProperty'));
    expect(r.code).toBe(153);
    expect(oneLine(r.err)).toMatch(/does not show a violation of NoSuchProperty: the spec has no invariant NoSuchProperty/);
    const s = await replayOf((d) => (d['#meta'].violation.kind = 'sometimes'));
    expect(s.code).toBe(153);
    expect(oneLine(s.err)).toMatch(/the spec has no sometimes property NoStaleTranslation \(it is an invariant\)/);
  });
  it('the claim is checked against the whole spec, not the --invariant selection', async () => {
    const r = await replayOf(() => {}, '--invariant', 'TlbCoherent');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Confirmed: NoStaleTranslation is violated at the end/);
  });
  it('a trace cut before the failure it claims', async () => {
    const r = await replayOf((d) => d.states.pop());
    expect(r.code).toBe(153);
    expect(oneLine(r.err)).toMatch(/does not show a violation of NoStaleTranslation: it holds in the last state/);
    expect(r.out).not.toMatch(/Confirmed/);
  });
  it('an action property claimed on an action it does not check, a deadlock the spec does not check', async () => {
    const counter = (claim: object, constants: object, actions: string[]) => ({
      '#meta': { constants, violation: claim },
      vars: ['n'],
      states: [{ '#meta': { index: 0, action: 'Init', actionIndex: 0 }, n: 0 }, ...actions.map((action, i) => ({ '#meta': { index: i + 1, action }, n: action === 'Inc' ? i + 1 : 0 }))],
    });
    const ap = 'test/fixtures/actionProp.ts';
    const ok = await kripke('replay', ap, write(counter({ property: 'Monotone', kind: 'action' }, { K: 4 }, ['Inc', 'Reset'])));
    expect(ok.out).toMatch(/Confirmed: Monotone is violated at the end: 1 -> 0/);
    const r = await kripke('replay', ap, write(counter({ property: 'IncMonotone', kind: 'action' }, { K: 4 }, ['Inc', 'Reset'])));
    expect(r.code).toBe(153);
    expect(oneLine(r.err)).toMatch(/does not show a violation of IncMonotone: it does not apply to Reset, the last action/);
    const dl = 'test/fixtures/deadlock.ts';
    const yes = await kripke('replay', dl, write(counter({ property: 'Deadlock', kind: 'deadlock' }, { DEADLOCK: true }, ['Inc', 'Inc', 'Inc'])));
    expect(yes.out).toMatch(/Confirmed: Deadlock is violated at the end: no action is enabled/);
    const no = await kripke('replay', dl, write(counter({ property: 'Deadlock', kind: 'deadlock' }, { DEADLOCK: false }, ['Inc', 'Inc', 'Inc'])));
    expect(no.code).toBe(153);
    expect(oneLine(no.err)).toMatch(/the spec does not check for deadlock/);
  });
  it('a file with no claim replays and says it claims nothing', async () => {
    const r = await replayOf((d) => delete d['#meta'].violation);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/The file claims no violation: there is nothing to confirm\./);
    expect(r.out).not.toMatch(/Confirmed/);
  });
  it('a property that returns something other than a verdict is an evaluation error naming it', () => {
    for (const [v, type] of [[undefined, 'undefined'], [null, 'null'], [1, 'a number \\(1\\)'], ['no', 'a string \\("no"\\)'], [{ violated: false }, 'an object with a "violated" field']] as const) {
      expect(() => evaluate(v as never, 'Weird')).toThrow(KripkeError);
      expect(() => evaluate(v as never, 'Weird')).toThrow(new RegExp(`^invariant Weird returned ${type}.*, not true, false or violated\\(\\.\\.\\.\\)`));
    }
    expect(evaluate({ violated: true, reason: 'r' }, 'P')).toEqual({ ok: false, reason: 'r' });
  });
});

describe('recorded constants are the file\'s fault (152), --const the user\'s (151)', () => {
  it('an unknown recorded constant, a refused recorded value', async () => {
    const a = golden();
    a['#meta'].constants.Q = { '#bigint': '3' };
    const r = await kripke('replay', 'bench/tlbbench.ts', write(a));
    expect(r.code).toBe(152);
    expect(oneLine(r.err)).toMatch(/the recorded constant Q is refused by spec tlbbench: unknown constant 'Q'/);
    const b = golden();
    b['#meta'].constants.MODE = 'lazy';
    const s = await kripke('replay', 'bench/tlbbench.ts', write(b));
    expect(s.code).toBe(152);
    expect(oneLine(s.err)).toMatch(/the recorded constant MODE is refused by spec tlbbench: constant MODE=lazy is not allowed/);
  });
  it('--const stays a config error, and overrides a refused recorded value', async () => {
    const file = write(golden());
    expect((await kripke('replay', 'bench/tlbbench.ts', file, '--const', 'MODE=lazy')).code).toBe(151);
    const b = golden();
    b['#meta'].constants.MODE = 'lazy';
    const r = await kripke('replay', 'bench/tlbbench.ts', write(b), '--const', 'MODE=local');
    expect(r.code).toBe(0);
  });
});

describe('a lone trace file never runs code the user did not name', () => {
  /** A spec module outside the repository: a counter whose import leaves a mark. */
  function specModule(dir: string, name: string): string {
    const index = pathToFileURL(resolve('src/index.ts')).href;
    const mark = join(dir, `${name}.imported`);
    writeFileSync(
      join(dir, name),
      `import { writeFileSync } from 'node:fs';\nimport { defineSpec } from '${index}';\nwriteFileSync(${JSON.stringify(mark)}, '');\n` +
        `export default defineSpec({ name: 'counter', constants: {}, build: () => ({ init: 0, deadlock: false,\n` +
        `  actions: { Inc: { apply: (s) => s < 3 && s + 1 } }, invariants: { Weird: (s) => (s < 1 ? true : undefined) } }) });\n`,
    );
    return mark;
  }
  const counterTrace = (source: string) => ({
    '#meta': { source, violation: { property: 'Weird', kind: 'invariant' } },
    vars: ['state'],
    states: [
      { '#meta': { index: 0, action: 'Init', actionIndex: 0 }, state: { '#bigint': '0' } },
      { '#meta': { index: 1, action: 'Inc', actionIndex: 0 }, state: { '#bigint': '1' } },
    ],
  });
  it('prints the module it loads', async () => {
    const r = await kripke('replay', GOLDEN);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('Loading spec module bench/tlbbench.ts (recorded in the trace file)');
  });
  it('resolves the source against the trace file\'s folder: a module beside it loads, outside the current directory', async () => {
    const dir = tempDir();
    const mark = specModule(dir, 'counter.mjs');
    const r = await kripke('replay', write(counterTrace('./counter.mjs'), dir));
    expect(r.out).toMatch(/^Loading spec module .*counter\.mjs \(recorded in the trace file\)/);
    expect(existsSync(mark)).toBe(true);
    // Weird returns undefined in the last state: an evaluation error, not "it holds".
    expect(r.code).toBe(75);
    expect(oneLine(r.err)).toMatch(/invariant Weird returned undefined, not true, false or violated\(\.\.\.\) \(a block body without 'return'\?\)/);
  });
  it('refuses a source outside both the trace file\'s folder and the current directory, without importing it', async () => {
    const dir = tempDir();
    const mark = specModule(dir, 'evil.mjs');
    mkdirSync(join(dir, 'sub'));
    const file = write(counterTrace('../evil.mjs'), join(dir, 'sub'));
    const r = await kripke('replay', file);
    expect(r.code).toBe(152);
    expect(oneLine(r.err)).toMatch(/records its spec module as \.\.\/evil\.mjs, outside both the trace file's folder and the current directory.*kripke replay <spec\.ts> /);
    expect(r.out).toBe('');
    expect(existsSync(mark)).toBe(false);
  });
  it('refuses a source that does not exist, and a file that records none', async () => {
    const d = golden();
    d['#meta'].source = './missing.ts';
    const r = await kripke('replay', write(d));
    expect(r.code).toBe(152);
    expect(oneLine(r.err)).toMatch(/records its spec module as \.\/missing\.ts, and .*missing\.ts is not a file: pass the spec explicitly/);
    delete d['#meta'].source;
    const s = await kripke('replay', write(d));
    expect(s.code).toBe(152);
    expect(oneLine(s.err)).toMatch(/does not record its spec module: pass the spec explicitly: kripke replay <spec\.ts> /);
  });
  it('with the spec named, a different recorded one is only noted', async () => {
    const d = golden();
    d['#meta'].source = '../spec/kernel.ts';
    const r = await kripke('replay', 'bench/tlbbench.ts', write(d));
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('Loading spec module bench/tlbbench.ts (given on the command line)');
    expect(oneLine(r.err)).toMatch(/^kripke: note: .* was recorded from \.\.\/spec\/kernel\.ts .*replaying on bench\/tlbbench\.ts/);
  });
});
