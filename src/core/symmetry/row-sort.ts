/**
 * The canonicaliser's fast path (canon.ts), for the common case of one symmetric set whose values
 * appear only as the keys of Maps (its *rows*, plan.ts: tlbbench's CPUs). Permuting the set
 * permutes whole rows and changes nothing else, so the least member of the orbit is the state
 * with its rows sorted; equal rows swap onto the same state, so ties need no enumeration. Its
 * fingerprint is the codec's, with the terms of the moved rows' slots replaced by their terms at
 * their destinations: no canonical state is built.
 */
import type { Codec } from '../codec/codec.js';
import { finishSlots } from '../codec/codec.js';
import { termA, termB } from '../codec/domain.js';
import type { Plan } from './plan.js';
import type { SlotHashes } from './slot-hashes.js';

export class RowSorter {
  private readonly n: number;
  /** the rows' slots, value after value, each row in the same order */
  private readonly rows: Int32Array;
  private readonly len: number;
  /** the rows' sort keys, as `rows` */
  private readonly sig: Float64Array;
  /** the values in row order */
  private readonly ord: Int32Array;
  /** the state being expanded: its codes and keys at the rows' slots */
  private readonly pc: Uint32Array;
  private readonly pk: Float64Array;
  private readonly sums = new Int32Array(2);
  private readonly tmp = new Int32Array(2);
  /**
   * The terms of a moved value: row slot r's code c at the slot of row place k, at [r * n + k][c]
   * (codes below 256; 0: not computed yet, terms are never 0), allocated as moves happen.
   */
  private readonly MA: (Int32Array | undefined)[];
  private readonly MB: (Int32Array | undefined)[];

  constructor(
    private readonly plan: Plan,
    private readonly codec: Codec,
    private readonly hashes: SlotHashes,
  ) {
    const fixed = plan.fixed[0];
    this.n = fixed.length;
    this.rows = Int32Array.from(fixed.flatMap((r) => Array.from(r)));
    this.len = this.rows.length / this.n;
    this.sig = new Float64Array(this.rows.length);
    this.ord = new Int32Array(this.n);
    this.pc = new Uint32Array(codec.W).fill(0xffffffff);
    this.pk = new Float64Array(codec.W);
    this.MA = new Array<Int32Array | undefined>(this.rows.length * this.n);
    this.MB = new Array<Int32Array | undefined>(this.rows.length * this.n);
  }

  private fillMoved(rk: number, c: number, to: number, t: number): void {
    this.hashes.hash(t, c, this.tmp);
    this.MA[rk]![c] = termA(to, this.tmp[0]) || 1;
    this.MB[rk]![c] = termB(to, this.tmp[1]) || 1;
  }

  /** The state about to be expanded: its successors' keys start from its own. */
  loadParent(codes: Uint32Array): void {
    const { rows, pc, pk, hashes } = this;
    for (let r = 0; r < rows.length; r++) {
      const t = rows[r];
      pc[t] = codes[t];
      pk[t] = hashes.key(t, codes[t]);
    }
  }

  /**
   * The canonical fingerprint of `codes` into fp (see Canonicaliser.fingerprint for `known`);
   * false if the state is off the layout (the general path deals with it).
   */
  fingerprint(codes: Uint32Array, fp: Int32Array, known: Int32Array | null): boolean {
    const guards = this.plan.guards;
    for (let k = 0; k < guards.length; k++) if (codes[guards[k]] !== 0) return false;
    const { n, len, rows, sig, pc, pk, hashes, ord } = this;
    const { K, F } = hashes;
    for (let r = 0; r < rows.length; r++) {
      const t = rows[r];
      const c = codes[t];
      if (c === pc[t]) sig[r] = pk[t];
      else {
        const i = (t << 8) + c;
        sig[r] = c < 256 && F[i] === 1 ? K[i] : hashes.key(t, c);
      }
    }
    // insertion sort of the values by their rows (n is small)
    let sorted = true;
    for (let x = 0; x < n; x++) {
      let j = x;
      while (j > 0 && cmpRows(sig, len, ord[j - 1], x) > 0) {
        ord[j] = ord[j - 1];
        j--;
      }
      ord[j] = x;
      if (j !== x) sorted = false;
    }
    if (sorted && known !== null) return true;
    const sums = known ?? this.sums;
    if (known === null) this.codec.sums(codes, sums);
    let sa = sums[0];
    let sb = sums[1];
    if (!sorted) {
      const terms = this.codec.terms;
      const { TA, TB } = terms;
      const { MA, MB } = this;
      for (let k = 0; k < n; k++) {
        const x = ord[k]; // row x goes to place k
        if (x === k) continue;
        for (let j = 0, r = x * len; j < len; j++, r++) {
          const t = rows[r];
          const c = codes[t];
          if (c < 256) {
            const rk = r * n + k;
            let ma = MA[rk];
            if (ma === undefined) {
              ma = MA[rk] = new Int32Array(256);
              MB[rk] = new Int32Array(256);
            }
            if (ma[c] === 0) this.fillMoved(rk, c, rows[k * len + j], t);
            sa = (sa - TA[(t << 8) + c] + ma[c]) | 0;
            sb = (sb - TB[(t << 8) + c] + MB[rk]![c]) | 0;
          } else {
            const h = this.tmp;
            hashes.hash(t, c, h);
            sa = (sa - terms.a(t, c) + (termA(rows[k * len + j], h[0]) || 1)) | 0;
            sb = (sb - terms.b(t, c) + (termB(rows[k * len + j], h[1]) || 1)) | 0;
          }
        }
      }
    }
    finishSlots(sa, sb, this.codec.W, fp);
    return true;
  }
}

/** Compares rows x and y (`len` keys each) of `sig` (candidates.ts's cmpSig on Int32Arrays: one array type per function keeps the loop monomorphic). */
function cmpRows(sig: Float64Array, len: number, x: number, y: number): number {
  const a = x * len;
  const b = y * len;
  for (let k = 0; k < len; k++) {
    const d = sig[a + k] - sig[b + k];
    if (d !== 0) return d;
  }
  return 0;
}
