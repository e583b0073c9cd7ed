/**
 * The value hash of every (slot, code) of a codec, memoised: what the canonicaliser compares
 * instead of codes. A code is a slot's own numbering (and a thread's order of discovery); a
 * value's 64-bit hash is the same at every slot and in every thread, so states compared by
 * hashes are ordered alike wherever they are canonicalised, and a value moved to another slot
 * keeps its hash. `key` packs 53 of the 64 bits into one double for sorting.
 */
import type { Codec } from '../codec/codec.js';
import { ABSENT_HASH_A, ABSENT_HASH_B } from '../codec/domain.js';
import { valueHash } from '../hash.js';


export class SlotHashes {
  /** Codes below 256, at (slot << 8) + code, filled lazily (`F`); larger codes in `big`. */
  readonly A: Int32Array;
  readonly B: Int32Array;
  readonly K: Float64Array;
  readonly F: Uint8Array;
  private readonly big = new Map<number, [number, number, number]>();
  private readonly tmp = new Int32Array(2);

  constructor(private readonly codec: Codec) {
    const W = codec.W;
    this.A = new Int32Array(W << 8);
    this.B = new Int32Array(W << 8);
    this.K = new Float64Array(W << 8);
    this.F = new Uint8Array(W << 8);
  }

  /** The value of code c at slot t. */
  valueAt(t: number, c: number): unknown {
    const d = this.codec.domains[t];
    const v = d.values[c];
    return v !== undefined ? v : d.value(c);
  }

  /** The hash of (t, c) into out[0..1]; returns its sort key. */
  hash(t: number, c: number, out: Int32Array): number {
    if (c < 256) {
      const i = (t << 8) + c;
      if (this.F[i] === 0) this.fill(t, c, i);
      out[0] = this.A[i];
      out[1] = this.B[i];
      return this.K[i];
    }
    const h = this.bigOf(t, c);
    out[0] = h[0];
    out[1] = h[1];
    return h[2];
  }

  /** The sort key of (t, c). */
  key(t: number, c: number): number {
    if (c < 256) {
      const i = (t << 8) + c;
      if (this.F[i] === 0) this.fill(t, c, i);
      return this.K[i];
    }
    return this.bigOf(t, c)[2];
  }

  private fill(t: number, c: number, i: number): void {
    if (c === 0) {
      this.A[i] = ABSENT_HASH_A;
      this.B[i] = ABSENT_HASH_B;
    } else {
      valueHash(this.valueAt(t, c), this.tmp);
      this.A[i] = this.tmp[0];
      this.B[i] = this.tmp[1];
    }
    this.K[i] = keyOf(this.A[i], this.B[i]);
    this.F[i] = 1;
  }

  private bigOf(t: number, c: number): [number, number, number] {
    const k = c * this.codec.W + t;
    let h = this.big.get(k);
    if (h === undefined) {
      valueHash(this.valueAt(t, c), this.tmp);
      this.big.set(k, (h = [this.tmp[0], this.tmp[1], keyOf(this.tmp[0], this.tmp[1])]));
    }
    return h;
  }
}

/** 53 bits of a 64-bit hash as one exact double (lane A whole, the high 21 bits of lane B). */
export function keyOf(a: number, b: number): number {
  return (a >>> 0) * 2097152 + (b >>> 11);
}
