/**
 * The symmetry declaration compiled against the codec's layout (codec/layout.ts): where each
 * set's values sit in the W slots of an encoded state.
 *
 *  - A `keys` Map that is structure (one child per key) gives every value x of the set a *row*:
 *    the slots of x's child. Rows of one Map have the same shape, so a permutation moves x's row
 *    onto the row of its image, slot for slot (`rowX`, `rowRel`).
 *  - An occurrence that ends in (or passes through) a slot holding a whole value (a number, a
 *    Set of CPUs, a Map whose keys vary) makes that slot a *transform* slot: its value is renamed
 *    at the value level (permute.ts), memoised per code.
 *  - Every structure node a declared path goes through has an escape slot (layout.ts); a state
 *    where one of them is not 0 is off the layout there (`guards`) and is canonicalised on values.
 */
import { KripkeError } from '../errors.js';
import { LEAF, MAP, REC, type SNode } from '../codec/layout.js';
import type { Occurrence, Symmetry } from './declare.js';

/** A slot whose value is renamed at the value level: by these occurrences, from path segment `k` on. */
export interface TransformSlot {
  readonly slot: number;
  readonly ops: { readonly occ: Occurrence; readonly k: number }[];
  /** Bit i: set i is renamed here. */
  sets: number;
}

export interface Plan {
  readonly W: number;
  /** Per set, per slot: the index of the value whose row holds the slot, or -1. */
  readonly rowX: readonly Int32Array[];
  /** Per set, per slot in a row: offsets of the rows of its Map, by value index (from the Map's first slot). */
  readonly rowRel: readonly (readonly (Int32Array | null)[])[];
  /** Per slot: index into `transforms`, or -1. */
  readonly transformOf: Int32Array;
  readonly transforms: readonly TransformSlot[];
  /** Escape slots that must hold 0 for the slot-level canonicaliser. */
  readonly guards: Int32Array;
  /** Per slot: the same position in the rows of every set's first value (a class of slots a permutation maps onto each other). */
  readonly cls: Int32Array;
  /** Per set, per value: its row's slots renamed by no other set (no other set's row, no transform), in `cls` order. */
  readonly fixed: readonly (readonly Int32Array[])[];
  /**
   * Per set, per value: the other slots of its row, then the transform slots renaming the set
   * outside it; `mixedFlag` says which (0: own row, 1: another value's row, 2: no row of the set).
   */
  readonly mixed: readonly (readonly Int32Array[])[];
  readonly mixedFlag: readonly (readonly Uint8Array[])[];
  /** Per set, its rows as blocks: each keys Map's first slot, its rows' offsets by value index, and a row's length. */
  readonly blocks: readonly (readonly { readonly off: number; readonly rel: Int32Array; readonly len: number }[])[];
  /** Per set: its values appear in its rows only, and nothing else is renamed there (signature = the row). */
  readonly pure: readonly boolean[];
}

