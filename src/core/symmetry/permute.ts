/**
 * Permutations of the symmetric sets, and their action on state values: the reference every
 * faster path (the slot-level canonicaliser, plan.ts) is tested against, and what the soundness
 * check (soundness.ts) and the fallback for states off the encoding's layout use.
 *
 * A permutation of one set of n values is an Int32Array p: the value at index i becomes the
 * value at index p[i]. A product permutation is one of those per declared set.
 */
import { isList, isMap, isRecord, isSet } from 'immutable';
import { matchKey, NO_KEY, type Occurrence, type Rename, type Seg, type SymSet, type Symmetry } from './declare.js';

export type Perm = Int32Array;

/** The renaming of set `set`'s values that permutation `p` stands for. */
export function renameOf(set: SymSet, p: Perm): Rename {
  return (v) => {
    const i = set.index.get(v);
    return i === undefined ? v : set.values[p[i]];
  };
}

/** The state `s` with every declared occurrence renamed (`renames[i]` for set i). */
export function permuteValue(sym: Symmetry, s: unknown, renames: readonly Rename[]): unknown {
  let t = s;
  for (const o of sym.occurrences) t = updateAt(t, o, 0, renames[o.set]);
  return t;
}

/** `v` with occurrence `o` (from path segment k on) renamed. */
export function updateAt(v: unknown, o: Occurrence, k: number, rename: Rename): unknown {
  if (k === o.path.length) {
    if (o.kind === 'keys') return isMap(v) ? (v as unknown as { mapKeys(f: (k: unknown) => unknown): unknown }).mapKeys(rename) : v;
    return o.map !== undefined ? o.map(v, rename) : rename(v);
  }
  const seg: Seg = o.path[k];
  if (isRecord(v)) {
    const r = v as unknown as { get(f: string): unknown; set(f: string, x: unknown): unknown; toSeq(): { keySeq(): Iterable<string> } };
    if (seg !== '*') return r.get(String(seg)) === undefined ? v : setIfChanged(r, String(seg), updateAt(r.get(String(seg)), o, k + 1, rename));
    let out = r;
    for (const f of r.toSeq().keySeq()) out = setIfChanged(out, f, updateAt(out.get(f), o, k + 1, rename)) as typeof r;
    return out;
  }
  if (isMap(v) || isList(v)) {
    const m = v as unknown as { map(f: (x: unknown) => unknown): unknown; get(k: unknown): unknown; set(k: unknown, x: unknown): unknown };
    if (seg === '*') return m.map((x) => updateAt(x, o, k + 1, rename));
    const key = matchKey(v, seg);
    return key === NO_KEY ? v : setIfChanged(m, key, updateAt(m.get(key), o, k + 1, rename));
  }
  if (isSet(v) && seg === '*') return (v as unknown as { map(f: (x: unknown) => unknown): unknown }).map((x) => updateAt(x, o, k + 1, rename));
  return v;
}

function setIfChanged<K>(c: { get(k: K): unknown; set(k: K, x: unknown): unknown }, k: K, x: unknown): unknown {
  return c.get(k) === x ? c : c.set(k, x);
}

const permsOf: Perm[][] = [];

/** Every permutation of 0..n-1, the identity first (lexicographic order); cached (do not modify them). */
export function allPerms(n: number): Perm[] {
  return (permsOf[n] ??= listPerms(n));
}

function listPerms(n: number): Perm[] {
  const out: Perm[] = [];
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (;;) {
    out.push(p.slice());
    let i = n - 2;
    while (i >= 0 && p[i] >= p[i + 1]) i--;
    if (i < 0) return out;
    let j = n - 1;
    while (p[j] <= p[i]) j--;
    [p[i], p[j]] = [p[j], p[i]];
    for (let a = i + 1, b = n - 1; a < b; a++, b--) [p[a], p[b]] = [p[b], p[a]];
  }
}

/** The product of the sets' symmetric groups' sizes. */
export function groupSize(sym: Symmetry): number {
  let g = 1;
  for (const s of sym.sets) for (let k = 2; k <= s.values.length; k++) g *= k;
  return g;
}

/** The transposition of indices a and b of an n-set. */
export function swap(n: number, a: number, b: number): Perm {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  p[a] = b;
  p[b] = a;
  return p;
}

/** The cycle 0 -> 1 -> ... -> n-1 -> 0. */
export function cycle(n: number): Perm {
  return Int32Array.from({ length: n }, (_, i) => (i + 1) % n);
}

/** Identity permutations of every set. */
export function identities(sym: Symmetry): Perm[] {
  return sym.sets.map((s) => Int32Array.from({ length: s.values.length }, (_, i) => i));
}

/** How a product permutation reads in a message: `CPUS 1↔2`, `FRAMES 1→2→3→1`. */
export function describePerm(sym: Symmetry, perms: readonly Perm[]): string {
  const parts: string[] = [];
  sym.sets.forEach((s, i) => {
    const p = perms[i];
    const seen = new Set<number>();
    const cycles: string[] = [];
    for (let a = 0; a < p.length; a++) {
      if (seen.has(a) || p[a] === a) continue;
      const c: number[] = [];
      for (let b = a; !seen.has(b); b = p[b]) {
        seen.add(b);
        c.push(b);
      }
      cycles.push(c.length === 2 ? `${s.values[c[0]]}↔${s.values[c[1]]}` : [...c, c[0]].map((x) => String(s.values[x])).join('→'));
    }
    if (cycles.length > 0) parts.push(`${s.name} ${cycles.join(' ')}`);
  });
  return parts.join(', ') || 'the identity';
}
