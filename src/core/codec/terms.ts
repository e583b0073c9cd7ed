/**
 * The fingerprint terms of every (slot, code) of a codec, in two flat tables (lane A and B):
 * term (slot, code) is at (slot << shift) + code. The stride 2^shift starts at 256 codes per
 * slot and doubles when a slot's domain outgrows it. A state's fingerprint is the sum of its
 * slots' terms (codec.ts); a term is a function of the slot and the value's hash (domain.ts).
 */
export class Terms {
  TA: Int32Array;
  TB: Int32Array;
  shift = 8;
  /**
   * Per slot, the code + 1 (0: none yet) of the small values: integers 0..255 at 0..255, false at
   * 256, true at 257; at (slot << 9) + index. The inner loop's fast path (writes.ts).
   */
  readonly small: Int32Array;
  /** The highest code given at any slot (what a level's storage must hold). */
  max = 0;

  constructor(readonly W: number) {
    this.TA = new Int32Array(W << this.shift);
    this.TB = new Int32Array(W << this.shift);
    this.small = new Int32Array(W << 9);
  }

  put(slot: number, code: number, a: number, b: number, v?: unknown): void {
    const i = smallIndex(v);
    if (i >= 0) this.small[(slot << 9) + i] = code + 1;
    if (code >= 1 << this.shift) this.grow(code);
    if (code > this.max) this.max = code;
    const j = (slot << this.shift) + code;
    this.TA[j] = a;
    this.TB[j] = b;
  }

  /** The index of `v` in the small table, or -1. */
  static smallIndex(v: unknown): number {
    return smallIndex(v);
  }

  /** Whether (slot, code) has its terms (terms are never 0). */
  has(slot: number, code: number): boolean {
    return code < 1 << this.shift && this.TA[(slot << this.shift) + code] !== 0;
  }

  private grow(code: number): void {
    let shift = this.shift;
    while (code >= 1 << shift) shift++;
    if (shift > 30 || this.W * 2 ** shift > 2 ** 30) throw new RangeError(`a slot of the state encoding has more than ${2 ** this.shift} values`);
    const TA = new Int32Array(this.W << shift);
    const TB = new Int32Array(this.W << shift);
    for (let s = 0; s < this.W; s++) {
      TA.set(this.TA.subarray(s << this.shift, (s + 1) << this.shift), s << shift);
      TB.set(this.TB.subarray(s << this.shift, (s + 1) << this.shift), s << shift);
    }
    this.TA = TA;
    this.TB = TB;
    this.shift = shift;
  }
}

/** Index of a small value in `Terms.small` (integers 0..255, false, true), or -1. */
export function smallIndex(v: unknown): number {
  if (typeof v === 'number') return (v | 0) === v && v >= 0 && v < 256 ? v | 0 : -1;
  return v === false ? 256 : v === true ? 257 : -1;
}
