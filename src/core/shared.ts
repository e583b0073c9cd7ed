/**
 * The fingerprint table shared by parallel workers: open addressing over an Int32Array on a
 * SharedArrayBuffer, two lanes per slot. A slot is claimed by CAS on its `lo` lane (never 0 in
 * the table) and completed by storing `hi` (never 0 either); a reader that finds its `lo` in a
 * slot whose `hi` is still 0 waits for it, so no fingerprint is ever inserted twice.
 */

/** Indices into the control Int32Array. */
export const CTL = {
  /** next chunk of the level to claim */
  NEXT: 0,
  /** stop claiming chunks (a violation or an error) */
  STOP: 1,
  /** the table passed its load limit: stop claiming chunks until it has grown */
  OVERFLOW: 2,
  /** entries in the table */
  COUNT: 3,
  SIZE: 4,
} as const;

/** What a 0 lane is stored as (0 marks an empty slot): tableInsert and tableHas must agree. */
const ZERO_HI = 0x5bd1e995;
const ZERO_LO = 0x1b873593;

/** Inserts (hi, lo); true if it was not there. */
export function tableInsert(t: Int32Array, mask: number, hi: number, lo: number): boolean {
  if (hi === 0) hi = ZERO_HI;
  if (lo === 0) lo = ZERO_LO;
  let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
  for (;;) {
    const j = i << 1;
    // Plain reads while probing (aligned 32-bit reads do not tear); atomics only to claim a slot
    // and to wait for a slot being filled.
    let l = t[j + 1];
    if (l === 0) {
      l = Atomics.compareExchange(t, j + 1, 0, lo);
      if (l === 0) {
        Atomics.store(t, j, hi);
        return true;
      }
    }
    if (l === lo) {
      let h = t[j];
      while (h === 0) {
        h = Atomics.load(t, j);
        /* the inserting thread stores hi right after its CAS */
      }
      if (h === hi) return false;
    }
    i = (i + 1) & mask;
  }
}

/** Whether (hi, lo) is in the table (a concurrent insert of it may or may not be seen). */
export function tableHas(t: Int32Array, mask: number, hi: number, lo: number): boolean {
  if (hi === 0) hi = ZERO_HI;
  if (lo === 0) lo = ZERO_LO;
  let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
  for (;;) {
    const j = i << 1;
    const l = Atomics.load(t, j + 1);
    if (l === 0) return false;
    if (l === lo) {
      let h = Atomics.load(t, j);
      while (h === 0) h = Atomics.load(t, j);
      if (h === hi) return true;
    }
    i = (i + 1) & mask;
  }
}

/** A table of `cap` slots (a power of two). */
export function newTable(cap: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(cap * 8));
}

/** A table twice as large with the same entries (no worker may be running). */
export function growTable(t: Int32Array): Int32Array {
  const cap = t.length; // old slots * 2 = new slot count
  const n = newTable(cap);
  const mask = cap - 1;
  for (let j = 0; j < t.length; j += 2) {
    const hi = t[j];
    const lo = t[j + 1];
    if (lo === 0) continue;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    while (n[(i << 1) + 1] !== 0) i = (i + 1) & mask;
    n[i << 1] = hi;
    n[(i << 1) + 1] = lo;
  }
  return n;
}
