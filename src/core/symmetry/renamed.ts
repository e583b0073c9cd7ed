/**
 * The renamed values of the transform slots (plan.ts: slots whose value holds symmetric values,
 * a Set of CPUs, a frame in a PTE string), memoised per slot and code: whether the value is
 * fixed by every permutation (most are: 0, the empty Set), its hash under one permutation
 * (by permutation id), and its pinned hash (canon.ts signatures).
 */
import { is } from 'immutable';
import { valueHash } from '../hash.js';
import type { Rename, Symmetry } from './declare.js';
import { cycle, identities, renameOf, swap, updateAt, type Perm } from './permute.js';
import type { Plan } from './plan.js';
import type { SlotHashes } from './slot-hashes.js';

/** Groups larger than this keep per-permutation hashes in a Map, not an array. */
const DENSE_GROUP = 1 << 12;

interface Entry {
  readonly value: unknown;
  /** fixed by every permutation: renamed, it is itself */
  readonly fixed: boolean;
  /** hash by permutation id (dense: A, B, F; else `sparse`) */
  A: Int32Array | null;
  B: Int32Array | null;
  F: Uint8Array | null;
  sparse: Map<number | string, [number, number]> | null;
  /** pinned hashes by (set, value index), and which are known */
  readonly pinA: Int32Array;
  readonly pinB: Int32Array;
  readonly pinF: Uint8Array;
}

export class RenamedValues {
  /** per transform: per code, its entry */
  private readonly entries: (Entry | undefined)[][];
  private readonly maxN: number;
  /** per transform: the sets it renames, and the size of their group (what a permutation id counts) */
  private readonly involved: number[][];
  private readonly groupOf: number[];
  private readonly tmp = new Int32Array(2);

  constructor(
    private readonly sym: Symmetry,
    private readonly plan: Plan,
    private readonly hashes: SlotHashes,
  ) {
    this.entries = plan.transforms.map(() => []);
    this.maxN = Math.max(1, ...sym.sets.map((s) => s.values.length));
    this.involved = plan.transforms.map((tr) => sym.sets.flatMap((_, j) => ((tr.sets & (1 << j)) !== 0 ? [j] : [])));
    this.groupOf = this.involved.map((js) => js.reduce((g, j) => g * factorial(sym.sets[j].values.length), 1));
  }

  /** The id of P's restriction to the sets transform ti renames: a number below its group's size (exact), or text past 2^52. */
  private idOf(ti: number, P: readonly Perm[]): number | string {
    if (this.groupOf[ti] > 2 ** 52) return this.involved[ti].map((j) => P[j].join(',')).join('|');
    let id = 0;
    for (const j of this.involved[ti]) {
      const p = P[j];
      const n = p.length;
      for (let a = 0; a < n; a++) {
        let smaller = 0;
        for (let b = a + 1; b < n; b++) if (p[b] < p[a]) smaller++;
        id = id * (n - a) + smaller;
      }
    }
    return id;
  }

  /** The entry of code c at transform ti (slot t). */
  entry(ti: number, t: number, c: number): Entry {
    let e = this.entries[ti][c];
    if (e === undefined) e = this.entries[ti][c] = this.make(ti, t, c);
    return e;
  }

  private make(ti: number, t: number, c: number): Entry {
    const value = this.hashes.valueAt(t, c);
    const tr = this.plan.transforms[ti];
    // fixed by each set's generators (a transposition and the full cycle) = fixed by the group
    let fixed = true;
    this.sym.sets.forEach((s, j) => {
      const n = s.values.length;
      if (!fixed || n < 2 || (tr.sets & (1 << j)) === 0) return;
      for (const g of n > 2 ? [swap(n, 0, 1), cycle(n)] : [swap(n, 0, 1)]) {
        const P = identities(this.sym);
        P[j] = g;
        if (!is(this.apply(ti, value, this.renamesOf(P)), value)) fixed = false;
      }
    });
    const nPin = this.sym.sets.length * this.maxN;
    return { value, fixed, A: null, B: null, F: null, sparse: null, pinA: new Int32Array(nPin), pinB: new Int32Array(nPin), pinF: new Uint8Array(nPin) };
  }

  private apply(ti: number, v: unknown, rn: readonly Rename[]): unknown {
    for (const op of this.plan.transforms[ti].ops) v = updateAt(v, op.occ, op.k, rn[op.occ.set]);
    return v;
  }

