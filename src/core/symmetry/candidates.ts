/**
 * The 'sort' canonicaliser's candidates (canon.ts): per symmetric set, the relabellings that put
 * its values in the order of their signatures, every order inside a tie unless the tie is
 * harmless (a transposition of two of its values fixes the state).
 *
 * A value's signature is its row's hashes (the slots renamed by no other set, in a fixed order),
 * then the sorted multiset of what the rest of the state says of it (its row's other slots, and
 * every renamed value that holds the set: each taken at its least renaming that calls this
 * value "first", renamed.ts). Every permutation pi maps the signature of x in s to that of pi(x)
 * in pi(s), so the candidates of pi(s) are those of s composed with pi^-1 and both reach the
 * same least state: exact.
 */
import type { Symmetry } from './declare.js';
import { allPerms, type Perm } from './permute.js';
import type { Plan } from './plan.js';
import type { RenamedValues } from './renamed.js';

export class Candidates {
  private readonly sizes: number[];
  private readonly maxN: number;
  private readonly W: number;
  private readonly sigs: Int32Array[];
  private readonly sigLen: number[];
  private readonly ord: Int32Array[];
  /** Per set, the one candidate of a set without ties to enumerate (reused). */
  private readonly single: Perm[][];
  private readonly swaps = new Map<number, Perm[]>();
  /** sorted()'s answer (reused) */
  private readonly cands: Perm[][] = [];
  private readonly tmp = new Int32Array(2);
  // the state being canonicalised
  private ha: Int32Array = new Int32Array(0);
  private hb: Int32Array = new Int32Array(0);
  private codes: Uint32Array = new Uint32Array(0);

  constructor(
    private readonly sym: Symmetry,
    private readonly plan: Plan,
    private readonly rv: RenamedValues,
  ) {
    this.sizes = sym.sets.map((s) => s.values.length);
    this.maxN = Math.max(1, ...this.sizes);
    this.W = plan.W;
    this.sigLen = sym.sets.map((_, i) => 2 * plan.fixed[i][0].length + plan.mixed[i][0].length);
    this.sigs = sym.sets.map((_, i) => new Int32Array(this.sizes[i] * this.sigLen[i]));
    this.ord = this.sizes.map((n) => new Int32Array(n));
    this.single = this.sizes.map((n) => [new Int32Array(n)]);
  }

  /** Per set, the candidate permutations (value index -> new index) of the state with hashes ha, hb and codes `codes`. */
  sorted(ha: Int32Array, hb: Int32Array, codes: Uint32Array): Perm[][] {
    this.ha = ha;
    this.hb = hb;
    this.codes = codes;
    const out = this.cands;
    for (let i = 0; i < this.sizes.length; i++) out[i] = this.candidatesOf(i);
    return out;
  }

