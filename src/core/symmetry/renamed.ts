/**
 * The renamed values of the transform slots (plan.ts: slots whose value holds symmetric values,
 * a Set of CPUs, a frame in a PTE string), memoised per slot and code: whether the value is
 * fixed by every permutation (most are: 0, the empty Set), its hash under one permutation
 * (by permutation id), and its pinned hash (canon.ts signatures).
 */
import { is } from 'immutable';
import { valueHash } from '../hash.js';
import type { Rename, Symmetry } from './declare.js';
import { allPerms, cycle, identities, renameOf, swap, updateAt, type Perm } from './permute.js';
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
  sparse: Map<number, [number, number]> | null;
  /** pinned hashes by (set, value index), and which are known */
  readonly pinA: Int32Array;
  readonly pinB: Int32Array;
  readonly pinF: Uint8Array;
}

export class RenamedValues {
  /** per transform: per code, its entry */
  private readonly entries: (Entry | undefined)[][];
  private readonly renamers = new Map<number, Rename[]>();
  private readonly maxN: number;
  private perms: Perm[][] | null = null;
  private readonly tmp = new Int32Array(2);

  constructor(
    private readonly sym: Symmetry,
    private readonly plan: Plan,
    private readonly hashes: SlotHashes,
    /** |G| */
    private readonly G: number,
  ) {
    this.entries = plan.transforms.map(() => []);
    this.maxN = Math.max(1, ...sym.sets.map((s) => s.values.length));
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

  /** The hash of entry e (transform ti) renamed by permutation P (id `pid`) into out. */
  renamed(ti: number, e: Entry, pid: number, P: readonly Perm[], out: Int32Array): void {
    if (this.G <= DENSE_GROUP) {
      if (e.F === null) {
        e.A = new Int32Array(this.G);
        e.B = new Int32Array(this.G);
        e.F = new Uint8Array(this.G);
      }
      if (e.F[pid] === 0) {
        this.hashRenamed(ti, e, pid, P);
        e.A![pid] = this.tmp[0];
        e.B![pid] = this.tmp[1];
        e.F[pid] = 1;
      }
      out[0] = e.A![pid];
      out[1] = e.B![pid];
      return;
    }
    e.sparse ??= new Map();
    let h = e.sparse.get(pid);
    if (h === undefined) {
      this.hashRenamed(ti, e, pid, P);
      e.sparse.set(pid, (h = [this.tmp[0], this.tmp[1]]));
    }
    out[0] = h[0];
    out[1] = h[1];
  }

  private hashRenamed(ti: number, e: Entry, pid: number, P: readonly Perm[]): void {
    let rn = this.renamers.get(pid);
    if (rn === undefined) this.renamers.set(pid, (rn = this.renamesOf(P)));
    valueHash(this.apply(ti, e.value, rn), this.tmp);
  }

  /**
   * What entry e says of value x of set i, whatever the names (into out): the least hash of the
   * value renamed by every permutation (of the sets renamed there) that maps x to set i's first
   * value. pi(s) and pi(x) give the same: a signature.
   */
  pinned(ti: number, e: Entry, i: number, x: number, out: Int32Array): void {
    const k = i * this.maxN + x;
    if (e.pinF[k] === 0) {
      const tr = this.plan.transforms[ti];
      const perms = (this.perms ??= this.sym.sets.map((s) => allPerms(s.values.length)));
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
        if ((tr.sets & (1 << j)) === 0) {
          P[j] = ids[j];
          return each(j + 1, P);
        }
        for (const p of perms[j]) {
          if (j === i && p[x] !== 0) continue;
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
