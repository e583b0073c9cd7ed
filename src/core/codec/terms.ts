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
  /** The highest code given at any slot (what a level's storage must hold). */
  max = 0;

  constructor(readonly W: number) {
    this.TA = new Int32Array(W << this.shift);
    this.TB = new Int32Array(W << this.shift);
  }

  put(slot: number, code: number, a: number, b: number): void {
    if (code >= 1 << this.shift) this.grow(code);
    if (code > this.max) this.max = code;
    const j = (slot << this.shift) + code;
    this.TA[j] = a;
    this.TB[j] = b;
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
