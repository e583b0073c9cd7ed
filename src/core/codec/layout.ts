/**
 * The layout of a spec's states, learnt from its first initial state: which parts are structure
 * (spread over slots) and which are values (one slot each, see domain.ts).
 *
 * Structure is what a state keeps from one step to the next: Records (of the initial state's
 * types) and Maps with primitive keys (the initial state's key set, e.g. one entry per CPU).
 * Everything else is one slot: primitives, Sets, Lists, empty Maps (their keys vary), Maps with
 * object keys. Each structure node has an escape slot of its own, first of its slots: code 0 when
 * the value has the node's form, else the whole value (a Map that gained or lost a key, a Record
 * of another type), its other slots then ABSENT. So every state has exactly one encoding, a
 * function of its value: the search never leaves the encoding, whatever a state holds.
 */
import { isMap, isOrdered, isRecord, Map as IMap } from 'immutable';
import { fastRecordProto, recordDefault, recordKeys } from '../immutable-internals.js';
import type { InternTable } from './intern.js';

export const LEAF = 0;
export const REC = 1;
export const MAP = 2;

/** Structure deeper than this is held as values. */
const MAX_DEPTH = 32;
/** Maps with more keys than this are held as values. */
const MAX_KEYS = 256;

export interface SNode {
  readonly kind: number;
  /** First slot of this subtree (its escape slot for REC and MAP), and number of slots. */
  readonly off: number;
  readonly len: number;
  /** The leaf's slot, or the escape slot (= off). */
  readonly slot: number;
  // record / map
  readonly keys: readonly unknown[];
  readonly kids: readonly SNode[];
  /** Record field name / Map key -> child index. */
  readonly index: Map<unknown, number>;
  /** Small non-negative integer keys -> child index (or -1); null when keys are not small ints. */
  readonly smallIndex: Int32Array | null;
  // record
  readonly proto: object | null;
  /** Prototype of decoded records: the Record type's, plus field getters reading `__v`. */
  readonly fastProto: object | null;
  readonly defaults: readonly unknown[];
  /** Decoded sub-collections of this node by their codes (see decode.ts). */
  intern: InternTable | null;
  /** The last Map encoded at this node and its codes (a spec constant is written again and again). */
  lastObj: unknown;
  lastCodes: Uint32Array | null;
}

/** The layout tree of `init` and its number of slots. */
export function learnLayout(init: unknown): { root: SNode; W: number } {
  let slots = 0;
  const leaf = (): SNode => {
    const off = slots++;
    return mk(LEAF, off, 1, [], [], null, [], null);
  };
  const build = (v: unknown, depth: number): SNode => {
    if (depth > MAX_DEPTH) return leaf();
    if (isRecord(v)) {
      const keys = recordKeys(v);
      const off = slots++;
      const kids = keys.map((k) => build((v as unknown as { get(k: string): unknown }).get(k), depth + 1));
      const defaults = keys.map((k) => recordDefault(v, k));
      return mk(REC, off, slots - off, keys, kids, Object.getPrototypeOf(v), defaults, null);
    }
    if (isMap(v) && !isOrdered(v) && (v as IMap<unknown, unknown>).size > 0 && (v as IMap<unknown, unknown>).size <= MAX_KEYS) {
      const m = v as IMap<unknown, unknown>;
      const keys = [...m.keys()];
      if (keys.some((k) => k !== null && typeof k === 'object')) return leaf();
      const off = slots++;
      const kids = keys.map((k) => build(m.get(k), depth + 1));
      let small: Int32Array | null = null;
      if (keys.every((k) => typeof k === 'number' && (k | 0) === k && k >= 0 && k < 1024)) {
        small = new Int32Array(Math.max(-1, ...(keys as number[])) + 1).fill(-1);
        keys.forEach((k, i) => (small![k as number] = i));
      }
      return mk(MAP, off, slots - off, keys, kids, null, [], small);
    }
    return leaf();
  };
  const root = build(init, 0);
  return { root, W: slots };
}

function mk(kind: number, off: number, len: number, keys: unknown[], kids: SNode[], proto: object | null, defaults: unknown[], small: Int32Array | null): SNode {
  const index = new Map<unknown, number>();
  keys.forEach((k, i) => index.set(k, i));
  return {
    kind, off, len, slot: off, keys, kids, index, smallIndex: small, proto,
    fastProto: proto ? fastRecordProto(proto, keys as string[], defaults) : null,
    defaults, intern: null, lastObj: undefined, lastCodes: null,
  };
}

/** The child of structure node `n` addressed by `key`, or null. */
export function childOf(n: SNode, key: unknown): SNode | null {
  if (n.kind === LEAF) return null;
  if (n.kind === REC) {
    if (typeof key !== 'string') return null;
    // Field names in specs are literals (internalised strings): a scan compares pointers.
    const keys = n.keys;
    for (let j = 0; j < keys.length; j++) if (keys[j] === key) return n.kids[j];
    const i = n.index.get(key);
    return i === undefined ? null : n.kids[i];
  }
  const small = n.smallIndex;
  if (small !== null && typeof key === 'number') {
    const i = key >= 0 && key < small.length && (key | 0) === key ? small[key] : -1;
    return i < 0 ? null : n.kids[i];
  }
  const i = n.index.get(key);
  return i === undefined ? null : n.kids[i];
}
