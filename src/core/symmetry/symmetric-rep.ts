/**
 * A representation (rep.ts) that fingerprints every state by its orbit: the inner one builds and
 * queues the real states, and each fingerprint it reports is replaced by the canonical one
 * (canon.ts). So the seen set holds one fingerprint per orbit, while the levels hold real states
 * reached by real actions from real parents: every path the store records (parent, action) is a
 * path of the unreduced system, and a counterexample replays without symmetry. BFS depth is the
 * same for every member of an orbit, so the first member found is at the orbit's least depth and
 * its trace is a shortest one.
 */
import type { Change } from '../change.js';
import { Codec } from '../codec/codec.js';
import type { Rep } from '../rep.js';
import type { CompiledModel } from '../model.js';
import { Canonicaliser, type SymmetryMode } from './canon.js';
import { compilePlan } from './plan.js';
import { KripkeError } from '../errors.js';
import type { Reservoir } from './soundness.js';
import { encodedRep } from '../codec/encoded-rep.js';
import type { Level } from '../codec/frontier.js';

/** The canonicaliser of model `m`'s declared symmetry over `codec`'s layout. */
export function canonicaliserFor(m: CompiledModel<unknown>, codec: Codec, mode: SymmetryMode): Canonicaliser {
  if (m.symmetry === null) throw new KripkeError('config', `--symmetry: spec '${m.spec.name}' declares no symmetric sets (see the README: Symmetry)`);
  const canon = new Canonicaliser(m.symmetry, compilePlan(m.spec.name, m.symmetry, codec.root, codec.W), codec, mode);
  if (mode === 'exhaustive') canon.checkExhaustive();
  return canon;
}

/** The encoded representation over `codec`, with canonical fingerprints if `mode` is set. */
export function encodedRepWith<S>(m: CompiledModel<unknown>, codec: Codec, mode: SymmetryMode | undefined, sampled?: Reservoir<S>): Rep<S, Level> & { codes(): Uint32Array } {
  const inner = encodedRep<S>(codec);
  if (mode === undefined) return inner;
  const rep = symmetricRep(inner, canonicaliserFor(m, codec, mode), codec, () => inner.codes(), inner.lastSums, sampled);
  return Object.assign(rep, { codes: () => inner.codes() });
}

/**
 * `inner` with canonical fingerprints. `codes` reads the encoded successor's codes (the encoded
 * representation's own), `sums` its slot-term sums; without them (the plain representation)
 * states are encoded by `codec`.
 */
export function symmetricRep<S, L>(
  inner: Rep<S, L>,
  canon: Canonicaliser,
  codec: Codec,
  codes?: () => Uint32Array,
  sums: Int32Array | null = null,
  sampled?: Reservoir<S>,
): Rep<S, L> {
  const buf = new Uint32Array(codec.W);
  const encode = (t: S): Uint32Array => {
    codec.encode(t, buf);
    return buf;
  };
  return {
    kind: inner.kind,
    newLevel: (reuse) => inner.newLevel(reuse),
    load(lev, k) {
      const s = inner.load(lev, k);
      if (codes !== undefined) canon.loadParent(codes());
      sampled?.offer(() => s);
      return s;
    },
    idOf: (lev, k) => inner.idOf(lev, k),
    sizeOf: (lev) => inner.sizeOf(lev),
    release: (lev, k) => inner.release(lev, k),
    successor(r: Change<S> | S, fp: Int32Array) {
      let t = inner.successor(r, fp);
      if (codes !== undefined) canon.fingerprint(codes(), fp, sums);
      else canon.fingerprint(encode((t ??= inner.built(r))), fp);
      return t;
    },
    built: (r) => inner.built(r),
    fingerprintOf(s, fp) {
      inner.fingerprintOf(s, fp);
      if (codes !== undefined) canon.fingerprint(codes(), fp, sums);
      else canon.fingerprint(encode(s), fp);
    },
    push: (lev, id, t) => inner.push(lev, id, t),
    done: () => inner.done(),
    asSearched: (s) => inner.asSearched(s),
    bytesOf: (lev) => inner.bytesOf(lev),
  };
}
