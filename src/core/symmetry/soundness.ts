/**
 * Before a search with `--symmetry`: is the declared symmetry one the spec has? A set declared
 * symmetric that the spec treats unevenly (an action that singles out CPU 1, a field holding a
 * CPU that the declaration does not name) would merge states that behave differently: a "holds"
 * that is not true. TLC trusts SYMMETRY; kripke checks it on samples of reachable states.
 *
 * For each sample state s (the first states of a breadth-first search, then the ends of seeded
 * random walks) and each permutation pi (per set, a transposition and the full cycle, which
 * generate its symmetric group, and one random product permutation):
 *  - each action family maps pi(s) to exactly the pi-images of what it maps s to;
 *  - each invariant, `sometimes` property and constraint says the same of s and of pi(s);
 *  - each action property says the same of (s, a, t) and of every (pi s, b, pi t);
 *  - the canonical fingerprint of pi(s) is that of s (the slot-level canonicaliser agrees with
 *    the declaration's value-level meaning);
 * and the initial states are closed under each pi. Any failure refuses the run with one line.
 */
import { KripkeError, messageOf } from '../errors.js';
import { fingerprintInto } from '../hash.js';
import { formatAction, type CompiledModel, type Instance } from '../model.js';
import { stripper } from '../notes.js';
import type { Rep } from '../rep.js';
import type { Symmetry } from './declare.js';
import { cycle, describePerm, identities, permuteValue, renameOf, swap, type Perm } from './permute.js';

/** States sampled by breadth-first search, then by random walks. */
const BFS_SAMPLES = 40;
const WALKS = 24;
const WALK_LENGTH = 40;

/** A sample state, and how many steps from Init it was found (undefined: somewhere in the search). */
export interface Sample<S> {
  readonly s: S;
  readonly depth?: number;
}

/**
 * Refuses (KripkeError 'config') a symmetry `m`'s actions or properties break, on `given`
 * samples (each under one of the permutations, in turn) or (by default) on the first
 * breadth-first states and random walks (each under every one). `rep` is the search's
 * representation: its canonical fingerprints are compared, and every state is taken as the
 * search sees it (decoded: a fixed-key Map iterates in the initial state's key order, so an
 * action that favours the first or last CPU in iteration order shows).
 */
export function checkSymmetry<S>(m: CompiledModel<S>, rep: Rep<S, unknown>, given?: Iterable<Sample<S>>): void {
  let k = 0;
  const sym = m.symmetry!;
  const canonical = canonicalKey(rep);
  const seen = (s: S): S => rep.asSearched(s);
  const strip = stripper<S>(m.notes);
  const fp = new Int32Array(2);
  const key = (s: S): string => {
    fingerprintInto(strip(s), fp);
    return `${fp[0]}:${fp[1]}`;
  };
  const refuse: (pi: readonly Perm[], what: string) => never = (pi, what) => {
    const sets = sym.sets.filter((_, i) => pi[i].some((x, k) => x !== k)).map((set) => set.name);
    throw new KripkeError('config', `--symmetry: the spec breaks symmetry ${sets.join(' × ')}: ${what} (under ${describePerm(sym, pi)})`);
  };
  const perms = generators(sym);
  const permute = (s: S, pi: readonly Perm[]): S => seen(permuteValue(sym, s, sym.sets.map((set, i) => renameOf(set, pi[i]))) as S);
  // (successors as the search builds them: from the state it decoded, not decoded themselves)
  const next = successor;

  const initKeys = new Set(m.inits.map(key));
  for (const pi of perms) {
    for (const s of m.inits) if (!initKeys.has(key(permute(s, pi)))) refuse(pi, 'the initial states are not closed under it');
  }

  for (const { s: raw, depth } of given ?? samples(m)) {
    const s = seen(raw);
    const succ = m.instances.map((a) => next(a, s));
    if (succ.includes(THREW)) return; // the search reports the error
    // (given samples, many and from the whole search: one permutation each, in turn)
    for (const pi of given === undefined ? perms : [perms[k++ % perms.length]]) {
      const ps = permute(s, pi);
      const where = depth === undefined ? 'a state the search reached' : depth === 1 ? 'an initial state' : `a state ${depth - 1} step${depth === 2 ? '' : 's'} from Init`;
      for (const p of m.invariants) if (holds(() => p.check(s)) !== holds(() => p.check(ps))) refuse(pi, `invariant ${p.name} differs on ${where} and on its permutation`);
      for (const p of m.sometimes) if (holds(() => p.check(s)) !== holds(() => p.check(ps))) refuse(pi, `sometimes property ${p.name} differs on ${where} and on its permutation`);
      for (const c of m.constraints) if (holds(() => c.check(s)) !== holds(() => c.check(ps))) refuse(pi, `constraint ${c.name} differs on ${where} and on its permutation`);
      if (canonical(s) !== canonical(ps)) refuse(pi, `${where} and its permutation have different canonical forms (is a ref's map function a renaming?)`);
      for (const f of m.families) {
        const mine = new Map<string, { a: Instance<S>; t: S }[]>();
        for (let i = f.first; i < f.first + f.count; i++) {
          const a = m.instances[i];
          const t = succ[i] as S | null;
          if (t === null) continue;
          const k = key(permute(t, pi));
          mine.set(k, [...(mine.get(k) ?? []), { a, t }]);
        }
        const theirs = new Map<string, { b: Instance<S>; u: S }[]>();
        for (let i = f.first; i < f.first + f.count; i++) {
          const b = m.instances[i];
          const u = next(b, ps);
          if (u === THREW) refuse(pi, `action ${formatAction(b)} throws on the permutation of ${where}`);
          if (u === null) continue;
          const k = key(u);
          if (!mine.has(k)) refuse(pi, `action ${formatAction(b)} takes the permuted state to one that is no permutation of a successor (from ${where})`);
          theirs.set(k, [...(theirs.get(k) ?? []), { b, u }]);
        }
        for (const [k, ts] of mine) {
          if (!theirs.has(k)) refuse(pi, `action ${formatAction(ts[0].a)}'s successor, permuted, is no successor of the permuted state by ${f.name} (from ${where})`);
          for (const p of m.actionProperties) {
            if (!p.families.has(f.index)) continue;
            const v = holds(() => p.check(s, ts[0].a, ts[0].t));
            for (const { b, u } of theirs.get(k)!) {
              if (holds(() => p.check(ps, b, u)) !== v) refuse(pi, `action property ${p.name} differs on ${formatAction(ts[0].a)} from ${where} and on ${formatAction(b)} from its permutation`);
            }
          }
        }
      }
    }
  }
}

