/**
 * `#meta.varTypes` (ADR-015, the types Apalache needs to read a trace back, in the syntax of
 * Apalache's ADR-002: `Int`, `Bool`, `Str`, `Set(T)`, `Seq(T)`, `(K -> V)`, `{ f: T, g: U }`),
 * inferred from the values a trace shows. A variable's type is known when every value it takes in
 * the trace has one and the same type, with no part left open (an empty set's element type is
 * open until a non-empty one fixes it); variables whose type is not known are left out.
 */
import type { ItfValue } from './itf-values.js';

/** A type, `open` where no value has fixed it yet. */
type Type =
  | { readonly k: 'Int' | 'Bool' | 'Str' | 'open' }
  | { readonly k: 'Set' | 'Seq'; readonly e: Type }
  | { readonly k: 'Fun'; readonly a: Type; readonly r: Type }
  | { readonly k: 'Rec'; readonly fields: readonly (readonly [string, Type])[] };

const OPEN: Type = { k: 'open' };

/** No type: values of different types, or a value that has none in ADR-002. */
class NoType extends Error {}

/** Apalache reads a string such as `c1_OF_PERSON` as a value of the uninterpreted type PERSON. */
const MODEL_VALUE = /^[A-Za-z0-9_]+_OF_[A-Z_][A-Z0-9_]*$/;

function join(a: Type, b: Type): Type {
  if (a.k === 'open') return b;
  if (b.k === 'open') return a;
  if (a.k !== b.k) throw new NoType();
  switch (a.k) {
    case 'Set':
    case 'Seq':
      return { k: a.k, e: join(a.e, (b as typeof a).e) };
    case 'Fun':
      return { k: 'Fun', a: join(a.a, (b as typeof a).a), r: join(a.r, (b as typeof a).r) };
    case 'Rec': {
      const bf = (b as typeof a).fields;
      if (a.fields.length !== bf.length || a.fields.some(([f], i) => bf[i][0] !== f)) throw new NoType();
      return { k: 'Rec', fields: a.fields.map(([f, t], i) => [f, join(t, bf[i][1])] as const) };
    }
    default:
      return a;
  }
}

const joinAll = (ts: Type[]): Type => ts.reduce(join, OPEN);

function typeOf(v: ItfValue, depth = 0): Type {
  if (depth > 100) throw new NoType();
  if (typeof v === 'boolean') return { k: 'Bool' };
  if (typeof v === 'string') {
    if (MODEL_VALUE.test(v)) throw new NoType();
    return { k: 'Str' };
  }
  if (Array.isArray(v)) return { k: 'Seq', e: joinAll(v.map((x) => typeOf(x, depth + 1))) };
  if (typeof v['#bigint'] === 'string') return { k: 'Int' };
  if (Array.isArray(v['#set'])) return { k: 'Set', e: joinAll((v['#set'] as ItfValue[]).map((x) => typeOf(x, depth + 1))) };
  if (Array.isArray(v['#map'])) {
    const entries = v['#map'] as ItfValue[][];
    return { k: 'Fun', a: joinAll(entries.map(([k]) => typeOf(k, depth + 1))), r: joinAll(entries.map(([, x]) => typeOf(x, depth + 1))) };
  }
  const keys = Object.keys(v);
  // Other special forms (#unserializable, #tup: kripke writes no tuples) and empty records have no type here.
  if (keys.length === 0 || keys.some((k) => k.startsWith('#'))) throw new NoType();
  return { k: 'Rec', fields: keys.sort().map((f) => [f, typeOf(v[f], depth + 1)] as const) };
}

function show(t: Type): string {
  switch (t.k) {
    case 'open':
      throw new NoType();
    case 'Set':
    case 'Seq':
      return `${t.k}(${show(t.e)})`;
    case 'Fun':
      return `(${show(t.a)} -> ${show(t.r)})`;
    case 'Rec':
      return `{ ${t.fields.map(([f, x]) => `${f}: ${show(x)}`).join(', ')} }`;
    default:
      return t.k;
  }
}

/**
 * The ADR-002 type of each variable whose values in `states` all have one and the same, fully
 * known type (`{ pc: "(Int -> Str)", flag: "(Int -> Bool)" }`); the others are left out.
 */
export function inferVarTypes(vars: readonly string[], states: readonly Record<string, ItfValue>[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of vars) {
    try {
      out[v] = show(joinAll(states.map((s) => typeOf(s[v]))));
    } catch (e) {
      if (!(e instanceof NoType)) throw e;
    }
  }
  return out;
}
