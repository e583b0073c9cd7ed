/**
 * ITF values (Apalache ADR-015) as data: canonical text and order, the rules that keep a record
 * from being misread by other ITF readers, the normal form foreign traces are compared in, and
 * compact rendering and diffs for messages.
 *
 * What the other readers do with an object (see docs/trace-validation.md for the sources):
 * itf-rs, Quint and itf-py read any object that has a `#bigint`, `#tup`, `#set`, `#map` or
 * `#unserializable` key as that form, whatever its other keys; Quint, itf-py, the VS Code viewer and
 * ADR-015 (rev. 2025-11-11) read an object whose keys are exactly `tag` and `value` as a variant
 * (Quint also reads `{"tag": "UNIT"}` as the empty tuple); Quint drops fields starting with `__`;
 * itf-py builds a Python namedtuple per record, which refuses field names that are not identifiers,
 * start with `_` or are Python keywords. `recordHazard` names what a record would run into.
 */

/** An ITF value as kripke reads and writes it (JSON numbers are normalised to `#bigint` on reading). */
export type ItfValue = boolean | string | ItfValue[] | { [k: string]: ItfValue };

type Obj = { [k: string]: ItfValue };

/** The keys of ITF's special forms. */
export const SPECIAL_KEYS: readonly string[] = ['#bigint', '#set', '#map', '#tup', '#unserializable'];

const PYTHON_KEYWORDS = new Set(
  ('False None True and as assert async await break class continue def del elif else except finally for from global if ' +
    'import in is lambda nonlocal not or pass raise return try while with yield').split(' '),
);

/** Canonical text of a value (JSON, keys in the order written). */
export function canon(v: ItfValue): string {
  return JSON.stringify(v);
}

