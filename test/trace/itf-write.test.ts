/**
 * kripke's own trace files load in every ITF reader: each passes the schema check of ADR-015 and of
 * itf-rs's rules (itf-rules.ts), keeps kripke's metadata as JSON text that kripke reads back,
 * writes integers exactly, escapes records other readers would misread, refuses a variable it
 * cannot write (one line, the verdict stands), and older files (objects in #meta) still replay.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseItf, toItf } from '../../src/trace/itf.js';
import { inferVarTypes } from '../../src/trace/itf-types.js';
import { recordHazard } from '../../src/trace/itf-values.js';
import { kripke } from '../cli/helpers.js';
import { itfProblems, parsesAsType } from './itf-rules.js';

const SHAPES = 'test/trace/fixtures/shapes.ts';

/** Runs `kripke check` into a fresh folder; returns the one trace file written for `property`. */
async function written(spec: string, property: string, ...flags: string[]): Promise<{ file: string; doc: any; spec: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kripke-itf-'));
  const r = await kripke('check', spec, '--out', dir, '--quiet', ...flags);
  expect([11, 12, 0], r.err).toContain(r.code);
  const name = readdirSync(dir).find((f) => f.endsWith(`-${property}.itf.json`) || f.endsWith(`-${property}-witness.itf.json`));
  expect(name, `a trace of ${property} in ${readdirSync(dir).join(', ')}`).toBeDefined();
  const file = join(dir, name!);
  return { file, doc: JSON.parse(readFileSync(file, 'utf8')), spec };
}

const files: { file: string; doc: any; spec: string }[] = [];
const byName = (spec: string) => files.find((f) => f.spec === spec)!;

beforeAll(async () => {
  files.push(await written('examples/mutex.ts', 'MutualExclusion'));
  files.push(await written('bench/tlbbench.ts', 'NoStaleTranslation', '--const', 'MODE=local', '--invariant', 'NoStaleTranslation'));
  files.push(await written('spec/kernel.ts', 'NoStaleTranslation', '--const', 'VARIANT=V1-hyp-munmap', '--invariant', 'NoStaleTranslation'));
  files.push(await written('test/fixtures/actionProp.ts', 'Monotone', '--invariant', 'Monotone'));
  files.push(await written('test/fixtures/deadlock.ts', 'Deadlock'));
  files.push(await written('test/fixtures/sometimes.ts', 'Reaches', '--invariant', 'Reaches'));
  files.push(await written(SHAPES, 'Small'));
}, 60_000);

describe("kripke's trace files pass the schema check of ADR-015 and itf-rs (and Quint's, itf-py's, Apalache's rules)", () => {
  it('every file written', () => {
    for (const f of files) expect(itfProblems(f.doc), f.file).toEqual([]);
  });
  it('the check catches what breaks a reader: objects in #meta, numbers in a state #meta, JSON numbers, misread records', () => {
    const legacy = JSON.parse(readFileSync('traces/tlbbench-local-NoStaleTranslation.itf.json', 'utf8'));
    expect(itfProblems(legacy)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\$\["#meta"\]\.constants: not a string/),
        expect.stringMatching(/^\$\["#meta"\]\.violation: not a string/),
        expect.stringMatching(/^\$\.states\[0\]\["#meta"\]\.actionIndex: not a string/),
        expect.stringMatching(/^\$\.states\[1\]\["#meta"\]\.params: not a string/),
      ]),
    );
    const d = structuredClone(byName('examples/mutex.ts').doc);
    d.states[1].pc = 3;
    d.states[2].pc = { tag: 'x', value: 'y' };
    d.states[3].pc = { '#bigint': '1', x: 2 };
    d.states[4].pc = { from: true, __y: false };
    delete d.states[0]['#meta'];
    d['#meta'].varTypes.pc = 'Int ->';
    expect(itfProblems(d)).toEqual([
      '$["#meta"].varTypes.pc: "Int ->" is not an ADR-002 type',
      '$.states[0]["#meta"]: missing or not an object (itf-rs requires it)',
      '$.states[1].pc: a JSON number (ADR-015 rev. 2023-09-14: integers are {"#bigint": "..."})',
      '$.states[2].pc: a record with exactly tag and value is a variant to ADR-015, Quint, itf-py and the viewer',
      expect.stringMatching(/^\$\.states\[3\]\.pc: an object with # keys must be exactly one of/),
      expect.stringMatching(/^\$\.states\[4\]\.pc\.from: not a field name itf-py/),
      '$.states[4].pc.__y: Quint drops fields starting with __',
    ]);
  });
  it('the Apalache-style golden passes the check; the Quint (Rust) one breaks only the rule against JSON numbers', () => {
    expect(itfProblems(JSON.parse(readFileSync('traces/foreign/mutex-apalache.itf.json', 'utf8')))).toEqual([]);
    const quint = itfProblems(JSON.parse(readFileSync('traces/foreign/mutex-quint.itf.json', 'utf8')));
    expect(quint.length).toBeGreaterThan(0);
    for (const p of quint) expect(p).toMatch(/a JSON number/);
  });
});

