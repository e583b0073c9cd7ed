/**
 * Every use of immutable.js' private fields, in one module: the codec's fast decoding builds
 * Lists, Records and Maps directly from their internals (`_tail`, `_root`, `_values`, `__ownerID`,
 * ...) and reads a Record type's field names and defaults (`_keys`, `_defaultValues`,
 * `_indices`). test/engine/immutable-internals.test.ts fails if an immutable.js upgrade changes
 * them; the codec also self-tests its decoder on the initial state and falls back to public
 * constructors when the result differs.
 */
import { is, isRecord, List, Map as IMap, Record as IRecord } from 'immutable';

/** A Record instance's field names, in declaration order. */
export function recordKeys(r: object): string[] {
  return (r as unknown as { _keys: string[] })._keys;
}

/** The name a Record type was given (`Record({...}, 'Name')`), or ''. */
export function recordName(r: object): string {
  return (r as unknown as { _name?: string })._name ?? '';
}

/** The default value of field `k` of a Record instance's type. */
export function recordDefault(r: object, k: string): unknown {
  return (r as unknown as { _defaultValues?: Record<string, unknown> })._defaultValues?.[k];
}

/** A Record whose fields are read from the plain array `values` (see fastRecordProto). */
export function fastRecord(fastProto: object, values: unknown[]): unknown {
  const r = Object.create(fastProto);
  r.__v = values;
  r.__vl = undefined;
  r.__ownerID = undefined;
  return r;
}

let listTemplate: any = null;
let VNodeCtor: any = null;

export function initListInternals(): void {
  if (listTemplate) return;
  const l = List([0]) as any;
  VNodeCtor = l._tail?.constructor ?? null;
  listTemplate = l;
}

/** A fresh List of `arr` (<= 32 values) built directly; null if the internals are not as expected. */
export function fastList(arr: unknown[]): unknown {
  const t = listTemplate;
  const l = Object.create(Object.getPrototypeOf(t));
  l.size = arr.length;
  l._origin = 0;
  l._capacity = arr.length;
  l._level = t._level;
  l._root = t._root;
  l._tail = new VNodeCtor(arr, undefined);
  l.__ownerID = undefined;
  l.__hash = undefined;
  l.__altered = false;
  return l;
}

/**
 * Decoded records inherit from their Record type's prototype through one more prototype whose
 * field getters read a plain array (`__v`) instead of going through `get` and the List of values.
 * A record derived from a decoded one (`set`, `withMutations`) has no `__v`: its getters fall back.
 */
export function fastRecordProto(proto: object, keys: string[], defaults: unknown[]): object {
  const fast = Object.create(proto);
  const baseGet = (proto as { get(k: unknown, d?: unknown): unknown }).get;
  const indices = (proto as { _indices?: Record<string, number> })._indices;
  const own = Object.prototype.hasOwnProperty;
  // The List of values is built only if a Record method needs it (`set`, `equals`, ...), and kept
  // in `__vl`; a record derived from a decoded one (`set`) stores its List there too.
  Object.defineProperty(fast, '_values', {
    get(this: { __v?: unknown[]; __vl?: unknown }) {
      let l = this.__vl;
      if (l === undefined) {
        const vals = this.__v!.map((x, i) => (x === defaults[i] ? undefined : x));
        // fastList builds a List's tail only: 32 values at most
        l = this.__vl = vals.length <= 32 ? fastList(vals) : List(vals);
      }
      return l;
    },
    set(this: { __vl?: unknown }, x: unknown) {
      this.__vl = x;
    },
    configurable: true,
  });
  Object.defineProperty(fast, 'get', {
    value: function get(this: { __v?: unknown[] }, k: unknown, d?: unknown): unknown {
      const v = this.__v;
      if (v !== undefined && indices !== undefined) {
        return typeof k === 'string' && own.call(indices, k) ? v[indices[k]] : d;
      }
      return baseGet.call(this, k, d);
    },
    writable: true,
    configurable: true,
  });
  keys.forEach((k, i) => {
    const d = Object.getOwnPropertyDescriptor(proto, k);
    if (!d || !d.get) return;
    Object.defineProperty(fast, k, {
      get(this: { __v?: unknown[]; get(k: string): unknown }) {
        const v = this.__v;
        return v !== undefined ? v[i] : this.get(k);
      },
      set: d.set,
      configurable: true,
    });
  });
  return fast;
}

const MapProto = Object.getPrototypeOf(IMap()) as { get(k: unknown, d?: unknown): unknown };
const baseMapGet = MapProto.get;

/**
 * Decoded Maps: immutable.js Maps with an array-backed `get` (and `has`) for their primitive keys
 * and an array iterator of their entries. Maps derived from them are ordinary Maps.
 */
