/**
 * 64-bit fingerprints of immutable values, computed by the engine (never immutable.js'
 * 32-bit `hashCode()`).
 *
 * A fingerprint is two independent 32-bit lanes. Every collection hashes as the finalised *sum*
 * of one term per entry, so
 *  - Map and Set hash independently of insertion order (a sum does not care),
 *  - a node's pre-finalisation sum can be cached on the node and updated in O(1) when one entry
 *    changes: S' = S - term(old) + term(new). That is what makes incremental fingerprints of
 *    successors possible without building them (see `change.ts`).
 *
 * Sums are cached on the immutable nodes themselves (two numeric own properties). Immutable
 * nodes never change, and a successor shares most of its parent's trie, so hashing a successor
 * touches only the nodes on the changed paths.
 */
import { isImmutable, isList, isMap, isOrdered, isRecord, isSet, isStack } from 'immutable';
import { recordKeys } from './immutable-internals.js';

/** A 64-bit fingerprint as two unsigned 32-bit lanes. */
export interface Fingerprint {
  readonly hi: number;
  readonly lo: number;
}

// ---- 32-bit mixers (murmur3 and xxhash32 finalisers: two different functions, one per lane) ----

export function mixA(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

export function mixB(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return h | 0;
}

// Collection tags (added before finalisation so an empty Map, Set, List and Record differ).
const TAG_MAP = 0x1b873593;
const TAG_SET = 0x5bd1e995;
const TAG_LIST = 0x68e31da4;
const TAG_RECORD = 0x27d4eb2f;
const TAG_STACK = 0x165667b1;
const TAG_ORDERED = 0x3c6ef372;

// Leaf tags.
const SEED_INT_A = 0x9e3779b9;
const SEED_INT_B = 0x7f4a7c15;

/** Scratch for the lane pair returned by the hashing functions (avoids an allocation per call). */
let outA = 0;
let outB = 0;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

const stringCache = new Map<string, number>();
const stringCacheB = new Map<string, number>();

function hashString(s: string): void {
  const a = stringCache.get(s);
  if (a !== undefined) {
    outA = a;
    outB = stringCacheB.get(s)!;
    return;
  }
  let ha = 0x811c9dc5 ^ s.length;
  let hb = 0x01000193 ^ Math.imul(s.length, 0x9e3779b1);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    ha = Math.imul(ha ^ c, 0x01000193);
    hb = Math.imul(hb + c, 0x5bd1e995) ^ (hb >>> 15);
  }
  outA = mixA(ha ^ 0x2f3c1a5b);
  outB = mixB(hb ^ 0x6a09e667);
  if (stringCache.size < 1 << 16) {
    stringCache.set(s, outA);
    stringCacheB.set(s, outB);
  }
}

function hashNumber(n: number): void {
  // -0 is the integer 0 (immutable.js' `is` treats them as equal, so must the fingerprint).
  if ((n | 0) === n) {
    n |= 0;
    outA = mixA(n ^ SEED_INT_A);
    outB = mixB((n + SEED_INT_B) | 0);
    return;
  }
  f64[0] = n;
  outA = mixA(u32[0] ^ mixA(u32[1] ^ 0x3243f6a8));
  outB = mixB(u32[1] ^ mixB(u32[0] ^ 0x13198a2e));
}

/** Combines a key hash with a value hash into one entry term (non-linear, per lane). */
function termA(ka: number, va: number): number {
  return mixA((ka ^ Math.imul(va, 0xcc9e2d51)) + 0x6b43a9b5);
}
function termB(kb: number, vb: number): number {
  return mixB((Math.imul(kb, 0x1b873593) ^ vb) + 0x3c6ef372);
}

// ---- cached sums on immutable nodes ----

interface Cached {
  __k0?: number;
  __k1?: number;
}

/**
 * Hashes any state value into (outA, outB). Primitives are hashed directly; immutable.js
 * collections recursively, with their sums cached on the node.
 */
function hashInto(v: unknown): void {
  switch (typeof v) {
    case 'number':
      hashNumber(v);
      return;
    case 'string':
      hashString(v);
      return;
    case 'boolean':
      outA = v ? 0x4f1bbcdc : 0x6ed9eba1;
      outB = v ? 0x2b7e1516 : 0x28aed2a6;
      return;
    case 'undefined':
      outA = 0x11111111;
      outB = 0x22222222;
      return;
    case 'bigint':
      hashString(v.toString());
      outA = mixA(outA ^ 0x7b2c1e3f);
      outB = mixB(outB ^ 0x0d4e6f81);
      return;
    case 'object':
      if (v === null) {
        outA = 0x33333333;
        outB = 0x44444444;
        return;
      }
      hashNode(v);
      return;
    default:
      throw new TypeError(`cannot fingerprint a ${typeof v}`);
  }
}

