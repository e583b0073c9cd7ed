/**
 * The plain representation (see rep.ts): states as immutable.js objects, fingerprinted from their
 * trees (hash.ts), a `change(s)` from the parent's cached hash sums (change-hash.ts).
 */
import { Change } from './change.js';
import { changeFingerprint } from './change-hash.js';
import { fingerprintInto } from './hash.js';
import type { Rep } from './rep.js';

/** A level of state objects and their ids. */
export interface ObjLevel {
  readonly states: unknown[];
  readonly ids: number[];
}

export function plainRep<S>(): Rep<S, ObjLevel> {
  /** The successor last built, if any. */
  let cur: S | undefined;
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
        cur = changeFingerprint(r as Change<unknown>, fp) as S | undefined;
      } else {
        cur = r;
        fingerprintInto(r, fp);
      }
      return cur;
    },
    built(r) {
      if (cur === undefined) cur = r instanceof Change ? (r as Change<S>).materialize() : r;
      return cur;
    },
    fingerprintOf(s, fp) {
      cur = s;
      fingerprintInto(s, fp);
    },
    push(lev, id, t) {
      lev.states.push(t ?? cur);
      lev.ids.push(id);
    },
    done() {
      cur = undefined;
    },
    asSearched: (s) => s,
    bytesOf: () => 0,
  };
}
