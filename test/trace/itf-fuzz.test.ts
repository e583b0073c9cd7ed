/**
 * Property test: whatever is done to a valid trace file (any value anywhere replaced, nesting
 * changed, states duplicated or dropped, actions, parameters and #meta fields changed, the text
 * truncated), `kripke replay` answers with a verdict exit code (0, 12, 152 or 153) and at most one
 * line on stderr, never a stack trace or an internal error. Seeded, so a failure reproduces.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { kripke, tempDir } from '../cli/helpers.js';

interface Base {
  readonly spec: string;
  readonly doc: any;
  readonly actions: readonly string[];
  readonly properties: readonly string[];
}

const RUNS = Number(process.env.KRIPKE_FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.KRIPKE_FUZZ_SEED ?? 20240615);

const dir = tempDir();
const bases: Base[] = [];

/** Checks `spec` into a fresh folder and returns the trace file it writes (`<stem>-<suffix>`). */
async function traceOf(spec: string, suffix: string, ...flags: string[]): Promise<any> {
  const out = tempDir();
  const r = await kripke('check', spec, '--out', out, '--quiet', ...flags);
  expect([0, 11, 12]).toContain(r.code);
  const name = readdirSync(out).find((f) => f.endsWith(`-${suffix}`));
  expect(name, `${suffix} in ${readdirSync(out).join(', ')}`).toBeDefined();
  return JSON.parse(readFileSync(join(out, name!), 'utf8'));
}

/** A golden trace, with its source made relative to `dir` as the writer would record it there. */
function golden(file: string, spec: string): any {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  doc['#meta'].source = relative(dir, resolve(spec));
  return doc;
}

beforeAll(async () => {
  const tlb = await traceOf('bench/tlbbench.ts', 'NoStaleTranslation.itf.json', '--const', 'MODE=local', '--invariant', 'NoStaleTranslation');
  const tlbActions = ['SwitchIn', 'SwitchOut', 'TrimMask', 'Map', 'Fill', 'Unmap', 'Ack', 'Release'];
  bases.push({ spec: 'bench/tlbbench.ts', doc: tlb, actions: tlbActions, properties: ['NoStaleTranslation', 'TlbCoherent'] });
  bases.push({ spec: 'test/fixtures/actionProp.ts', doc: await traceOf('test/fixtures/actionProp.ts', 'Monotone.itf.json', '--invariant', 'Monotone'), actions: ['Inc', 'Reset'], properties: ['Monotone', 'IncMonotone'] });
  bases.push({ spec: 'test/fixtures/deadlock.ts', doc: await traceOf('test/fixtures/deadlock.ts', 'Deadlock.itf.json'), actions: ['Inc', 'Never'], properties: ['Deadlock'] });
  bases.push({ spec: 'test/fixtures/sometimes.ts', doc: await traceOf('test/fixtures/sometimes.ts', 'Reaches-witness.itf.json', '--invariant', 'Reaches'), actions: ['Inc'], properties: ['Reaches', 'Beyond'] });
  bases.push({ spec: 'spec/kernel.ts', doc: golden('traces/kernel-V1-hyp-munmap-NoStaleTranslation.itf.json', 'spec/kernel.ts'), actions: ['HwFill', 'HwEvict', 'LocalFlushOnly', 'FlushTlbFunc', 'FrameAlloc'], properties: ['NoStaleTranslation', 'LocalFlushSafe', 'SafeWithoutGuard'] });
  bases.push({ spec: 'bench/tlbbench.ts', doc: golden('traces/tlbbench-local-NoStaleTranslation.itf.json', 'bench/tlbbench.ts'), actions: tlbActions, properties: ['NoStaleTranslation'] });
  // Other tools' traces, validated rather than replayed (no actions named).
  for (const f of ['mutex-apalache', 'mutex-quint', 'mutex-quint-mbt']) {
    bases.push({ spec: 'examples/mutex.ts', doc: JSON.parse(readFileSync(`traces/foreign/${f}.itf.json`, 'utf8')), actions: ['Check', 'Enter', 'Leave'], properties: ['MutualExclusion'] });
  }
  for (const b of bases) expect((await kripke('replay', b.spec, write(b.doc))).code, `${b.spec} replays unchanged`).toBe(0);
});

function write(doc: any, text = JSON.stringify(doc, null, 2)): string {
  const file = join(dir, 'mutated.itf.json');
  writeFileSync(file, text);
  return file;
}

