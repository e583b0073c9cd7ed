/**
 * A state representation: how the search holds the states of a level, fingerprints a successor
 * and builds it. The inner loop (expand.ts) is written once against this interface; a thread runs
 * one representation only, so every call stays monomorphic.
 *
 *  - encoded (codec/encoded-rep.ts): states as slot codes; a `change(s)` successor's
 *    fingerprint is updated from the slots it writes; the default.
 *  - plain (plain-rep.ts): states as immutable.js objects with tree fingerprints; the reference
 *    the encoded path is tested against (KRIPKE_NO_CODEC=1).
 */
import type { Change } from './change.js';

export interface Rep<S, L> {
  readonly kind: 'encoded' | 'plain';
  /** An empty level (`reuse`: a consumed level whose storage may be used again). */
  newLevel(reuse?: L): L;
  /** Loads state k of `lev` as the state about to be expanded (the parent of what follows). */
  load(lev: L, k: number): S;
  /** The id of state k of `lev`. */
  idOf(lev: L, k: number): number;
  /** Number of states in `lev`. */
  sizeOf(lev: L): number;
  /** Frees what `lev` holds before state k (consumed). */
  release(lev: L, k: number): void;
  /**
   * The fingerprint of the successor action result `r` describes (a Change of the loaded state, or
   * a state) into fp[0..1]; returns the successor if it had to be built for that. Throws a
   * TypeError for a value no state may hold.
   */
  successor(r: Change<S> | S, fp: Int32Array): S | undefined;
  /** The successor last fingerprinted, built. */
  built(r: Change<S> | S): S;
  /** The fingerprint of state object `s` into fp[0..1] (Init, replay); it is then the one `push` queues. */
  fingerprintOf(s: S, fp: Int32Array): void;
  /** Queues the successor last fingerprinted (`t`: the state, if built) into `lev` with id `id`. */
  push(lev: L, id: number, t: S | undefined): void;
  /** The successor last fingerprinted is dealt with. */
  done(): void;
  /** The state object as the search sees it (decoded from its encoding), for replays. */
  asSearched(s: S): S;
  /** Bytes held by a level. */
  bytesOf(lev: L): number;
}
