/**
 * A slot's domain: the values met at one slot of the encoding, numbered in the order they are
 * first seen (code 0 is ABSENT: the slot of a sub-value that is held whole by an escape slot
 * above it, see layout.ts). Any value a state may hold is a domain value: booleans, numbers,
 * strings, null, and whole immutable collections (a Set, a List, a Map whose keys vary), compared
 * by value. A slot's codes therefore stay small (a TLB's few possible contents, a mask's subsets).
 *
 * Each code carries one fingerprint term per lane, a function of the slot and of the value's own
 * 64-bit hash (never of the code): a state's fingerprint is the sum of its slots' terms, the same
 * in every thread whatever order the codes were given in.
 */
import { is } from 'immutable';
import { mixA, mixB, valueHash } from '../hash.js';
import type { Terms } from './terms.js';

/** The value of a slot whose sub-value is held whole by an escape slot above it. */
export const ABSENT: unique symbol = Symbol('kripke.absent');

/** The hash (lanes A, B) ABSENT is filed under: code 0 of every slot. */
export const ABSENT_HASH_A = 0x2f6b1d3a;
export const ABSENT_HASH_B = 0x71c4e9b5;

/** What `CodeSource.lookup` returns for a code it does not have. */
export const NOT_FOUND: unique symbol = Symbol('kripke.not-found');

/** How a domain gets the code of a value it has not met (see shared-codes.ts for threads). */
export interface CodeSource {
  /** The code of `v` (hash ha, hb) at `slot`: a new one, or the one another thread gave it. */
  assign(slot: number, v: unknown, ha: number, hb: number, next: number): number;
  /** The value of a code given by another thread, or NOT_FOUND. */
  lookup(slot: number, code: number): unknown;
}

/** Codes handed out in this thread only, in order. */
export const LOCAL_CODES: CodeSource = {
  assign: (_slot, _v, _ha, _hb, next) => next,
  lookup: () => NOT_FOUND,
};

const tmp = new Int32Array(2);
/** Non-negative integers below this find their code by index (a counter's domain), not in a Map. */
const INTS = 1 << 22;
const MEMO_CAP = 1 << 16;

export class Domain {
  /** code -> value */
  readonly values: unknown[] = [];
  private readonly prims = new Map<unknown, number>();
  /** non-negative integer -> code + 1 (0: not met yet), grown as larger ones are met (up to INTS) */
  private ints = new Int32Array(256);
  private falseCode = -1;
  private trueCode = -1;
  /** collections: lane A of the hash -> codes */
  private readonly byHash = new Map<number, number | number[]>();

  constructor(
    readonly slot: number,
    private readonly source: CodeSource,
    private readonly terms: Terms,
  ) {
    this.add(ABSENT, ABSENT_HASH_A, ABSENT_HASH_B, 0);
  }

  /** The code of `v`, giving it one if it is new. Throws a TypeError for a value no state may hold. */
  code(v: unknown): number {
    switch (typeof v) {
      case 'boolean': {
        const c = v ? this.trueCode : this.falseCode;
        return c >= 0 ? c : this.fresh(v);
      }
      case 'number':
        if ((v | 0) === v && v >= 0 && v < this.ints.length) {
          const c = this.ints[v] - 1;
          if (c >= 0) return c;
        }
        return this.prim(v); // (an integer met while the index was sparse is in the Map)
      case 'string':
      case 'undefined':
      case 'bigint':
        return this.prim(v);
      case 'object': {
        if (v === null) {
          const c = this.prims.get(v);
          return c !== undefined ? c : this.fresh(v);
        }
        valueHash(v, tmp);
        const hit = this.byHash.get(tmp[0]);
        if (hit !== undefined) {
          const hb = tmp[1];
          if (typeof hit === 'number') {
            if (this.same(hit, v, hb)) return hit;
          } else {
            for (const c of hit) if (this.same(c, v, hb)) return c;
          }
        }
        return this.fresh(v, tmp[0], tmp[1]);
      }
      default:
        if (v === ABSENT) return 0;
        valueHash(v, tmp); // throws: a function or a plain symbol
        return -1;
    }
  }

  private prim(v: unknown): number {
    const c = this.prims.get(v);
    return c !== undefined ? c : this.fresh(v);
  }