// Values to put anywhere: scalars (null, numbers that are and are not safe integers, strings that
// include newlines), lists, records, and objects with special keys holding anything.
const NAMES = ['local', 'shootdown', 'Init', 'Inc', 'Fill', 'Deadlock', 'NoStaleTranslation', '#bigint', '', '__proto__'];
const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -2, max: 20 }),
  fc.constantFrom(1.5, -0, 2 ** 53, -(2 ** 60), 1e300),
  fc.string({ maxLength: 6 }),
  fc.constantFrom(...NAMES),
);
const { value } = fc.letrec<{ value: unknown; special: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('special'), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'n', 'x', '#set', '#foo'), tie('value'), { maxKeys: 2 })),
  special: fc.oneof(
    fc.oneof(fc.integer({ min: -3, max: 20 }).map(String), scalar).map((b) => ({ '#bigint': b })),
    tie('value').map((v) => ({ '#set': v })),
    fc.oneof(tie('value'), fc.array(fc.array(tie('value'), { maxLength: 3 }), { maxLength: 2 })).map((v) => ({ '#map': v })),
    tie('value').map((v) => ({ '#tup': v })),
    scalar.map((v) => ({ '#unserializable': v })),
    fc.constant({ '#foo': 1 }),
  ),
}));

type Mutation =
  | { op: 'replace' | 'wrap' | 'unwrap' | 'delete' | 'nest'; at: number; v: unknown; n: number }
  | { op: 'states'; how: 'dup' | 'drop' | 'swap' | 'pop' | 'reverse'; i: number; j: number }
  | { op: 'action' | 'param'; i: number; name: string; v: unknown }
  | { op: 'meta'; field: string; v: unknown }
  | { op: 'truncate' | 'splice' | 'deepen'; at: number; s: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('replace', 'wrap', 'unwrap', 'delete', 'nest'), at: fc.nat(), v: value, n: fc.constantFrom(2, 5, 666, 667, 1200) }),
  fc.record({ op: fc.constant('states'), how: fc.constantFrom('dup', 'drop', 'swap', 'pop', 'reverse'), i: fc.nat(), j: fc.nat() }),
  fc.record({ op: fc.constantFrom('action', 'param'), i: fc.nat(), name: fc.oneof(fc.constantFrom('Map', 'Fill', 'Inc', 'Reset', 'Never', 'Init', 'c', 'p', 'f', 'x'), fc.string({ maxLength: 4 })), v: fc.oneof(fc.integer({ min: 0, max: 4 }).map((n) => ({ '#bigint': String(n) })), value) }),
  fc.record({
    op: fc.constant('meta'),
    field: fc.constantFrom('source', 'path', 'constants', 'constant', 'violation', 'property', 'kind', 'reason', '#meta', 'actionIndex', 'status'),
    v: fc.oneof(value, fc.constantFrom('invariant', 'action', 'deadlock', 'sometimes', 'Monotone', 'IncMonotone', 'TlbCoherent', '../x.ts', 'V2b', 'violation', 'ok', true, false)),
  }),
  fc.record({ op: fc.constantFrom('truncate', 'splice', 'deepen'), at: fc.nat(), s: fc.constantFrom('', 'null', '0', '"', '{', ']', ',', '\n', '[[') }),
);

/** Every place in a document: [container, key], in document order (iteratively). */
function places(doc: any): [any, string | number][] {
  const out: [any, string | number][] = [];
  const stack: any[] = [doc];
  while (stack.length > 0) {
    const o = stack.pop();
    if (o === null || typeof o !== 'object') continue;
    for (const k of Array.isArray(o) ? o.keys() : Object.keys(o)) {
      out.push([o, k]);
      stack.push(o[k as never]);
    }
  }
  return out;
}

/** A number derived from a value, to pick among choices. */
const size = (v: unknown) => (JSON.stringify(v) ?? '').length;

function nest(v: unknown, n: number): unknown {
  let x = v;
  for (let i = 0; i < n; i++) x = i % 2 ? [x] : { '#set': [x] };
  return x;
}

/** Nests the first `true`/`false` after position `at` in `n` lists, in the text (too deep to build). */
function deepen(text: string, at: number, n: number): string {
  const i = text.slice(at % (text.length + 1)).search(/true|false/) + (at % (text.length + 1));
  if (i < at % (text.length + 1)) return text;
  const len = text.startsWith('true', i) ? 4 : 5;
  return `${text.slice(0, i)}${'['.repeat(n)}${text.slice(i, i + len)}${']'.repeat(n)}${text.slice(i + len)}`;
}

/** kripke's metadata as an object to mutate: JSON text (what kripke writes) is parsed, and `pack` writes it back as text. */
function unpacked(o: any, k: string): { v: any; pack: () => void } {
  if (typeof o?.[k] !== 'string') return { v: o?.[k], pack: () => {} };
  let v: any;
  try {
    v = JSON.parse(o[k]);
  } catch {
    return { v: undefined, pack: () => {} };
  }
  return { v, pack: () => (o[k] = JSON.stringify(v)) };
}

