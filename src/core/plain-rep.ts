/**
 * The plain representation (see rep.ts): states as immutable.js objects, fingerprinted from their
 * trees (hash.ts), a `change(s)` from the parent's cached hash sums (change-hash.ts).
 */
import { Change } from './change.js';
import { changeFingerprint } from './change-hash.js';
import { fingerprintInto } from './hash.js';
import { stripper, withoutNoteWrites } from './notes.js';
import type { Rep } from './rep.js';

/** A level of state objects and their ids. */
export interface ObjLevel {
  readonly states: unknown[];
  readonly ids: number[];
}

export function plainRep<S>(notes: readonly string[] = []): Rep<S, ObjLevel> {
  /** The successor last built, if any. */
  let cur: S | undefined;
  // Notes (notes.ts) are not part of the state: states are fingerprinted and queued without them.
  const strip = stripper<S>(notes);
  const noteSet = new Set(notes);
  const bare = (r: Change<S>): Change<S> => (notes.length === 0 ? r : withoutNoteWrites(r, noteSet));
  return {
    kind: 'plain',
    newLevel: () => ({ states: [], ids: [] }),
    load(lev, k) {
      const s = lev.states[k] as S;
      lev.states[k] = undefined; // let the state be collected once expanded
      return s;
    },
    idOf: (lev, k) => lev.ids[k],
    sizeOf: (lev) => lev.ids.length,
    release: () => undefined,
    successor(r, fp) {
      if (r instanceof Change) {
        cur = changeFingerprint(bare(r as Change<S>) as Change<unknown>, fp) as S | undefined;
      } else {
        cur = strip(r);
        fingerprintInto(cur, fp);
      }
      return cur;
    },
    built(r) {
      if (cur === undefined) cur = r instanceof Change ? bare(r as Change<S>).materialize() : strip(r);
      return cur;
    },
    fingerprintOf(s, fp) {
      cur = strip(s);
      fingerprintInto(cur, fp);
    },
    push(lev, id, t) {
      lev.states.push(t === undefined ? cur : strip(t));
      lev.ids.push(id);
    },
    done() {
      cur = undefined;
    },
    asSearched: (s) => strip(s),
    bytesOf: () => 0,
  };
}