const FastMapProto = Object.create(MapProto);
const baseMapHas = (MapProto as unknown as { has(k: unknown): boolean }).has;
type FastMapThis = { __s: Int32Array | null; __i: Map<unknown, number>; __vals: unknown[] };
/** The entry index of key `k` in a decoded Map, or -1 (-2: ask immutable.js). */
function fastIndex(m: FastMapThis, k: unknown): number {
  const s = m.__s;
  if (s !== null && typeof k === 'number') return k >= 0 && k < s.length && (k | 0) === k ? s[k] : -1;
  if (typeof k === 'object' && k !== null) return -2; // value keys compare by value
  const i = m.__i.get(k);
  return i === undefined ? -1 : i;
}
Object.defineProperty(FastMapProto, 'get', {
  value: function get(this: FastMapThis, k: unknown, d?: unknown): unknown {
    const i = fastIndex(this, k);
    return i >= 0 ? this.__vals[i] : i === -1 ? d : baseMapGet.call(this, k, d);
  },
  writable: true,
  configurable: true,
});
Object.defineProperty(FastMapProto, 'has', {
  value: function has(this: FastMapThis, k: unknown): boolean {
    const i = fastIndex(this, k);
    return i >= 0 || (i === -2 && baseMapHas.call(this, k));
  },
  writable: true,
  configurable: true,
});
const entriesIterator = function entries(this: { __e: unknown[] }) {
  return this.__e.values();
};
Object.defineProperty(FastMapProto, 'entries', { value: entriesIterator, writable: true, configurable: true });
Object.defineProperty(FastMapProto, Symbol.iterator, { value: entriesIterator, writable: true, configurable: true });

export function fastMap(keys: readonly unknown[], smallIndex: Int32Array | null, index: Map<unknown, number>, vals: unknown[]): unknown {
  const entries: [unknown, unknown][] = new Array(vals.length);
  for (let i = 0; i < vals.length; i++) entries[i] = [keys[i], vals[i]];
  const m = IMap(entries) as any;
  const f = Object.create(FastMapProto);
  f.size = m.size;
  f._root = m._root;
  f.__ownerID = m.__ownerID;
  f.__hash = m.__hash;
  f.__altered = m.__altered;
  f.__s = smallIndex;
  f.__i = index;
  f.__vals = vals;
  // Not frozen: V8 iterates and destructures frozen arrays about 8x slower. Like every value in a
  // state, the entries yielded by iteration must not be mutated.
  f.__e = entries.map((e) => [e[0], e[1]]);
  return f;
}

/**
 * immutable.js compares Records by building a keyed Seq of each and comparing those (several
 * allocations per comparison, no shortcut), and Sets and small Maps compare their keys with `is`
 * one by one: a Set of message Records spends most of a search there. This replaces
 * `Record.prototype.equals` with the same relation computed directly: equal iff the other value
 * is a Record with the same number of fields and, field by field (by name, in any order, as
 * immutable.js' unordered comparison does), `is`-equal values. The result is the same for every
 * pair (test/engine/immutable-internals.test.ts compares it with the original on random Records).
 */
export function installRecordEquals(): void {
  if (originalRecordEquals !== null) return;
  const proto = IRecord.prototype as unknown as { equals(this: unknown, o: unknown): boolean };
  originalRecordEquals = proto.equals;
  Object.defineProperty(proto, 'equals', { value: recordEquals, writable: true, configurable: true });
}

interface RecordLike {
  _keys: string[];
  get(k: string): unknown;
  has(k: string): boolean;
}

function recordEquals(this: unknown, other: unknown): boolean {
  if (this === other) return true;
  const self = this as RecordLike;
  const ka = self._keys;
  // the same Record type (its own field-name array) is a Record: no isRecord lookup
  if (other === null || typeof other !== 'object' || ((other as RecordLike)._keys !== ka && !isRecord(other))) return false;
  const o = other as unknown as RecordLike;
  const kb = o._keys;
  if (ka.length !== kb.length) return false;
  if (ka === kb) {
    // One Record type: its field values side by side, without a `get` (a List lookup) each.
    const va = rawValues(self);
    const vb = va === null ? null : rawValues(o);
    if (va !== null && vb !== null) {
      const defaults = (self as unknown as { _defaultValues: { [k: string]: unknown } })._defaultValues;
      for (let i = 0; i < ka.length; i++) {
        let x = va[i];
        let y = vb[i];
        if (x === y) continue;
        // a List of record values holds undefined for a field at its default
        if (x === undefined) x = defaults[ka[i]];
        if (y === undefined) y = defaults[ka[i]];
        if (x === y) continue;
        if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') {
          if (x !== x && y !== y) continue; // NaN
          return false;
        }
        if (!is(x, y)) return false;
      }
      return true;
    }
    for (let i = 0; i < ka.length; i++) if (!is(self.get(ka[i]), o.get(ka[i]))) return false;
    return true;
  }
  for (let i = 0; i < kb.length; i++) if (!self.has(kb[i]) || !is(self.get(kb[i]), o.get(kb[i]))) return false;
  return true;
}

/**
 * A Record's field values by index, read in place: a decoded record's array, or the tail array
 * of its values List (a List of at most 32 values keeps them there; undefined stands for a
 * field at its default). Null when the List is not in that form.
 */
function rawValues(r: unknown): readonly unknown[] | null {
  const fast = (r as { __v?: unknown[] }).__v;
  if (fast !== undefined) return fast;
  const l = (r as { _values?: { size: number; _origin: number; _capacity: number; _tail?: { array: unknown[] } } })._values;
  if (l === undefined || l._origin !== 0 || l._capacity > 32 || l._tail === undefined || l._tail === null) return null;
  return l._tail.array;
}

/** immutable.js' own `Record.prototype.equals` (null until `installRecordEquals`). */
export let originalRecordEquals: ((this: unknown, o: unknown) => boolean) | null = null;