function tagOf(node: unknown): number {
  if (isRecord(node)) return TAG_RECORD;
  if (isMap(node)) return isOrdered(node) ? TAG_MAP ^ TAG_ORDERED : TAG_MAP;
  if (isSet(node)) return isOrdered(node) ? TAG_SET ^ TAG_ORDERED : TAG_SET;
  if (isStack(node)) return TAG_STACK;
  if (isList(node)) return TAG_LIST;
  throw new TypeError('not an immutable.js Record, Map, Set, List or Stack');
}

/** The finalised hash of a node from its (cached) sums. */
function finish(node: unknown, sa: number, sb: number): void {
  const tag = tagOf(node);
  outA = mixA((sa + tag) | 0);
  outB = mixB((sb ^ tag) + 0x5851f42d);
}

function hashNode(node: object): void {
  const c = node as Cached;
  let sa = c.__k0;
  let sb: number;
  if (sa === undefined) {
    computeSums(node);
    sa = outA;
    sb = outB;
    c.__k0 = sa;
    c.__k1 = sb;
  } else {
    sb = c.__k1!;
  }
  finish(node, sa, sb);
}

/** Computes the pre-finalisation sums of a node into (outA, outB). */
function computeSums(node: object): void {
  let sa = 0;
  let sb = 0;
  if (isRecord(node)) {
    const keys = recordKeys(node);
    const rec = node as unknown as { get(k: string): unknown };
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      hashString(k);
      const ka = outA;
      const kb = outB;
      hashInto(rec.get(k));
      sa = (sa + termA(ka, outA)) | 0;
      sb = (sb + termB(kb, outB)) | 0;
    }
  } else if (isMap(node)) {
    (node as unknown as Map<unknown, unknown>).forEach((v, k) => {
      hashInto(k);
      const ka = outA;
      const kb = outB;
      hashInto(v);
      sa = (sa + termA(ka, outA)) | 0;
      sb = (sb + termB(kb, outB)) | 0;
    });
  } else if (isSet(node)) {
    (node as unknown as Set<unknown>).forEach((v) => {
      hashInto(v);
      sa = (sa + mixA(outA ^ 0x01234567)) | 0;
      sb = (sb + mixB(outB ^ 0x089abcde)) | 0;
    });
  } else if (isList(node) || isStack(node)) {
    let i = 0;
    (node as unknown as { forEach(f: (v: unknown) => void): void }).forEach((v) => {
      hashNumber(i++);
      const ka = outA;
      const kb = outB;
      hashInto(v);
      sa = (sa + termA(ka, outA)) | 0;
      sb = (sb + termB(kb, outB)) | 0;
    });
  } else {
    throw new TypeError(isImmutable(node) ? 'unsupported immutable.js collection (use Record, Map, Set, List)' : 'not an immutable value');
  }
  outA = sa;
  outB = sb;
}

/** The 64-bit fingerprint of a value. */
export function fingerprint(v: unknown): Fingerprint {
  hashInto(v);
  return { hi: outA >>> 0, lo: outB >>> 0 };
}

/**
 * Writes the fingerprint of `v` into `out[0..1]` (hi, lo as signed int32), without allocating.
 */
export function fingerprintInto(v: unknown, out: Int32Array): void {
  hashInto(v);
  out[0] = outA;
  out[1] = outB;
}

// ---- incremental support, used by change.ts ----

/** Cached (or computed and cached) pre-finalisation sums of a node into `out[0..1]`. */
export function nodeSums(node: object, out: Int32Array): void {
  const c = node as Cached;
  if (c.__k0 === undefined) {
    computeSums(node);
    c.__k0 = outA;
    c.__k1 = outB;
  }
  out[0] = c.__k0;
  out[1] = c.__k1!;
}

/** Finalised hash of a node given (possibly updated) sums, into `out[0..1]`. */
export function finishSums(node: object, sa: number, sb: number, out: Int32Array): void {
  finish(node, sa, sb);
  out[0] = outA;
  out[1] = outB;
}

/** Hash of any value into `out[0..1]`. */
export function valueHash(v: unknown, out: Int32Array): void {
  hashInto(v);
  out[0] = outA;
  out[1] = outB;
}

/**
 * The entry term a keyed child contributes to its parent's sums. `kind` is how the parent
 * addresses the child: Record field / Map key / List index all combine key and value;
 * Set elements have no key.
 */
export function entryTerm(key: unknown, vA: number, vB: number, out: Int32Array): void {
  if (typeof key === 'number') hashNumber(key);
  else hashInto(key);
  out[0] = termA(outA, vA);
  out[1] = termB(outB, vB);
}
