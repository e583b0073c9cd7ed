/**
 * The writes of a `change(s)` applied to an encoded state: the slots they touch are rewritten in
 * place and the slot-term sums updated from those slots alone, without building the successor.
 * A write below a value slot (`setIn(['tlb', c, k], f)` where the TLB is a Map whose keys vary)
 * builds that one small value and looks up its code. The parent's codes restore the touched
 * ranges afterwards.
 */
import { isImmutable } from 'immutable';
import { checkFields, DELETE, type Change, type Path, type Write } from '../change.js';
import { valueHash } from '../hash.js';
import { encodeNode, type Codec } from './codec.js';
import { termA, termB } from './domain.js';
import { childOf, LEAF, REC } from './layout.js';

const wstack: Write[] = [];
const tmp = new Int32Array(2);

/**
 * Collections written by the last `applyToSlots` whose codes are not looked up yet: their terms
 * come from their hash alone, and most successors turn out to be seen (no code needed). Their
 * slots hold 0 until `resolvePending` gives them their codes.
 */
const pending = { n: 0, slots: new Int32Array(32), values: new Array<unknown>(32) };

/** Gives the pending collections their codes (before the successor's codes are read). */
export function resolvePending(codec: Codec, wb: Uint32Array): void {
  if (pending.n > 0) resolveIn(codec, wb, 0, codec.W);
}

/** Forgets the pending collections (the successor was seen). */
export function dropPending(): void {
  for (let p = 0; p < pending.n; p++) pending.values[p] = undefined;
  pending.n = 0;
}

/** Resolves the pending slots in [from, to) (a write is about to read their codes). */
function resolveIn(codec: Codec, wb: Uint32Array, from: number, to: number): void {
  for (let p = 0; p < pending.n; p++) {
    const slot = pending.slots[p];
    if (slot < from || slot >= to) continue;
    wb[slot] = codec.domains[slot].code(pending.values[p]);
    pending.n--;
    pending.slots[p] = pending.slots[pending.n];
    pending.values[p] = pending.values[pending.n];
    pending.values[pending.n] = undefined;
    p--;
  }
}
/** Touched slot ranges of the last `applyToSlots` (off, len pairs), for restoring. */
export const touched = { n: 0, r: new Int32Array(256) };

function touch(off: number, len: number): boolean {
  const t = touched;
  if (t.n + 2 > t.r.length) return false;
  t.r[t.n++] = off;
  t.r[t.n++] = len;
  return true;
}

/** Restores the slots touched by the last `applyToSlots` from the parent's codes. */
export function restoreSlots(wb: Uint32Array, pb: Uint32Array): void {
  const r = touched.r;
  for (let i = 0, n = touched.n; i < n; i += 2) {
    const off = r[i];
    const end = off + r[i + 1];
    for (let j = off; j < end; j++) wb[j] = pb[j];
  }
  touched.n = 0;
}

function clear(n: number): false {
  for (let k = n; k >= 0; k--) wstack[k] = undefined as unknown as Write;
  dropPending();
  return false;
}

/**
 * Applies the writes of `c` (whose base is the state encoded in `wb`) to the codes in `wb`,
 * updating the slot-term sums (sa, sb) into out[0..1]. Returns false if it cannot (a write
 * removes a Record field or a fixed Map key, or lands inside an escaped value): the caller then
 * restores `wb`, builds the successor and encodes it whole. Touched ranges go to `touched`.
 */