describe("kripke's metadata, encoded as itf-rs reads it", () => {
  it('the trace #meta: description, varTypes, status, and constants and violation as JSON text', () => {
    const m = byName('examples/mutex.ts').doc['#meta'];
    expect(m).toMatchObject({
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      description: 'Created by kripke: spec mutex (N=2) violates the invariant MutualExclusion: processes 1 and 2 are both critical',
      varTypes: { pc: '(Int -> Str)', flag: '(Int -> Bool)' },
      status: 'violation',
      spec: 'mutex',
      path: '0/0/1/2/3',
      'generated-by': 'kripke',
    });
    expect(JSON.parse(m.constants)).toEqual({ N: { '#bigint': '2' } });
    expect(JSON.parse(m.violation)).toEqual({ property: 'MutualExclusion', kind: 'invariant', reason: 'processes 1 and 2 are both critical' });
    for (const t of Object.values(m.varTypes)) expect(parsesAsType(t as string)).toBe(true);
  });
  it('a state #meta: the action, its parameters as JSON text, its index as a decimal string', () => {
    const s = byName('bench/tlbbench.ts').doc.states;
    expect(s[0]['#meta']).toEqual({ index: 0, action: 'Init', actionIndex: '0' });
    expect(s[1]['#meta']).toMatchObject({ index: 1, action: 'SwitchIn', actionIndex: '0' });
    expect(JSON.parse(s[1]['#meta'].params)).toEqual({ c: { '#bigint': '1' } });
  });
  it('a witness is no violation to Quint (no status); a deadlock is', () => {
    expect(byName('test/fixtures/sometimes.ts').doc['#meta'].status).toBeUndefined();
    expect(byName('test/fixtures/sometimes.ts').doc['#meta'].description).toMatch(/^Created by kripke: a witness of the sometimes property Reaches/);
    expect(byName('test/fixtures/deadlock.ts').doc['#meta']).toMatchObject({ status: 'violation', description: expect.stringMatching(/a deadlock of spec deadlock/) });
  });
  it('kripke reads it back: every file replays and confirms its claim', async () => {
    for (const f of files) {
      const r = await kripke('replay', f.spec, f.file);
      expect(r.err, f.file).toBe('');
      expect(r.code, f.file).toBe(0);
      expect(r.out).toMatch(/every step is an enabled action that reproduces the recorded state\.\nConfirmed: /);
    }
  });
  it('older files, with objects in #meta, still replay (the goldens in traces/ are such files)', async () => {
    const f = byName('examples/mutex.ts');
    const d = structuredClone(f.doc);
    d['#meta'].constants = JSON.parse(d['#meta'].constants);
    d['#meta'].violation = JSON.parse(d['#meta'].violation);
    for (const st of d.states) {
      if (st['#meta'].params) st['#meta'].params = JSON.parse(st['#meta'].params);
      st['#meta'].actionIndex = Number(st['#meta'].actionIndex);
    }
    const file = f.file.replace(/\.itf\.json$/, '-legacy.itf.json');
    writeFileSync(file, JSON.stringify(d, null, 2));
    const r = await kripke('replay', f.spec, file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Confirmed: MutualExclusion is violated at the end/);
  });
  it('JSON text that is not JSON is a corrupt file (152), with the path of the field', async () => {
    const f = byName('examples/mutex.ts');
    const d = structuredClone(f.doc);
    d.states[2]['#meta'].params = '{"p": ';
    const file = f.file.replace(/\.itf\.json$/, '-bad.itf.json');
    writeFileSync(file, JSON.stringify(d));
    const r = await kripke('replay', f.spec, file);
    expect(r.code).toBe(152);
    expect(r.err).toMatch(/^kripke: error: .*: not an ITF trace: \$\.states\[2\]\["#meta"\]\.params is the string "\{\\"p\\": ", not an object \(nor the JSON text of one\)/);
  });
});

