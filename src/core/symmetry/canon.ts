/**
 * Canonical fingerprints under symmetry: the fingerprint of the least member of a state's orbit,
 * so every state of an orbit has the same one and states of different orbits never do.
 *
 * The canonicaliser works on an encoded state (W slot codes) in *hash space*: each slot's code
 * is replaced by its value's 64-bit hash, which, unlike a code, is the same whatever slot holds
 * the value and whatever thread numbered it. A permutation then moves hashes between the slots of
 * rows (plan.ts) and renames the values of transform slots (memoised per slot, code and
 * permutation). States are ordered by their hash vectors, slot by slot; the canonical
 * fingerprint is the codec's own fingerprint of the least one (the sum of its slots' terms), so
 * it is the same in every worker.
 *
 * Which permutations are tried:
 *  - 'sort' (the default; candidates.ts): each set's values are sorted by a signature that every permutation
 *    preserves (the hashes of the value's row; the multiset of what the rest of the state says
 *    of it, each renamed value taken at its least renaming that calls this one "first"). Only orders that
 *    respect the signatures are candidates, every order inside a tie, except ties whose members
 *    are interchangeable in this very state (a transposition that fixes it). Exact: the
 *    candidates of pi(s) are those of s composed with pi^-1, so both give the same least state.
 *  - 'exhaustive': every permutation (TLC's method): exact, |G| per state.
 * A state off the layout where a declared path goes (an escaped node) is canonicalised on its
 * values, exhaustively.
 */
import type { Codec } from '../codec/codec.js';
import { KripkeError } from '../errors.js';
import { finishSlots } from '../codec/codec.js';
import { termA, termB } from '../codec/domain.js';
import { Candidates } from './candidates.js';
import { RenamedValues } from './renamed.js';
import { RowSorter } from './row-sort.js';
import { SlotHashes } from './slot-hashes.js';
import type { Rename, Symmetry } from './declare.js';
import { allPerms, permuteValue, renameOf, type Perm } from './permute.js';
import type { Plan } from './plan.js';

export type SymmetryMode = 'sort' | 'exhaustive';

/** Exhaustive canonicalisation tries at most this many permutations per state (8! = 40,320 fit, 9! do not). */
const EXHAUSTIVE_LIMIT = 100_000;


export class Canonicaliser {
  /** Candidate orbits members compared, in all (for statistics). */
  candidates = 0;
  states = 0;
  private readonly W: number;
  private readonly nSets: number;
  private readonly sizes: number[];
  /** |G|, the product of the sets' groups' sizes. */
  private readonly G: number;
  // hash space of the state being canonicalised
  private readonly ha: Int32Array;
  private readonly hb: Int32Array;
  private codes: Uint32Array = new Uint32Array(0);
  // the candidate being built, the best so far
  private cA: Int32Array;
  private cB: Int32Array;
  private bA: Int32Array;
  private bB: Int32Array;
  /** The parent's codes and hashes. */
  private readonly pc: Uint32Array;
  private readonly pha: Int32Array;
  private readonly phb: Int32Array;
  /** Scratch: the renamed hashes, and a second buffer for row moves. */
  private readonly rA: Int32Array;
  private readonly rB: Int32Array;
  private readonly mA: Int32Array;
  private readonly mB: Int32Array;
  private haveBest = false;
  /** The least candidate so far is the state itself. */
  private bestIsIdentity = false;
  /** One set, its values in its rows only, 'sort': the fast path. */
  private readonly rows: RowSorter | null;
  private readonly hashes: SlotHashes;
  private readonly rv: RenamedValues;
  private readonly candidatesOf: Candidates;
  private allPermsCache: Perm[][] | null = null;
  private readonly tmp = new Int32Array(2);
  private readonly buf: Uint32Array;