  /** The renamings of P (copied: callers reuse their permutation arrays). */
  private renamesOf(P: readonly Perm[]): Rename[] {
    return this.sym.sets.map((s, i) => renameOf(s, P[i].slice()));
  }

  /** The hash of entry e (transform ti) renamed by permutation P into out. */
  renamed(ti: number, e: Entry, P: readonly Perm[], out: Int32Array): void {
    const G = this.groupOf[ti];
    const id = this.idOf(ti, P);
    if (G <= DENSE_GROUP && typeof id === 'number') {
      if (e.F === null) {
        e.A = new Int32Array(G);
        e.B = new Int32Array(G);
        e.F = new Uint8Array(G);
      }
      if (e.F[id] === 0) {
        valueHash(this.apply(ti, e.value, this.renamesOf(P)), this.tmp);
        e.A![id] = this.tmp[0];
        e.B![id] = this.tmp[1];
        e.F[id] = 1;
      }
      out[0] = e.A![id];
      out[1] = e.B![id];
      return;
    }
    e.sparse ??= new Map();
    let h = e.sparse.get(id);
    if (h === undefined) {
      valueHash(this.apply(ti, e.value, this.renamesOf(P)), this.tmp);
      e.sparse.set(id, (h = [this.tmp[0], this.tmp[1]]));
    }
    out[0] = h[0];
    out[1] = h[1];
  }

  /**
   * What entry e says of value x of set i, whatever the names (into out): the least hash of the
   * value renamed by every permutation (of the sets renamed there) that maps x to set i's first
   * value. pi(s) and pi(x) give the same: a signature.
   */
  pinned(ti: number, e: Entry, i: number, x: number, out: Int32Array): void {
    const k = i * this.maxN + x;
    if (e.pinF[k] === 0) {
      // Only the names of the values the value holds matter: try each injective naming of
      // those (x first), each completed to a permutation in increasing order.
      const occurs = this.sym.sets.map(() => new Set<number>());
      this.apply(ti, e.value, this.sym.sets.map((s, j) => (v: unknown) => {
        const a = s.index.get(v);
        if (a !== undefined) occurs[j].add(a);
        return v;
      }));
      const ids = identities(this.sym);
      let bestA = 0;
      let bestB = 0;
      let any = false;
      const each = (j: number, P: Perm[]): void => {
        if (j === this.sym.sets.length) {
          valueHash(this.apply(ti, e.value, this.renamesOf(P)), this.tmp);
          if (!any || this.tmp[0] < bestA || (this.tmp[0] === bestA && this.tmp[1] < bestB)) {
            bestA = this.tmp[0];
            bestB = this.tmp[1];
            any = true;
          }
          return;
        }
        if (occurs[j].size === 0 && j !== i) {
          P[j] = ids[j];
          return each(j + 1, P);
        }
        const n = this.sym.sets[j].values.length;
        const from = [...occurs[j]].filter((a) => !(j === i && a === x));
        const pinnedTo = j === i ? [x] : [];
        for (const p of injections(n, pinnedTo, from)) {
          P[j] = p;
          each(j + 1, P);
        }
      };
      each(0, []);
      e.pinA[k] = bestA;
      e.pinB[k] = bestB;
      e.pinF[k] = 1;
    }
    out[0] = e.pinA[k];
    out[1] = e.pinB[k];
  }
}

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/**
 * Permutations of 0..n-1 that send `pinned` (at most one index) to 0 and the indices `from` to
 * every injective choice of the other images; the rest in increasing order. The permutations
 * that differ only on indices outside `pinned` and `from` are represented once.
 */
function* injections(n: number, pinned: readonly number[], from: readonly number[]): Generator<Perm> {
  const used = new Uint8Array(n);
  const img = new Int32Array(n).fill(-1);
  for (const a of pinned) {
    img[a] = 0;
    used[0] = 1;
  }
  function* choose(k: number): Generator<Perm> {
    if (k === from.length) {
      const p = img.slice();
      const free: number[] = [];
      for (let b = 0; b < n; b++) if (!used[b]) free.push(b);
      let f = 0;
      for (let a = 0; a < n; a++) if (p[a] < 0) p[a] = free[f++];
      yield p;
      return;
    }
    for (let b = 0; b < n; b++) {
      if (used[b]) continue;
      used[b] = 1;
      img[from[k]] = b;
      yield* choose(k + 1);
      img[from[k]] = -1;
      used[b] = 0;
    }
  }
  yield* choose(0);
}
