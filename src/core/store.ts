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

/** A growable array of uint32. */
export class U32Vec {
  private data: Uint32Array;
  length = 0;

  constructor(capacity = 1 << 12) {
    this.data = new Uint32Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Uint32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }

  get(i: number): number {
    return this.data[i];
  }

  get bytes(): number {
    return this.data.byteLength;
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
  private readonly actions = new U32Vec();

  constructor(initialCapacity?: number) {
    this.seen = new FingerprintSet(initialCapacity);
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