const THREW = Symbol('threw');

function successor<S>(a: Instance<S>, s: S): S | null | typeof THREW {
  try {
    const r = a.apply(s, a.params) as S | { materialize(): S } | null | undefined | false;
    if (r === null || r === undefined || r === false) return null;
    return typeof (r as { materialize?: unknown }).materialize === 'function' ? (r as { materialize(): S }).materialize() : (r as S);
  } catch {
    return THREW;
  }
}

/** A verdict as a boolean; a throw is its own answer (the message). */
function holds(f: () => unknown): boolean | string {
  try {
    return f() === true;
  } catch (e) {
    return `threw: ${messageOf(e)}`;
  }
}

/** Per set a transposition and the full cycle, then one random product permutation. */
function generators(sym: Symmetry): Perm[][] {
  const out: Perm[][] = [];
  sym.sets.forEach((set, i) => {
    const n = set.values.length;
    if (n < 2) return;
    const pi = identities(sym);
    pi[i] = swap(n, 0, 1);
    out.push(pi);
    if (n > 2) {
      const c = identities(sym);
      c[i] = cycle(n);
      out.push(c);
    }
  });
  const rnd = seeded(0x5eed);
  if (out.length > 1) {
    out.push(
      sym.sets.map((set) => {
        const p = Int32Array.from({ length: set.values.length }, (_, k) => k);
        for (let k = p.length - 1; k > 0; k--) {
          const j = Math.floor(rnd() * (k + 1));
          [p[k], p[j]] = [p[j], p[k]];
        }
        return p;
      }),
    );
  }
  return out;
}

/** Sample states: the first of a breadth-first search, then the ends of seeded random walks. */
function* samples<S>(m: CompiledModel<S>): Generator<Sample<S>> {
  const next = successor;
  const rnd = seeded(0xc0ffee);
  const strip = stripper<S>(m.notes);
  const fp = new Int32Array(2);
  const seen = new Set<string>();
  let level: S[] = [...m.inits];
  let depth = 1;
  let n = 0;
  while (level.length > 0 && n < BFS_SAMPLES) {
    const nextLevel: S[] = [];
    for (const s of level) {
      if (n++ >= BFS_SAMPLES) break;
      yield { s, depth };
      for (const a of m.instances) {
        const t = next(a, s);
        if (t === null || t === THREW) continue;
        fingerprintInto(strip(t), fp);
        const k = `${fp[0]}:${fp[1]}`;
        if (seen.has(k)) continue;
        seen.add(k);
        nextLevel.push(t);
      }
    }
    level = nextLevel;
    depth++;
  }
  for (let w = 0; w < WALKS; w++) {
    let s = m.inits[Math.floor(rnd() * m.inits.length)];
    let d = 1;
    const len = 1 + Math.floor(rnd() * WALK_LENGTH);
    for (; d < len; d++) {
      const enabled: S[] = [];
      for (const a of m.instances) {
        const t = next(a, s);
        if (t !== null && t !== THREW) enabled.push(t);
      }
      if (enabled.length === 0) break;
      s = enabled[Math.floor(rnd() * enabled.length)];
    }
    yield { s, depth: d };
  }
}

/** A uniform sample of `size` of the states offered (reservoir sampling, seeded): what the search checks again at its end. */
export class Reservoir<S> {
  readonly items: Sample<S>[] = [];
  private offered = 0;
  private readonly rnd = seeded(0x5a3b1e);
  constructor(private readonly size: number) {}

  offer(get: () => S): void {
    this.offered++;
    if (this.items.length < this.size) this.items.push({ s: get() });
    else {
      const j = Math.floor(this.rnd() * this.offered);
      if (j < this.size) this.items[j] = { s: get() };
    }
  }
}

/** A small seeded PRNG (mulberry32): the same samples on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The canonical fingerprint `rep` gives a state object, as text (compared before and after the search). */
function canonicalKey<S>(rep: Rep<S, unknown>): (s: S) => string {
  const fp = new Int32Array(2);
  return (s) => {
    rep.fingerprintOf(s, fp);
    rep.done();
    return `${fp[0]}:${fp[1]}`;
  };
}