  constructor(
    private readonly sym: Symmetry,
    private readonly plan: Plan,
    private readonly codec: Codec,
    readonly mode: SymmetryMode,
  ) {
    const W = (this.W = plan.W);
    this.nSets = sym.sets.length;
    this.sizes = sym.sets.map((s) => s.values.length);
    let g = 1;
    for (const n of this.sizes) for (let k = 2; k <= n; k++) g *= k;
    this.G = g;
    this.ha = new Int32Array(W);
    this.hb = new Int32Array(W);
    this.cA = new Int32Array(W);
    this.cB = new Int32Array(W);
    this.bA = new Int32Array(W);
    this.bB = new Int32Array(W);
    this.buf = new Uint32Array(W);
    this.pc = new Uint32Array(W).fill(0xffffffff);
    this.pha = new Int32Array(W);
    this.phb = new Int32Array(W);
    this.rA = new Int32Array(W);
    this.rB = new Int32Array(W);
    this.mA = new Int32Array(W);
    this.mB = new Int32Array(W);
    this.hashes = new SlotHashes(codec);
    this.rv = new RenamedValues(sym, plan, this.hashes);
    this.candidatesOf = new Candidates(sym, plan, this.rv);
    this.rows = mode === 'sort' && this.nSets === 1 && plan.pure[0] ? new RowSorter(plan, codec, this.hashes) : null;
  }

  /**
   * The canonical fingerprint of the state with codes `codes` into fp[0..1]. `known`: the codec's
   * slot-term sums of these codes, fp holding the codec's fingerprint of them (kept when the
   * state is canonical); null if neither is known.
   */
  fingerprint(codes: Uint32Array, fp: Int32Array, known: Int32Array | null = null): void {
    const fpIsCodecs = known !== null;
    this.states++;
    this.codes = codes;
    const W = this.W;
    if (this.rows !== null && this.rows.fingerprint(codes, fp, known)) return;
    // hash space: the parent's, where the codes are the parent's (most slots of a successor)
    const { pc, pha, phb, ha, hb } = this;
    for (let t = 0; t < W; t++) {
      const c = codes[t];
      if (c === pc[t]) {
        ha[t] = pha[t];
        hb[t] = phb[t];
      } else this.hashOf(t, c);
    }
    this.haveBest = false;
    this.bestIsIdentity = false;
    const guards = this.plan.guards;
    let offLayout = false;
    for (let k = 0; k < guards.length; k++) if (codes[guards[k]] !== 0) offLayout = true;
    if (offLayout) this.onValues();
    else {
      const cands = this.mode === 'exhaustive' ? this.allPermsOf() : this.candidatesOf.sorted(this.ha, this.hb, codes);
      if (fpIsCodecs && allIdentity(cands)) return; // canonical already
      this.enumerate(0, cands, []);
    }
    if (fpIsCodecs && this.bestIsIdentity) return;
    let sa = 0;
    let sb = 0;
    const { bA, bB } = this;
    for (let t = 0; t < W; t++) {
      sa = (sa + (termA(t, bA[t]) || 1)) | 0;
      sb = (sb + (termB(t, bB[t]) || 1)) | 0;
    }
    finishSlots(sa, sb, W, fp);
  }

  /** The state about to be expanded: its successors' hashes start from its own. */
  loadParent(codes: Uint32Array): void {
    if (this.rows !== null) return this.rows.loadParent(codes);
    // (pc, pha, phb: a slot whose code is pc's has pha's hash, however old pc is)
    const { pc, pha, phb, ha, hb } = this;
    for (let t = 0; t < this.W; t++) {
      this.hashOf(t, codes[t]);
      pc[t] = codes[t];
      pha[t] = ha[t];
      phb[t] = hb[t];
    }
  }

  /** Refuses an exhaustive canonicaliser whose group is too large (before the search). */
  checkExhaustive(): void {
    this.allPermsOf();
  }

  /** Every permutation of each set (exhaustive mode, and states off the layout). */
  private allPermsOf(): Perm[][] {
    if (this.G > EXHAUSTIVE_LIMIT) {
      throw new KripkeError('config', `--symmetry: ${this.mode === 'exhaustive' ? 'exhaustive canonicalisation' : 'a state off the layout (a declared Map whose keys changed) is canonicalised by trying every permutation, and'} would try ${this.G.toExponential(1)} permutations per state (at most ${EXHAUSTIVE_LIMIT.toLocaleString('en-US')})${this.mode === 'exhaustive' ? ': use --symmetry (sort)' : ''}`);
    }
    return (this.allPermsCache ??= this.sizes.map((n) => allPerms(n)));
  }

  /** The hash of the value of code c at slot t into ha[t], hb[t]. */
  private hashOf(t: number, c: number): void {
    this.hashes.hash(t, c, this.tmp);
    this.ha[t] = this.tmp[0];
    this.hb[t] = this.tmp[1];
  }

