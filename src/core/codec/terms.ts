/**
 * The fingerprint terms of every (slot, code) of a codec, lane A and B: codes below 256 in two
 * flat tables, (slot << 8) + code; larger codes in arrays of their slot's own, so one slot with a
 * large domain (a counter) costs only its own codes. A state's fingerprint is the sum of its
 * slots' terms (codec.ts); a term is a function of the slot and the value's hash (domain.ts).
 */
export class Terms {
  /** Terms of codes 0..255, flat: (slot << 8) + code. */
  readonly TA: Int32Array;
  readonly TB: Int32Array;
  /** Terms of the codes from 256 up, per slot (only slots whose domain is that large have them). */
  private readonly bigA: (Int32Array | null)[];
  private readonly bigB: (Int32Array | null)[];
  /**
   * Per slot, the code + 1 (0: none yet) of the small values: integers 0..255 at 0..255, false at
   * 256, true at 257; at (slot << 9) + index. The inner loop's fast path (writes.ts).
   */
  readonly small: Int32Array;
  /** The highest code given at any slot (what a level's storage must hold). */
  max = 0;

  constructor(readonly W: number) {
    this.TA = new Int32Array(W << 8);
    this.TB = new Int32Array(W << 8);
    this.bigA = new Array<Int32Array | null>(W).fill(null);
    this.bigB = new Array<Int32Array | null>(W).fill(null);
    this.small = new Int32Array(W << 9);
  }

  /** Term A of (slot, code). */
  a(slot: number, code: number): number {
    return code < 256 ? this.TA[(slot << 8) + code] : this.bigA[slot]![code - 256];
  }

  /** Term B of (slot, code). */
  b(slot: number, code: number): number {
    return code < 256 ? this.TB[(slot << 8) + code] : this.bigB[slot]![code - 256];
  }

  put(slot: number, code: number, a: number, b: number, v?: unknown): void {
    const i = smallIndex(v);
    if (i >= 0) this.small[(slot << 9) + i] = code + 1;
    if (code > this.max) this.max = code;
    if (code < 256) {
      this.TA[(slot << 8) + code] = a;
      this.TB[(slot << 8) + code] = b;
      return;
    }
    const k = code - 256;
    let A = this.bigA[slot];
    if (A === null || k >= A.length) {
      let n = A === null ? 256 : A.length;
      while (n <= k) n *= 2;
      const nA = new Int32Array(n);
      const nB = new Int32Array(n);
      if (A !== null) {
        nA.set(A);
        nB.set(this.bigB[slot]!);
      }
      this.bigA[slot] = A = nA;
      this.bigB[slot] = nB;
    }
    A[k] = a;
    this.bigB[slot]![k] = b;
  }

  /** Whether (slot, code) has its terms (terms are never 0). */
  has(slot: number, code: number): boolean {
    if (code < 256) return this.TA[(slot << 8) + code] !== 0;
    const A = this.bigA[slot];
    return A !== null && code - 256 < A.length && A[code - 256] !== 0;
  }
}

/** Index of a small value in `Terms.small` (integers 0..255, false, true), or -1. */
export function smallIndex(v: unknown): number {
  if (typeof v === 'number') return (v | 0) === v && v >= 0 && v < 256 ? v | 0 : -1;
  return v === false ? 256 : v === true ? 257 : -1;
}