describe('values', () => {
  it('integers are exact: the extreme safe integers, a bigint of 10^30, an integer-valued double beyond 2^53', () => {
    const st = byName(SHAPES).doc.states;
    expect(st[0].big).toEqual({ '#bigint': '9007199254740991' });
    expect(st[1].big).toEqual({ '#bigint': '-9007199254740991' });
    expect(st[0].huge).toEqual({ '#bigint': '1' + '0'.repeat(30) });
    expect(st[1].huge).toEqual({ '#bigint': '-1' + '0'.repeat(30) });
    expect(st[0].exact).toEqual({ '#bigint': '1' + '0'.repeat(21) });
    expect(readFileSync(byName(SHAPES).file, 'utf8')).not.toMatch(/e\+/);
    expect(toItf(-0)).toEqual({ '#bigint': '0' });
    expect(toItf(2 ** 64)).toEqual({ '#bigint': '18446744073709551616' });
  });
  it('and read back exactly: #bigint digits are kept, canonicalised; safe JSON numbers become #bigint, others are refused', () => {
    const doc = (v: string) => `{"vars": ["x"], "states": [{"x": ${v}}]}`;
    const x = (v: string) => parseItf(doc(v), 'x.itf.json').states[0].x;
    expect(x(`{"#bigint": "-${'9'.repeat(40)}"}`)).toEqual({ '#bigint': `-${'9'.repeat(40)}` });
    expect(x('{"#bigint": "-0"}')).toEqual({ '#bigint': '0' });
    expect(x('{"#bigint": "007"}')).toEqual({ '#bigint': '7' });
    expect(x('9007199254740991')).toEqual({ '#bigint': '9007199254740991' });
    expect(x('-9007199254740991')).toEqual({ '#bigint': '-9007199254740991' });
    expect(() => x('9007199254740993')).toThrow(/is the number 9007199254740992, not a safe integer/);
    expect(() => x('1e21')).toThrow(/not a safe integer/);
  });
  it('a number that is not an integer, NaN, null and undefined are #unserializable text, compared exactly', async () => {
    const f = byName(SHAPES);
    expect(f.doc.states[0].frac).toEqual({ '#unserializable': '1.5' });
    expect(f.doc.states[0].nan).toEqual({ '#unserializable': 'NaN' });
    expect([toItf(Infinity), toItf(null), toItf(undefined)]).toEqual([{ '#unserializable': 'Infinity' }, { '#unserializable': 'null' }, { '#unserializable': 'undefined' }]);
    const d = structuredClone(f.doc);
    d.states[1].frac = { '#unserializable': '1.50' };
    const file = f.file.replace(/\.itf\.json$/, '-frac.itf.json');
    writeFileSync(file, JSON.stringify(d));
    const r = await kripke('replay', SHAPES, file);
    expect(r.code).toBe(153);
    expect(r.err).toMatch(/step 1: Step does not reproduce the recorded state: frac: recorded 1\.50, replayed 1\.5/);
  });
  it('records other readers would misread are escaped as a #map from field names; a plain record stays a record', () => {
    const s = byName(SHAPES).doc.states[0];
    const one = { '#bigint': '1' };
    expect(s.hash).toEqual({ '#map': [['#bigint', '5'], ['x', one]] });
    expect(s.variant).toEqual({ '#map': [['tag', 'Some'], ['value', one]] });
    expect(s.unit).toEqual({ '#map': [['tag', 'UNIT']] });
    expect(s.keywords).toEqual({ '#map': [['from', one], ['to', { '#bigint': '2' }]] });
    expect(s.under).toEqual({ '#map': [['__x', one], ['y', { '#bigint': '2' }]] });
    expect(s.plain).toEqual({ a: one, b: true });
    expect(s.list).toEqual([one, { '#bigint': '2' }]);
    expect(s.members).toEqual({ '#set': [one, { '#bigint': '2' }, { '#bigint': '3' }] });
    expect(recordHazard(['tag', 'value', 'x'])).toBeUndefined();
    expect(recordHazard(['a_b', 'C9'])).toBeUndefined();
    for (const fields of [['#x'], ['tag', 'value'], ['tag'], ['__x'], ['_x'], ['a b'], ['class'], ['é']]) expect(recordHazard(fields), fields.join()).toBeDefined();
  });
  it('a state variable whose name starts with # is refused: one line, and check keeps its verdict (12)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kripke-itf-'));
    const r = await kripke('check', 'test/trace/fixtures/hash-var.ts', '--out', dir, '--quiet');
    expect(r.code).toBe(12);
    expect(r.out).toMatch(/Invariant Zero is violated/);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^kripke: error: cannot write .*hash-var-Zero\.itf\.json: the state variable "#x" cannot be written as ITF: its name starts with #/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.itf.json'))).toEqual([]);
  });
  it('varTypes: known when every value has one type, nothing left open', () => {
    const b = (n: number) => ({ '#bigint': String(n) });
    const types = inferVarTypes(['s', 'e', 'mixed', 'model', 'rec', 'un'], [
      { s: { '#set': [] }, e: { '#set': [] }, mixed: b(1), model: 'p1_OF_PROC', rec: { x: b(1), y: [] }, un: { '#unserializable': 'x' } },
      { s: { '#set': [b(1)] }, e: { '#set': [] }, mixed: 'one', model: 'p1_OF_PROC', rec: { x: b(2), y: ['a'] }, un: { '#unserializable': 'x' } },
    ]);
    expect(types).toEqual({ s: 'Set(Int)', rec: '{ x: Int, y: Seq(Str) }' });
  });
});