  private permRenames(P: readonly Perm[]): Rename[] {
    return this.sym.sets.map((s, i) => renameOf(s, P[i]));
  }

  /** Tries every product of the sets' candidates (sets from i on; `P` the choices so far). */
  private enumerate(i: number, cands: readonly Perm[][], P: Perm[]): void {
    if (i === this.nSets) {
      this.apply(P);
      return;
    }
    for (const p of cands[i]) {
      P[i] = p;
      this.enumerate(i + 1, cands, P);
    }
  }

  /** The candidate P applied to the state's hashes, kept if it is the least so far. */
  private apply(P: readonly Perm[]): void {
    this.candidates++;
    const { plan, nSets } = this;
    let srcA = this.ha;
    let srcB = this.hb;
    let identity = true;
    if (plan.transforms.length > 0) {
      for (let ti = 0; ti < plan.transforms.length; ti++) {
        const t = plan.transforms[ti].slot;
        const e = this.rv.entry(ti, t, this.codes[t]);
        if (e.fixed) continue;
        this.rv.renamed(ti, e, P, this.tmp);
        if (this.tmp[0] !== srcA[t] || this.tmp[1] !== srcB[t]) {
          if (identity) {
            this.rA.set(srcA);
            this.rB.set(srcB);
            srcA = this.rA;
            srcB = this.rB;
            identity = false;
          }
          srcA[t] = this.tmp[0];
          srcB[t] = this.tmp[1];
        }
      }
    }
    // each set's rows moved, set after set (the moves of different sets commute)
    for (let i = 0; i < nSets; i++) {
      const p = P[i];
      let moves = false;
      for (let x = 0; x < p.length; x++) if (p[x] !== x) moves = true;
      if (!moves) continue;
      const dA = srcA === this.cA ? this.mA : this.cA;
      const dB = srcA === this.cA ? this.mB : this.cB;
      // (dA is cA unless the previous set's moves are in cA)
      dA.set(srcA);
      dB.set(srcB);
      for (const b of plan.blocks[i]) {
        for (let x = 0; x < p.length; x++) {
          if (p[x] === x) continue;
          const from = b.off + b.rel[x];
          const to = b.off + b.rel[p[x]];
          for (let k = 0; k < b.len; k++) {
            dA[to + k] = srcA[from + k];
            dB[to + k] = srcB[from + k];
          }
        }
      }
      srcA = dA;
      srcB = dB;
      identity = false;
    }
    if (srcA !== this.cA) {
      this.cA.set(srcA);
      this.cB.set(srcB);
    }
    this.keepIfLess(identity);
  }

  private keepIfLess(identity: boolean): void {
    const { cA, cB, bA, bB, W } = this;
    if (this.haveBest) {
      let c = 0;
      for (let t = 0; t < W && c === 0; t++) c = cA[t] - bA[t] || cB[t] - bB[t];
      if (c >= 0) return;
    }
    this.haveBest = true;
    this.bestIsIdentity = identity;
    this.cA = bA;
    this.cB = bB;
    this.bA = cA;
    this.bB = cB;
  }

  /** A state off the layout: every permutation applied to its value, each encoded. */
  private onValues(): void {
    const s = this.codec.decode(this.codes);
    const perms = this.allPermsOf();
    const each = (i: number, P: Perm[]): void => {
      if (i === this.nSets) {
        this.candidates++;
        this.codec.encode(permuteValue(this.sym, s, this.permRenames(P)), this.buf);
        for (let t = 0; t < this.W; t++) this.hashOf(t, this.buf[t]);
        this.cA.set(this.ha);
        this.cB.set(this.hb);
        this.keepIfLess(false);
        return;
      }
      for (const p of perms[i]) {
        P[i] = p;
        each(i + 1, P);
      }
    };
    each(0, []);
  }
}

/** Whether the only candidate of every set is the identity. */
function allIdentity(cands: readonly Perm[][]): boolean {
  for (const c of cands) if (c.length !== 1 || !isIdentity(c[0])) return false;
  return true;
}

function isIdentity(p: Perm): boolean {
  for (let k = 0; k < p.length; k++) if (p[k] !== k) return false;
  return true;
}