/** Orders values by their canonical text (set elements and map entries are written in this order). */
export function byCanon(a: ItfValue, b: ItfValue): number {
  const x = canon(a);
  const y = canon(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Why a record with these field names, written as a JSON object, would be misread (or refused) by
 * an ITF reader; undefined if every reader reads it as the record it is.
 */
export function recordHazard(fields: readonly string[]): string | undefined {
  for (const f of fields) {
    if (f.startsWith('#')) return `the field ${JSON.stringify(f)} starts with # (an ITF special form to itf-rs, Quint and itf-py)`;
    if (f.startsWith('__')) return `Quint drops the field ${JSON.stringify(f)} (it starts with __)`;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(f)) return `the field ${JSON.stringify(f)} is not an identifier (itf-py and Apalache refuse it)`;
    if (PYTHON_KEYWORDS.has(f)) return `the field ${f} is a Python keyword (itf-py refuses it)`;
  }
  if (fields.length === 2 && fields.includes('tag') && fields.includes('value')) return 'a record with exactly the fields tag and value is a variant to ADR-015, Quint and itf-py';
  if (fields.length === 1 && fields[0] === 'tag') return 'a record with only the field tag is a unit variant to Apalache and Quint';
  return undefined;
}

/**
 * A record as ITF: a JSON object, or, when that would be misread (`recordHazard`), a `#map` from
 * field names to values, which is what a record is in TLA+ (a function on strings).
 */
export function recordToItf(fields: readonly [string, ItfValue][]): ItfValue {
  if (recordHazard(fields.map(([k]) => k)) === undefined) return Object.fromEntries(fields);
  return { '#map': fields.map(([k, v]): ItfValue[] => [k, v]).sort((a, b) => byCanon(a[0], b[0])) };
}

const isObj = (x: ItfValue): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const specialOf = (o: Obj): string | undefined => Object.keys(o).find((k) => k.startsWith('#'));

/**
 * The normal form in which a foreign trace's values are compared with kripke's: tuples are lists,
 * records and variants are maps from field names (as in TLA+, where a record is a function on
 * strings), set elements and map entries are sorted and set elements deduplicated. Iterative (a
 * value may nest deeply).
 */
export function normalItf(v: ItfValue): ItfValue {
  // Post-order: children first, then their parent is rebuilt from them.
  const out = new Map<ItfValue, ItfValue>();
  const stack: [ItfValue, boolean][] = [[v, false]];
  const children = (x: ItfValue): ItfValue[] => {
    if (Array.isArray(x)) return x;
    if (!isObj(x)) return [];
    const s = specialOf(x);
    if (s === '#tup' || s === '#set') return x[s] as ItfValue[];
    if (s === '#map') return (x[s] as ItfValue[][]).flat();
    if (s !== undefined) return [];
    return Object.values(x);
  };
  while (stack.length > 0) {
    const [x, done] = stack.pop()!;
    if (out.has(x)) continue;
    if (!done) {
      stack.push([x, true]);
      for (const c of children(x)) if (typeof c === 'object') stack.push([c, false]);
      continue;
    }
    const n = (c: ItfValue) => (typeof c === 'object' ? out.get(c)! : c);
    let r: ItfValue = x;
    if (Array.isArray(x)) r = x.map(n);
    else if (isObj(x)) {
      const s = specialOf(x);
      if (s === '#tup') r = (x[s] as ItfValue[]).map(n);
      else if (s === '#set') {
        const seen = new Map<string, ItfValue>();
        for (const e of (x[s] as ItfValue[]).map(n)) seen.set(canon(e), e);
        r = { '#set': [...seen.values()].sort(byCanon) };
      } else if (s === '#map') r = { '#map': (x[s] as ItfValue[][]).map(([k, y]) => [n(k), n(y)]).sort((a, b) => byCanon(a[0], b[0])) };
      else if (s === undefined) r = { '#map': Object.entries(x).map(([k, y]): ItfValue[] => [k, n(y)]).sort((a, b) => byCanon(a[0], b[0])) };
    }
    out.set(x, r);
  }
  return typeof v === 'object' ? out.get(v)! : v;
}

/** Paths at which two ITF values differ (`tlb[2][1]: recorded 0, replayed 1`), at most `max`. */
export function itfDiff(a: ItfValue, b: ItfValue, path = '', max = 5, out: string[] = []): string[] {
  if (out.length >= max) return out;
  if (canon(a) === canon(b)) return out;
  if (isObj(a) && isObj(b) && Array.isArray(a['#map']) && Array.isArray(b['#map'])) {
    const am = new Map((a['#map'] as ItfValue[][]).map(([k, v]) => [canon(k), [k, v] as const]));
    const bm = new Map((b['#map'] as ItfValue[][]).map(([k, v]) => [canon(k), [k, v] as const]));
    for (const [ck, [k, v]] of am) {
      const label = `${path}[${showItf(k)}]`;
      const other = bm.get(ck);
      if (!other) out.push(`${label}: only in the recorded state`);
      else itfDiff(v, other[1], label, max, out);
    }
    for (const [ck, [k]] of bm) if (!am.has(ck)) out.push(`${path}[${showItf(k)}]: only in the replayed state`);
    return out.slice(0, max);
  }
  if (isObj(a) && isObj(b) && specialOf(a) === undefined && specialOf(b) === undefined) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(k in a) || !(k in b)) out.push(`${path}.${k}: missing on one side`);
      else itfDiff(a[k], b[k], path ? `${path}.${k}` : k, max, out);
    }
    return out.slice(0, max);
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => itfDiff(x, b[i], `${path}[${i}]`, max, out));
    return out.slice(0, max);
  }
  out.push(`${path || '(state)'}: recorded ${showItf(a)}, replayed ${showItf(b)}`);
  return out;
}

/** Shows an ITF value compactly (`1`, `{1, 2}`, `"x"`). */
export function showItf(v: ItfValue): string {
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `<<${v.map(showItf).join(', ')}>>`;
  if (typeof v['#bigint'] === 'string') return v['#bigint'] as string;
  if (Array.isArray(v['#set'])) return `{${(v['#set'] as ItfValue[]).map(showItf).join(', ')}}`;
  if (Array.isArray(v['#tup'])) return `<<${(v['#tup'] as ItfValue[]).map(showItf).join(', ')}>>`;
  if (Array.isArray(v['#map'])) return `[${(v['#map'] as ItfValue[][]).map(([k, x]) => `${showItf(k)}: ${showItf(x)}`).join(', ')}]`;
  if (typeof v['#unserializable'] === 'string') return v['#unserializable'] as string;
  return `{${Object.entries(v).map(([k, x]) => `${k}: ${showItf(x)}`).join(', ')}}`;
}