  private candidatesOf(i: number): Perm[] {
    const n = this.sizes[i];
    const L = this.sigLen[i];
    const sig = this.sigs[i];
    const { plan, ha, hb, rv } = this;
    for (let x = 0; x < n; x++) {
      const fixed = plan.fixed[i][x];
      let o = x * L;
      for (let k = 0; k < fixed.length; k++) {
        sig[o++] = ha[fixed[k]];
        sig[o++] = hb[fixed[k]];
      }
      const mixed = plan.mixed[i][x];
      if (mixed.length === 0) continue;
      const flags = plan.mixedFlag[i][x];
      const start = o;
      for (let k = 0; k < mixed.length; k++) {
        const t = mixed[k];
        let a = ha[t];
        let b = hb[t];
        const ti = plan.transformOf[t];
        if (ti >= 0) {
          const e = rv.entry(ti, t, this.codes[t]);
          if (!e.fixed) {
            rv.pinned(ti, e, i, x, this.tmp);
            a = this.tmp[0];
            b = this.tmp[1];
          }
        }
        sig[o++] = Math.imul(a ^ Math.imul(plan.cls[t] * 3 + flags[k] + 1, 0x9e3779b1), 0x85ebca6b) ^ b;
      }
      for (let u = start + 1; u < o; u++) {
        const v = sig[u];
        let w = u;
        while (w > start && sig[w - 1] > v) {
          sig[w] = sig[w - 1];
          w--;
        }
        sig[w] = v;
      }
    }
    // the values in signature order (insertion sort: n is small)
    const ord = this.ord[i];
    for (let x = 0; x < n; x++) {
      let j = x;
      while (j > 0 && cmpSig(sig, L, ord[j - 1], x) > 0) {
        ord[j] = ord[j - 1];
        j--;
      }
      ord[j] = x;
    }
    if (plan.pure[i]) {
      // equal signatures are equal rows, and nothing else names the set: one candidate
      const p = this.single[i][0];
      for (let k = 0; k < n; k++) p[ord[k]] = k;
      return this.single[i];
    }
    // every order inside each tie that is not harmless (most states have none: one candidate)
    let orders: number[][] | null = null;
    for (let a = 0; a < n; ) {
      let b = a + 1;
      while (b < n && cmpSig(sig, L, ord[a], ord[b]) === 0) b++;
      if (b - a > 1 && !this.harmless(i, ord, a, b)) {
        orders ??= [Array.from(ord)];
        const perms = allPerms(b - a);
        const cls = Array.from(ord.subarray(a, b));
        orders = orders.flatMap((o) => perms.map((p) => [...o.slice(0, a), ...Array.from(p, (k) => cls[k]), ...o.slice(b)]));
      }
      a = b;
    }
    if (orders === null) {
      const p = this.single[i][0];
      for (let k = 0; k < n; k++) p[ord[k]] = k;
      return this.single[i];
    }
    return orders.map((o) => {
      const p = new Int32Array(n);
      o.forEach((x, k) => (p[x] = k));
      return p;
    });
  }

  /** Whether swapping any two consecutive members of tie class ord[a..b) of set i leaves the state as it is. */
  private harmless(i: number, ord: Int32Array, a: number, b: number): boolean {
    const { plan, ha, hb } = this;
    for (let k = a; k + 1 < b; k++) {
      const x = ord[k];
      const y = ord[k + 1];
      // the two rows are equal slot for slot
      for (let t = 0; t < this.W; t++) {
        if (plan.rowX[i][t] !== x) continue;
        const rel = plan.rowRel[i][t]!;
        const u = t + rel[y] - rel[x];
        if (ha[t] !== ha[u] || hb[t] !== hb[u]) return false;
      }
      // and the swap renames no transform slot's value
      const P = this.swapOf(i, x, y);
      for (let ti = 0; ti < plan.transforms.length; ti++) {
        const t = plan.transforms[ti].slot;
        if ((plan.transforms[ti].sets & (1 << i)) === 0) continue;
        const e = this.rv.entry(ti, t, this.codes[t]);
        if (e.fixed) continue;
        this.rv.renamed(ti, e, P, this.tmp);
        if (this.tmp[0] !== ha[t] || this.tmp[1] !== hb[t]) return false;
      }
    }
    return true;
  }

  /** The transposition of values x and y of set i (identity elsewhere); cached. */
  private swapOf(i: number, x: number, y: number): Perm[] {
    const k = (i * this.maxN + x) * this.maxN + y;
    let P = this.swaps.get(k);
    if (P === undefined) {
      P = this.sym.sets.map((_, j) => Int32Array.from({ length: this.sizes[j] }, (_, a) => a));
      P[i][x] = y;
      P[i][y] = x;
      this.swaps.set(k, P);
    }
    return P;
  }

}

/** Compares the signatures of values x and y (L numbers each). */
function cmpSig(sig: Int32Array, L: number, x: number, y: number): number {
  const a = x * L;
  const b = y * L;
  for (let k = 0; k < L; k++) {
    const d = sig[a + k] - sig[b + k];
    if (d !== 0) return d;
  }
  return 0;
}