  /** The value of `code` (one another thread gave is fetched from the shared table). */
  value(code: number): unknown {
    if (code < this.values.length) {
      const v = this.values[code];
      if (v !== undefined || this.has(code)) return v;
    }
    const v = this.source.lookup(this.slot, code);
    if (v === NOT_FOUND) throw new Error(`internal: slot ${this.slot} has no value with code ${code}`);
    this.place(v, code);
    return v;
  }

  /**
   * The code of the value `setIn([key], value)` (or `removeIn([key])` for DELETE) makes of the
   * value of code `code`, if it was computed before (`setBelow`); else -1. Primitive keys and
   * values only (objects would be kept alive); bounded.
   */
  below(code: number, key: unknown, value: unknown): number {
    const byKey = this.memo?.get(code);
    const byValue = byKey?.get(key);
    const c = byValue?.get(value);
    return c === undefined ? -1 : c;
  }

  setBelow(code: number, key: unknown, value: unknown, result: number): void {
    if ((typeof key === 'object' && key !== null) || (typeof value === 'object' && value !== null)) return;
    if (this.memo === null || this.memoSize >= MEMO_CAP) {
      this.memo = new Map();
      this.memoSize = 0;
    }
    let byKey = this.memo.get(code);
    if (byKey === undefined) this.memo.set(code, (byKey = new Map()));
    let byValue = byKey.get(key);
    if (byValue === undefined) byKey.set(key, (byValue = new Map()));
    byValue.set(value, result);
    this.memoSize++;
  }

  private memo: Map<number, Map<unknown, Map<unknown, number>>> | null = null;
  private memoSize = 0;

  /** The number of codes this domain knows (its highest code + 1). */
  get size(): number {
    return this.values.length;
  }

  private has(code: number): boolean {
    return code < this.values.length && this.terms.has(this.slot, code);
  }

  /** Whether collection `v` (hash lane B `hb`) is the value of code `c`. */
  private same(c: number, v: unknown, hb: number): boolean {
    return this.hashB.get(c) === hb && (this.values[c] === v || is(this.values[c], v));
  }

  /** Lane B of the hash each collection's code was filed under. */
  private readonly hashB = new Map<number, number>();

  private fresh(v: unknown, ha?: number, hb?: number): number {
    if (ha === undefined || hb === undefined) {
      valueHash(v, tmp);
      ha = tmp[0];
      hb = tmp[1];
    }
    const code = this.source.assign(this.slot, v, ha, hb, this.values.length);
    this.add(v, ha, hb, code);
    return code;
  }

  /** Records `v` (found in another thread's table) under `code`. */
  private place(v: unknown, code: number): void {
    valueHash(v, tmp);
    this.add(v, tmp[0], tmp[1], code);
  }

  private add(v: unknown, ha: number, hb: number, code: number): void {
    while (this.values.length <= code) this.values.push(undefined);
    this.values[code] = v;
    // (a term of 0 would read as "no code")
    this.terms.put(this.slot, code, termA(this.slot, ha) || 1, termB(this.slot, hb) || 1, v);
    if (typeof v === 'boolean') {
      if (v) this.trueCode = code;
      else this.falseCode = code;
    } else if (typeof v === 'number' && (v | 0) === v && v >= 0 && v < INTS && v < 8 * this.values.length + 1024) {
      // by index while the integers are dense (a counter); sparse large ones in the Map below
      if (v >= this.ints.length) {
        let n = this.ints.length;
        while (n <= v) n *= 2;
        const a = new Int32Array(n);
        a.set(this.ints);
        this.ints = a;
      }
      this.ints[v] = code + 1;
    } else if (v === null || typeof v !== 'object') {
      if (v !== ABSENT) this.prims.set(v, code);
    } else {
      const hit = this.byHash.get(ha);
      if (hit === undefined) this.byHash.set(ha, code);
      else if (typeof hit === 'number') this.byHash.set(ha, [hit, code]);
      else hit.push(code);
      this.hashB.set(code, hb);
    }
  }
}

/** The term of a value with hash lane `h` at `slot`, lane A (B below): distinct mixers per lane. */
export function termA(slot: number, h: number): number {
  return mixA((h ^ Math.imul(slot + 1, 0x9e3779b1)) + 0x6b43a9b5);
}
export function termB(slot: number, h: number): number {
  return mixB((h + Math.imul(slot + 1, 0x85ebca6b)) ^ 0x3c6ef372);
}
