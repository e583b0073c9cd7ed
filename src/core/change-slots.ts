/**
 * The writes of a `change(s)` applied to an encoded state (see codec.ts): the slots they touch
 * are rewritten in place and the slot-sum fingerprint updated in O(1) per written leaf; the
 * parent's bytes restore the touched ranges afterwards.
 */
import { DELETE, type Change, type Write } from './change.js';
import { childOf, encodeNode, LEAF, type Shape } from './codec.js';

const wstack: Write[] = [];
/** Touched slot ranges of the last `applyToSlots` (off, len pairs), for restoring. */
export const touched = { n: 0, r: new Int32Array(256) };

function touch(off: number, len: number): boolean {
  const t = touched;
  if (t.n + 2 > t.r.length) return false;
  t.r[t.n++] = off;
  t.r[t.n++] = len;
  return true;
}

/** Restores the slots touched by the last `applyToSlots` from the parent's bytes. */
export function restoreSlots(wb: Uint8Array, pb: Uint8Array): void {
  const r = touched.r;
  for (let i = 0, n = touched.n; i < n; i += 2) {
    const off = r[i];
    const end = off + r[i + 1];
    for (let j = off; j < end; j++) wb[j] = pb[j];
  }
  touched.n = 0;
}

/**
 * Applies the writes of `c` (whose base is the state encoded in `wb`) to the slots in `wb`,
 * updating the fingerprint sums (sa, sb) into out[0..1]. Returns false if the successor does not
 * fit the shape that way (a write adds or removes a key, or a value is not encodable); the
 * caller then restores `wb` and builds the successor. Touched ranges are recorded in `touched`.
 */
export function applyToSlots(c: Change<unknown>, shape: Shape, wb: Uint8Array, sa: number, sb: number, out: Int32Array): boolean {
  touched.n = 0;
  let n = 0;
  for (let w = c.last; w !== null; w = w.prev) wstack[n++] = w;
  const TA = shape.TA;
  const TB = shape.TB;
  for (let i = n - 1; i >= 0; i--) {
    const w = wstack[i];
    wstack[i] = undefined as unknown as Write;
    const path = w.path;
    let node = shape.root;
    for (let j = 0; j < path.length; j++) {
      const kid = childOf(node, path[j]);
      if (kid === null) {
        for (let k = i - 1; k >= 0; k--) wstack[k] = undefined as unknown as Write;
        return false;
      }
      node = kid;
    }
    const value = w.value;
    if (value === DELETE) {
      for (let k = i - 1; k >= 0; k--) wstack[k] = undefined as unknown as Write;
      return false;
    }
    if (node.kind === LEAF) {
      const slot = node.slot;
      let code: number;
      if (value === true) code = 249;
      else if (value === false) code = 248;
      else {
        code = -1;
        if (typeof value === 'number') {
          if ((value | 0) === value && value >= 0 && value < 248) code = value | 0; // -0 is 0
        } else if (value === null) code = 250;
        else if (value === undefined) code = 251;
      }
      if (code < 0 || !touch(slot, 1)) {
        for (let k = i - 1; k >= 0; k--) wstack[k] = undefined as unknown as Write;
        return false;
      }
      const old = (slot << 8) | wb[slot];
      const nw = (slot << 8) | code;
      sa = (sa - TA[old] + TA[nw]) | 0;
      sb = (sb - TB[old] + TB[nw]) | 0;
      wb[slot] = code;
    } else {
      const off = node.off;
      const end = off + node.len;
      if (!touch(off, node.len)) {
        for (let k = i - 1; k >= 0; k--) wstack[k] = undefined as unknown as Write;
        return false;
      }
      for (let j = off; j < end; j++) {
        const old = (j << 8) | wb[j];
        sa = (sa - TA[old]) | 0;
        sb = (sb - TB[old]) | 0;
      }
      if (!encodeNode(node, value, wb, 0)) {
        for (let k = i - 1; k >= 0; k--) wstack[k] = undefined as unknown as Write;
        return false;
      }
      for (let j = off; j < end; j++) {
        const nw = (j << 8) | wb[j];
        sa = (sa + TA[nw]) | 0;
        sb = (sb + TB[nw]) | 0;
      }
    }
  }
  out[0] = sa;
  out[1] = sb;
  return true;
}