/** Compiles `sym` against the layout rooted at `root` (W slots). Throws KripkeError('load') for a declaration the layout refutes. */
export function compilePlan(spec: string, sym: Symmetry, root: SNode, W: number): Plan {
  const bad = (m: string): never => {
    throw new KripkeError('load', `spec '${spec}': symmetry ${m}`);
  };
  const nSets = sym.sets.length;
  const rowX = sym.sets.map(() => new Int32Array(W).fill(-1));
  const rowRel: (Int32Array | null)[][] = sym.sets.map(() => new Array<Int32Array | null>(W).fill(null));
  const transformOf = new Int32Array(W).fill(-1);
  const transforms: TransformSlot[] = [];
  const guards = new Set<number>();
  /** key Map nodes already compiled, per set (two sets may share a Map whose keys are the values of both) */
  const keyNodes = new Set<string>();
  const nodeIds = new Map<SNode, number>();
  const blocks: { off: number; rel: Int32Array; len: number }[][] = sym.sets.map(() => []);

  const keyNode = (n: SNode, o: Occurrence): void => {
    if (!nodeIds.has(n)) nodeIds.set(n, nodeIds.size);
    const id = `${nodeIds.get(n)}:${o.set}`;
    if (keyNodes.has(id)) return;
    keyNodes.add(id);
    const set = sym.sets[o.set];
    const kids = set.values.map((x) => {
      // (exactly: a permutation renames the value 1, never the string '1')
      const i = n.keys.indexOf(x);
      if (i < 0) {
        const like = n.keys.find((k) => String(k) === String(x));
        bad(`${set.name}: keys '${o.text}': the Map has no key ${JSON.stringify(x)} in the initial state${like !== undefined ? ` (it has ${JSON.stringify(like)}: a ${typeof like}, the set's value is a ${typeof x})` : ''}`);
      }
      return n.kids[i];
    });
    for (const k of kids) {
      if (!sameShape(k, kids[0])) bad(`${set.name}: keys '${o.text}': the entries of the initial state differ in form (other Record types, or Maps with other keys or keys in another order): a permutation could not move one onto another`);
    }
    const rel = Int32Array.from(kids, (k) => k.off - n.off);
    blocks[o.set].push({ off: n.off, rel, len: kids[0].len });
    kids.forEach((k, xi) => {
      for (let t = k.off; t < k.off + k.len; t++) {
        if (rowX[o.set][t] >= 0) bad(`${set.name}: keys '${o.text}' is nested in another Map keyed by ${set.name}`);
        rowX[o.set][t] = xi;
        rowRel[o.set][t] = rel;
      }
    });
  };

  const walk = (n: SNode, o: Occurrence, k: number): void => {
    if (n.kind === LEAF) {
      let i = transformOf[n.slot];
      if (i < 0) {
        i = transformOf[n.slot] = transforms.length;
        transforms.push({ slot: n.slot, ops: [], sets: 0 });
      }
      transforms[i].ops.push({ occ: o, k });
      transforms[i].sets |= 1 << o.set;
      return;
    }
    guards.add(n.slot);
    if (k === o.path.length) {
      if (o.kind === 'keys' && n.kind === MAP) return keyNode(n, o);
      bad(`${sym.sets[o.set].name}: ${o.kind} '${o.text}' is a ${n.kind === REC ? 'Record' : 'Map'} in the initial state, not ${o.kind === 'keys' ? 'a Map' : 'a value'}`);
    }
    const seg = o.path[k];
    if (seg === '*') {
      for (const kid of n.kids) walk(kid, o, k + 1);
      return;
    }
    const i = n.keys.findIndex((key) => key === seg || String(key) === String(seg));
    if (i >= 0) walk(n.kids[i], o, k + 1);
  };
  for (const o of sym.occurrences) walk(root, o, 0);

  // cls: the slot moved into every set's first row.
  const cls = Int32Array.from({ length: W }, (_, t) => {
    let c = t;
    for (let i = 0; i < nSets; i++) {
      const x = rowX[i][t];
      if (x >= 0) c -= rowRel[i][t]![x] - rowRel[i][t]![0];
    }
    return c;
  });

  const fixed: Int32Array[][] = [];
  const mixed: Int32Array[][] = [];
  const mixedFlag: Uint8Array[][] = [];
  sym.sets.forEach((set, i) => {
    const f: Int32Array[] = [];
    const mx: Int32Array[] = [];
    const mf: Uint8Array[] = [];
    set.values.forEach((_, xi) => {
      const own: number[] = [];
      const other: number[] = [];
      const flags: number[] = [];
      for (let t = 0; t < W; t++) {
        if (rowX[i][t] === xi) {
          const renamedElsewhere = transformOf[t] >= 0 || rowX.some((r, j) => j !== i && r[t] >= 0);
          if (renamedElsewhere) {
            other.push(t);
            flags.push(0);
          } else own.push(t);
        } else if (transformOf[t] >= 0 && (transforms[transformOf[t]].sets & (1 << i)) !== 0) {
          other.push(t);
          flags.push(rowX[i][t] >= 0 ? 1 : 2);
        }
      }
      own.sort((a, b) => cls[a] - cls[b]);
      f.push(Int32Array.from(own));
      mx.push(Int32Array.from(other));
      mf.push(Uint8Array.from(flags));
    });
    fixed.push(f);
    mixed.push(mx);
    mixedFlag.push(mf);
  });
  const pure = sym.sets.map((_, i) => mixed[i][0].length === 0);
  return { W, rowX, rowRel, transformOf, transforms, guards: Int32Array.from(guards), cls, fixed, mixed, mixedFlag, blocks, pure };
}

/** Whether two layout subtrees have the same form (so their slots correspond one to one). */
function sameShape(a: SNode, b: SNode): boolean {
  if (a.kind !== b.kind || a.len !== b.len || a.kids.length !== b.kids.length || a.proto !== b.proto) return false;
  for (let i = 0; i < a.kids.length; i++) if (a.keys[i] !== b.keys[i] || !sameShape(a.kids[i], b.kids[i])) return false;
  return true;
}