/** Applies a structural mutation to the document (in place). */
function mutate(doc: any, m: Mutation, base: Base): void {
  const states: any[] = Array.isArray(doc?.states) ? doc.states : [];
  const stateAt = (i: number) => states[i % Math.max(states.length, 1)];
  const metaOf = (i: number) => (stateAt(i)?.['#meta'] && typeof stateAt(i)['#meta'] === 'object' ? stateAt(i)['#meta'] : {});
  switch (m.op) {
    case 'replace':
    case 'wrap':
    case 'unwrap':
    case 'delete':
    case 'nest': {
      const ps = places(doc);
      if (ps.length === 0) return;
      const [o, k] = ps[m.at % ps.length];
      const cur = o[k];
      if (m.op === 'replace') o[k] = m.v;
      else if (m.op === 'wrap') o[k] = [[cur], { x: cur }, { '#set': [cur] }, { '#tup': [cur] }, { '#map': [[cur, cur]] }, { '#bigint': cur }][m.n % 6];
      else if (m.op === 'unwrap') o[k] = cur !== null && typeof cur === 'object' ? Object.values(cur)[0] : cur;
      else if (m.op === 'nest') o[k] = nest(cur, m.n);
      else if (Array.isArray(o)) o.splice(k as number, 1);
      else delete o[k];
      return;
    }
    case 'states': {
      if (states.length === 0) return;
      const i = m.i % states.length;
      const j = m.j % states.length;
      if (m.how === 'dup') states.splice(i, 0, structuredClone(states[i]));
      else if (m.how === 'drop') states.splice(i, 1);
      else if (m.how === 'swap') [states[i], states[j]] = [states[j], states[i]];
      else if (m.how === 'pop') states.pop();
      else states.reverse();
      return;
    }
    case 'action':
      metaOf(m.i).action = [...base.actions, m.name][m.name.length % (base.actions.length + 1)];
      return;
    case 'param': {
      const meta = metaOf(m.i);
      const p = unpacked(meta, 'params');
      if (p.v !== undefined) meta.params = p.v;
      const keys = Object.keys(meta.params && typeof meta.params === 'object' ? meta.params : {});
      if (keys.length && m.name.length % 3 === 0) delete meta.params[keys[0]];
      else meta.params = { ...(meta.params && typeof meta.params === 'object' ? meta.params : {}), [keys.length && m.name.length % 3 === 1 ? keys[m.i % keys.length] : m.name]: m.v };
      p.v = meta.params;
      if (m.i % 2 === 0) p.pack();
      return;
    }
    case 'meta': {
      if (doc === null || typeof doc !== 'object') return;
      const meta = doc['#meta'] && typeof doc['#meta'] === 'object' ? doc['#meta'] : (doc['#meta'] = {});
      const v = unpacked(meta, 'violation');
      const c = unpacked(meta, 'constants');
      // Created only when the mutation touches them (a foreign trace has neither).
      const violation = () => (v.v && typeof v.v === 'object' ? v.v : (meta.violation = {}));
      const constants = () => (c.v && typeof c.v === 'object' ? c.v : (meta.constants = {}));
      const packBoth = () => {
        v.pack();
        c.pack();
      };
      if (m.field === '#meta') doc['#meta'] = m.v;
      else if (m.field === 'constant') {
        const names = Object.keys(constants());
        constants()[names.length ? names[size(m.v) % names.length] : 'K'] = m.v;
      } else if (m.field === 'property') violation().property = typeof m.v === 'string' && m.v.length > 8 ? m.v : base.properties[size(m.v) % base.properties.length];
      else if (m.field === 'kind' || m.field === 'reason') violation()[m.field] = m.v;
      else if (m.field === 'actionIndex') metaOf(0).actionIndex = m.v;
      else meta[m.field] = m.v;
      if (m.field !== 'violation' && m.field !== 'constants' && m.field !== '#meta') packBoth();
      return;
    }
    default:
      return;
  }
}

describe('replay of a mutated trace file', () => {
  it(`exits 0, 12, 152 or 153 with at most one line on stderr (${RUNS} runs, seed ${SEED})`, async () => {
    const codes: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(fc.nat(bases.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (b, ms) => {
        const base = bases[b];
        const doc = structuredClone(base.doc);
        for (const m of ms) mutate(doc, m, base);
        let text = JSON.stringify(doc, null, 2) ?? '';
        for (const m of ms) {
          if (m.op === 'truncate') text = text.slice(0, m.at % (text.length + 1));
          else if (m.op === 'splice') text = text.slice(0, m.at % (text.length + 1)) + m.s + text.slice((m.at % (text.length + 1)) + 1);
          else if (m.op === 'deepen') text = deepen(text, m.at, m.s.length % 2 ? 100_000 : 1_001);
        }
        const r = await kripke('replay', base.spec, write(doc, text));
        codes[r.code] = (codes[r.code] ?? 0) + 1;
        expect([0, 12, 152, 153], r.err).toContain(r.code);
        expect(r.err === '' || /^[^\n]*\n$/.test(r.err), r.err).toBe(true);
        expect(r.err).not.toMatch(/\n\s+at /);
        if (r.code === 0) expect(r.out).toMatch(/\nConfirmed: |\nThe file claims no violation/);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The mutations reach every verdict: some files still replay, most are refused either way.
    expect(codes[152]).toBeGreaterThan(RUNS / 10);
    expect(codes[153]).toBeGreaterThan(RUNS / 20);
    expect(codes[0]).toBeGreaterThan(0);
  }, 120_000);
});
