/**
 * The encoded representation (see rep.ts): a level holds W slot codes per state; the state being
 * expanded is decoded once, and each successor is fingerprinted from the slots its `change(s)`
 * writes (writes.ts) in a working copy of the parent's codes, restored after each successor.
 */
import { Change } from '../change.js';
import type { Rep } from '../rep.js';
import { finishSlots, type Codec } from './codec.js';
import { Frontier, type Level } from './frontier.js';
import { applyToSlots, dropPending, resolvePending, restoreSlots, touched } from './writes.js';

/** The encoded representation over `codec`; `wb` holds the successor's codes after `successor`. */
export function encodedRep<S>(codec: Codec, wb = new Uint32Array(codec.W)): Rep<S, Level> & { codes(): Uint32Array; readonly lastSums: Int32Array } {
  const W = codec.W;
  const pb = new Uint32Array(W); // the parent's codes
  const sums = new Int32Array(2);
  let parent: unknown;
  /** wb was rewritten whole (not only the touched ranges). */
  let whole = false;
  /** The successor last built, if any. */
  let cur: S | undefined;
  /** The slot-term sums of the successor last fingerprinted (before `finishSlots`). */
  const lastSums = new Int32Array(2);
  const encodeWhole = (t: S, fp: Int32Array): void => {
    touched.n = 0;
    whole = true;
    codec.encode(t, wb);
    codec.sums(wb, lastSums);
    finishSlots(lastSums[0], lastSums[1], W, fp);
  };
  return {
    kind: 'encoded',
    lastSums,
    /** The codes of the successor last fingerprinted. */
    codes() {
      resolvePending(codec, wb);
      return wb;
    },
    newLevel(reuse) {
      if (reuse instanceof Frontier) {
        reuse.reset();
        return reuse;
      }
      return new Frontier(codec.packing);
    },
    load(lev, k) {
      lev.read(k, pb);
      wb.set(pb);
      touched.n = 0;
      whole = false;
      parent = codec.decode(pb); // first: it fetches the values of codes other threads gave
      codec.sums(pb, sums);
      return parent as S;
    },
    idOf: (lev, k) => lev.id(k),
    sizeOf: (lev) => lev.size,
    release(lev, k) {
      if (lev instanceof Frontier) lev.release(k);
    },
    successor(r, fp) {
      cur = undefined;
      if (r instanceof Change && r.base === parent) {
        if (applyToSlots(r as Change<unknown>, codec, wb, sums[0], sums[1], fp)) {
          lastSums[0] = fp[0];
          lastSums[1] = fp[1];
          finishSlots(fp[0], fp[1], W, fp);
          return undefined;
        }
        restoreSlots(wb, pb);
      }
      cur = r instanceof Change ? (r as Change<S>).materialize() : r;
      encodeWhole(cur, fp);
      return cur;
    },
    built(_r) {
      if (cur === undefined) {
        resolvePending(codec, wb);
        cur = codec.decode(wb) as S;
      }
      return cur;
    },
    fingerprintOf(s, fp) {
      cur = s;
      encodeWhole(s, fp);
    },
    push(lev, id) {
      resolvePending(codec, wb);
      (lev as Frontier).push(wb, id, codec.terms.max);
    },
    done() {
      cur = undefined;
      dropPending();
      if (whole) {
        wb.set(pb);
        whole = false;
      } else if (touched.n > 0) restoreSlots(wb, pb);
    },
    asSearched(s) {
      const buf = new Uint32Array(W);
      codec.encode(s, buf);
      return codec.decode(buf) as S;
    },
    bytesOf: (lev) => (lev instanceof Frontier ? lev.bytes : 0),
  };
}
