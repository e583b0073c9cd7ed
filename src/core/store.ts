/**
 * The state store: visited fingerprints in an open-addressing table of typed arrays, and, per
 * distinct state in discovery order, its parent's id and the action instance that reached it.
 * No state object is kept here: 8 bytes of table per slot plus 8 bytes of links per state.
 * Counterexamples are rebuilt by replaying the action path from Init.
 */

/** A set of 64-bit fingerprints (hi, lo int32 lanes). */
export class FingerprintSet {
  private table: Int32Array;
  private mask: number;
  private count = 0;
  private limit: number;

  constructor(initialCapacity = 1 << 16) {
    let cap = 1 << 4;
    while (cap < initialCapacity) cap <<= 1;
    this.table = new Int32Array(cap * 2);
    this.mask = cap - 1;
    this.limit = Math.floor(cap * 0.75);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.table.byteLength;
  }

  /** Adds (hi, lo); returns true if it was not there. (0, 0) is stored as (0, 1). */
  add(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1;
    const t = this.table;
    const mask = this.mask;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    for (;;) {
      const j = i << 1;
      const h = t[j];
      const l = t[j + 1];
      if (h === 0 && l === 0) {
        t[j] = hi;
        t[j + 1] = lo;
        if (++this.count > this.limit) this.grow();
        return true;
      }
      if (h === hi && l === lo) return false;
      i = (i + 1) & mask;
    }
  }

  /** The set's table (pairs of hi, lo; (0, 0) empty), copied: what another thread's set merges with `addAll`. */
  toTable(): Int32Array {
    return this.table.slice();
  }

  /** Adds every fingerprint of a table made by `toTable`. */
  addAll(table: Int32Array): void {
    for (let j = 0; j < table.length; j += 2) if (table[j] !== 0 || table[j + 1] !== 0) this.add(table[j], table[j + 1]);
  }

  /** Whether (hi, lo) is in the set. */
  has(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1;
    const t = this.table;
    const mask = this.mask;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    for (;;) {
      const j = i << 1;
      const h = t[j];
      const l = t[j + 1];
      if (h === 0 && l === 0) return false;
      if (h === hi && l === lo) return true;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.table;
    const cap = (this.mask + 1) * 2;
    this.table = new Int32Array(cap * 2);
    this.mask = cap - 1;
    this.limit = Math.floor(cap * 0.75);
    this.count = 0;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j] !== 0 || old[j + 1] !== 0) this.add(old[j], old[j + 1]);
    }
  }
}

type UArray = Uint8Array | Uint16Array | Uint32Array;

/**
 * A growable array of unsigned integers (8, 16 or 32 bits) in fixed-size chunks (no copy, no 2x
 * peak when it grows).
 */
export class U32Vec {
  private chunks: UArray[] = [];
  length = 0;
  private static readonly BITS = 18;

  constructor(private readonly width: 8 | 16 | 32 = 32) {}

  push(v: number): void {
    const c = this.length >>> U32Vec.BITS;
    if (c === this.chunks.length) {
      const n = 1 << U32Vec.BITS;
      this.chunks.push(this.width === 8 ? new Uint8Array(n) : this.width === 16 ? new Uint16Array(n) : new Uint32Array(n));
    }
    this.chunks[c][this.length & ((1 << U32Vec.BITS) - 1)] = v;
    this.length++;
  }

  /** Appends src[start .. start+count). */
  pushMany(src: Uint32Array, start: number, count: number): void {
    const size = 1 << U32Vec.BITS;
    while (count > 0) {
      const c = this.length >>> U32Vec.BITS;
      if (c === this.chunks.length) this.chunks.push(this.width === 8 ? new Uint8Array(size) : this.width === 16 ? new Uint16Array(size) : new Uint32Array(size));
      const at = this.length & (size - 1);
      const n = Math.min(count, size - at);
      this.chunks[c].set(src.subarray(start, start + n), at);
      this.length += n;
      start += n;
      count -= n;
    }
  }

  get(i: number): number {
    return this.chunks[i >>> U32Vec.BITS][i & ((1 << U32Vec.BITS) - 1)];
  }

  get bytes(): number {
    return this.chunks.length * ((this.width >>> 3) << U32Vec.BITS);
  }
}

/** Parent id of an initial state. */
export const NO_PARENT = 0xffffffff;

/**
 * Visited states: fingerprints for deduplication, and per state id (discovery order) the parent
 * id and the action instance index (for an initial state: NO_PARENT and the init index).
 */
export class StateStore {
  readonly seen: FingerprintSet;
  private readonly parents = new U32Vec();
  private readonly actions: U32Vec;

  /** `actionCount`: how many distinct action indices (and init indices) are recorded. */
  constructor(initialCapacity?: number, actionCount = 2 ** 32) {
    this.seen = new FingerprintSet(initialCapacity);
    this.actions = new U32Vec(actionCount <= 256 ? 8 : actionCount <= 65536 ? 16 : 32);
  }

  /** Records a state whose fingerprint was deduplicated elsewhere (parallel mode); returns its id. */
  append(parent: number, action: number): number {
    this.parents.push(parent);
    this.actions.push(action);
    return this.parents.length - 1;
  }

  /** `append` for parents[start..start+count) and actions[start..start+count). */
  appendMany(parents: Uint32Array, actions: Uint32Array, start: number, count: number): void {
    this.parents.pushMany(parents, start, count);
    this.actions.pushMany(actions, start, count);
  }

  /** Records a new state if its fingerprint is new; returns its id, or -1 if already seen. */
  insert(hi: number, lo: number, parent: number, action: number): number {
    if (!this.seen.add(hi, lo)) return -1;
    this.parents.push(parent);
    this.actions.push(action);
    return this.parents.length - 1;
  }

  get size(): number {
    return this.parents.length;
  }

  get bytes(): number {
    return this.seen.bytes + this.parents.bytes + this.actions.bytes;
  }

  /**
   * The path to state `id` (`ai` < 0), to its successor by action `ai`, or, for `id` NO_PARENT,
   * to initial state `ai`: the paths of states that were checked but not recorded included.
   */
  pathVia(id: number, ai: number): number[] {
    if (id === NO_PARENT) return [ai];
    const path = this.pathTo(id);
    if (ai >= 0) path.push(ai);
    return path;
  }

  /** The path from an initial state to `id`: [init index, action index, action index, ...]. */
  pathTo(id: number): number[] {
    const path: number[] = [];
    let cur = id;
    for (;;) {
      const p = this.parents.get(cur);
      path.push(this.actions.get(cur));
      if (p === NO_PARENT) break;
      cur = p;
    }
    return path.reverse();
  }
}