export function applyToSlots(c: Change<unknown>, codec: Codec, wb: Uint32Array, sa: number, sb: number, out: Int32Array): boolean {
  touched.n = 0;
  if (pending.n > 0) dropPending();
  let n = 0;
  for (let w = c.last; w !== null; w = w.prev) wstack[n++] = w;
  const ds = codec.domains;
  const terms = codec.terms;
  const { TA, TB, small } = terms; // codes below 256: flat tables (terms.ts)
  const tr = touched.r;
  const notes = codec.notes;
  for (let i = n - 1; i >= 0; i--) {
    const w = wstack[i];
    wstack[i] = undefined as unknown as Write;
    const path = w.path;
    if (notes !== null && notes.has(path[0] as string)) continue; // a note is not part of the state
    let node = codec.root;
    let parent = node;
    let j = 0;
    for (; j < path.length && node.kind !== LEAF; j++) {
      if (wb[node.slot] !== 0) return clear(i - 1); // an escaped value: edit it whole
      const kid = childOf(node, path[j]);
      if (kid === null) return clear(i - 1);
      parent = node;
      node = kid;
    }
    let value = w.value;
    // A Record field set to undefined holds its default (immutable.js' `get` returns it).
    if (value === undefined && j === path.length && parent.kind === REC) value = parent.defaults[parent.index.get(path[j - 1])!];
    if (node.kind === LEAF) {
      const slot = node.slot;
      if (touched.n + 2 > tr.length) return clear(i - 1);
      tr[touched.n++] = slot;
      tr[touched.n++] = 1;
      if (pending.n > 0) resolveIn(codec, wb, slot, slot + 1);
      const old = wb[slot];
      let code = -1;
      if (j === path.length) {
        // the fast path: a small integer or a boolean this slot has met
        const si = typeof value === 'number' ? ((value | 0) === value && value >= 0 && value < 256 ? value | 0 : -1) : value === false ? 256 : value === true ? 257 : -1;
        if (si >= 0) code = small[(slot << 9) + si] - 1;
      }
      if (code < 0) {
        const d = ds[slot];
        if (j < path.length) {
          // Below a value slot: the code of the slot's new value (built once per old value and write).
          const key = j === path.length - 1 ? path[j] : undefined;
          code = key !== undefined ? d.below(old, key, value) : -1;
          if (code < 0) {
            const ov = d.value(old);
            if (ov === null || typeof ov !== 'object' || !isImmutable(ov)) return clear(i - 1);
            const rest: Path = path.slice(j);
            checkFields(ov, rest);
            const o = ov as unknown as { setIn(p: Path, v: unknown): unknown; removeIn(p: Path): unknown };
            code = d.code(value === DELETE ? o.removeIn(rest) : o.setIn(rest, value));
            if (key !== undefined) d.setBelow(old, key, value, code);
          }
        } else if (value === DELETE) {
          return clear(i - 1);
        } else if (typeof value === 'object' && value !== null && value !== d.values[old] && pending.n < pending.slots.length) {
          // A collection: its terms from its hash; its code only if the successor is new.
          valueHash(value, tmp);
          sa = (sa - terms.a(slot, old) + (termA(slot, tmp[0]) || 1)) | 0;
          sb = (sb - terms.b(slot, old) + (termB(slot, tmp[1]) || 1)) | 0;
          wb[slot] = 0;
          pending.slots[pending.n] = slot;
          pending.values[pending.n++] = value;
          continue;
        } else {
          code = d.code(value);
        }
      }
      if ((old | code) < 256) {
        const base = slot << 8;
        sa = (sa - TA[base + old] + TA[base + code]) | 0;
        sb = (sb - TB[base + old] + TB[base + code]) | 0;
      } else {
        sa = (sa - terms.a(slot, old) + terms.a(slot, code)) | 0;
        sb = (sb - terms.b(slot, old) + terms.b(slot, code)) | 0;
      }
      wb[slot] = code;
    } else {
      if (value === DELETE || !touch(node.off, node.len)) return clear(i - 1);
      const off = node.off;
      const end = off + node.len;
      if (pending.n > 0) resolveIn(codec, wb, off, end);
      for (let k = off; k < end; k++) {
        const c = wb[k];
        sa = (sa - (c < 256 ? TA[(k << 8) + c] : terms.a(k, c))) | 0;
        sb = (sb - (c < 256 ? TB[(k << 8) + c] : terms.b(k, c))) | 0;
      }
      encodeNode(ds, node, value, wb);
      for (let k = off; k < end; k++) {
        const c = wb[k];
        sa = (sa + (c < 256 ? TA[(k << 8) + c] : terms.a(k, c))) | 0;
        sb = (sb + (c < 256 ? TB[(k << 8) + c] : terms.b(k, c))) | 0;
      }
    }
  }
  out[0] = sa;
  out[1] = sb;
  return true;
}
