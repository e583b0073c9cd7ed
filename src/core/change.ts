/**
 * `change(s)`: a successor described by what an action writes, in immutable.js' own vocabulary
 * (`set`, `setIn`, `update`, `updateIn`, `remove`, `removeIn`), like TLA+'s `[s EXCEPT ![p] = v]`.
 *
 * A `Change` is itself immutable: every call returns a new one. The engine fingerprints it from
 * the parent's cached hashes and the written values alone, and builds the successor state only
 * when that fingerprint is new: a successor that was already seen is never built.
 * An action may also return a plain immutable state (`s.set(...)`); that is correct, only slower.
 */
import { is, isImmutable, isList, isMap, isRecord, isSet } from 'immutable';
import { UsageError } from './errors.js';
import { entryTerm, finishSums, nodeSums, valueHash } from './hash.js';
import { childOf, encodeNode, LEAF, type Shape } from './codec.js';
import { recordKeys } from './immutable-internals.js';

/** A path into a state: Record field names, Map keys, List indices. */
export type Path = readonly unknown[];

const DELETE: unique symbol = Symbol('kripke.delete');

/** One write: a Change other than the empty one (each Change is its newest write). */
interface Write {
  readonly path: Path;
  readonly value: unknown;
  readonly prev: Write | null;
}

function getChild(node: unknown, key: unknown): unknown {
  if (node === null || typeof node !== 'object') return undefined;
  return (node as { get(k: unknown): unknown }).get(key);
}

function getPath(node: unknown, path: Path, from = 0): unknown {
  let v = node;
  for (let i = from; i < path.length && v !== undefined; i++) v = getChild(v, path[i]);
  return v;
}

/**
 * A pending successor: the parent state plus an ordered list of writes. Reads (`get`, `getIn`)
 * see the writes made so far.
 */
export class Change<S = unknown> {
  /** @internal */
  constructor(
    readonly base: S,
    /** @internal the previous write (null for the first) */
    readonly prev: Write | null,
    /** @internal this write's path (null for the empty change) */
    readonly path: Path,
    /** @internal this write's value */
    readonly value: unknown,
  ) {}

  /** @internal newest write first (null when nothing was written) */
  get last(): Write | null {
    return this.path === null ? null : (this as unknown as Write);
  }

  /** Sets a top-level field (or Map key) of the state. */
  set(key: unknown, value: unknown): Change<S> {
    return new Change(this.base, this.last, [key], value);
  }

  /** Sets the value at a nested path, like immutable.js `setIn`. */
  setIn(path: Path, value: unknown): Change<S> {
    if (path.length === 0) throw new TypeError('change.setIn: empty path');
    return new Change(this.base, this.last, path, value);
  }

  /** Updates a top-level field with a function of its current value. */
  update(key: unknown, fn: (v: any) => unknown): Change<S> {
    return this.set(key, fn(this.get(key)));
  }

  /** Updates a nested value with a function of its current value. */
  updateIn(path: Path, fn: (v: any) => unknown): Change<S> {
    return this.setIn(path, fn(this.getIn(path)));
  }

  /** Removes a key of a Map at the top level. */
  remove(key: unknown): Change<S> {
    return new Change(this.base, this.last, [key], DELETE);
  }

  /** Removes the key at the end of a nested path (the parent must be a Map). */
  removeIn(path: Path): Change<S> {
    if (path.length === 0) throw new TypeError('change.removeIn: empty path');
    return new Change(this.base, this.last, path, DELETE);
  }

  /** The current value of a top-level field, writes included. */
  get(key: unknown): any {
    return this.getIn([key]);
  }

  /** The current value at a path, writes included. */
  getIn(path: Path): any {
    // Newest write that covers `path` (equal or a prefix of it) decides, unless a newer write
    // lies strictly below `path`: then the subtree must be rebuilt.
    let below = false;
    for (let w = this.last; w !== null; w = w.prev) {
      const wp = w.path;
      const n = Math.min(wp.length, path.length);
      let i = 0;
      while (i < n && sameKey(wp[i], path[i])) i++;
      if (i < n) continue; // disjoint
      if (wp.length <= path.length) {
        if (!below) return w.value === DELETE ? undefined : getPath(w.value, path, wp.length);
        break;
      }
      below = true;
    }
    if (!below) return getPath(this.base, path);
    return getPath(this.materialize(), path);
  }

  /** The writes, oldest first. */
  writes(): { path: Path; value: unknown; deleted: boolean }[] {
    const out: { path: Path; value: unknown; deleted: boolean }[] = [];
    for (let w = this.last; w !== null; w = w.prev) {
      out.push({ path: w.path, value: w.value === DELETE ? undefined : w.value, deleted: w.value === DELETE });
    }
    return out.reverse();
  }

  /** Builds the successor state. */
  materialize(): S {
    const ws: Write[] = [];
    for (let w = this.last; w !== null; w = w.prev) ws.push(w);
    if (ws.length === 0) return this.base;
    const base = this.base as unknown as {
      withMutations(f: (m: any) => void): S;
    };
    if (ws.length === 1) return applyWrite(this.base, ws[0]) as S;
    return base.withMutations((m) => {
      for (let i = ws.length - 1; i >= 0; i--) applyWrite(m, ws[i]);
    });
  }
}

/**
 * Refuses a write below a Record field that does not exist: immutable.js would silently ignore
 * it (`record.set('typo', v)` returns the record unchanged), and the action would be a no-op.
 */
function checkFields(target: unknown, path: Path): void {
  let node = target;
  for (let i = 0; i < path.length; i++) {
    if (node === null || typeof node !== 'object') return;
    if (isRecord(node)) {
      if (!node.has(path[i] as string)) {
        const fields = recordKeys(node);
        const where = i === 0 ? 'the state' : `${describePath(path.slice(0, i))}`;
        throw new UsageError(`change(s) writes ${describePath(path.slice(0, i + 1))}, but ${where} is a Record with no field '${String(path[i])}' (its fields: ${fields.join(', ')})`);
      }
    } else if (!isMap(node) && !isList(node)) return;
    node = (node as { get(k: unknown): unknown }).get(path[i]);
  }
}

function applyWrite(target: unknown, w: Write): unknown {
  checkFields(target, w.path);
  const t = target as { setIn(p: Path, v: unknown): unknown; removeIn(p: Path): unknown };
  return w.value === DELETE ? t.removeIn(w.path) : t.setIn(w.path, w.value);
}

/** Starts describing a successor of `s` by its writes. */
export function change<S>(s: S): Change<S> {
  return new Change(s, null, null as unknown as Path, undefined);
}

/** Whether an action returned a `Change` rather than a full state. */
export function isChange(x: unknown): x is Change<unknown> {
  return x instanceof Change;
}

// ---- incremental fingerprint of a Change ----

/** A trie of writes: either a whole new value at this node, or writes below it. */
interface Trie {
  value: unknown; // NONE when the node has children only
  kids: Map<unknown, Trie> | null;
}
const NONE: unique symbol = Symbol('none');

/**
 * Whether two path keys address the same entry: immutable.js compares Map keys by value
 * (`is`), so an equal List or Record key is the same key even when it is another object.
 */
function sameKey(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && is(a, b)) || (a !== a && b !== b);
}

/** The trie child under `key`, matching value keys by value (see `sameKey`). */
function kidOf(kids: Map<unknown, Trie>, key: unknown): Trie | undefined {
  const hit = kids.get(key);
  if (hit !== undefined || typeof key !== 'object' || key === null) return hit;
  for (const [k, t] of kids) if (sameKey(k, key)) return t;
  return undefined;
}

function buildTrie(last: Write): Trie {
  const ws: Write[] = [];
  for (let w: Write | null = last; w !== null; w = w.prev) ws.push(w);
  const root: Trie = { value: NONE, kids: null };
  for (let i = ws.length - 1; i >= 0; i--) {
    const { path, value } = ws[i];
    let node = root;
    let j = 0;
    for (; j < path.length; j++) {
      if (node.value !== NONE) break; // a whole value was written above: edit it
      if (node.kids === null) node.kids = new Map();
      let next = kidOf(node.kids, path[j]);
      if (next === undefined) {
        next = { value: NONE, kids: null };
        node.kids.set(path[j], next);
      }
      node = next;
    }
    if (j === path.length) {
      node.value = value;
      node.kids = null;
    } else {
      const rest = path.slice(j);
      const cur = node.value;
      if (cur === DELETE || cur === null || typeof cur !== 'object' || !isImmutable(cur)) {
        throw new TypeError(`change: cannot write below ${describePath(path.slice(0, j))}, which is not a collection`);
      }
      const inner = cur as unknown as { setIn(p: Path, v: unknown): unknown; removeIn(p: Path): unknown };
      node.value = value === DELETE ? inner.removeIn(rest) : inner.setIn(rest, value);
    }
  }
  return root;
}

function describePath(p: Path): string {
  return p.map((k) => `[${String(k)}]`).join('') || '(state)';
}

const tmp = new Int32Array(2);

/**
 * The hash of `base` after the writes in `trie`, from cached sums; into out[0..1].
 * Returns false if the writes cannot be applied incrementally (the caller then materialises).
 */
function hashAfter(base: unknown, trie: Trie, out: Int32Array): boolean {
  if (trie.value !== NONE) {
    valueHash(trie.value, out);
    return true;
  }
  if (base === null || typeof base !== 'object') return false;
  const node = base as object & { has(k: unknown): boolean; get(k: unknown): unknown; size: number };
  const list = isList(base);
  const record = isRecord(base);
  if (!(record || isMap(base) || list) || isSet(base)) return false;
  nodeSums(node, tmp);
  let sa = tmp[0];
  let sb = tmp[1];
  for (const [k, kid] of trie.kids!) {
    if (list && !(typeof k === 'number' && Number.isInteger(k) && k >= 0 && k < (node.size as number))) return false;
    if (record && !node.has(k)) return false; // materialising names the field (see checkFields)
    const had = node.has(k);
    const old = had ? node.get(k) : undefined;
    if (had) {
      valueHash(old, tmp);
      entryTerm(k, tmp[0], tmp[1], tmp);
      sa = (sa - tmp[0]) | 0;
      sb = (sb - tmp[1]) | 0;
    }
    if (kid.value === DELETE) {
      if (list || record) return false;
      continue;
    }
    if (!hashAfter(old, kid, out)) return false;
    entryTerm(k, out[0], out[1], tmp);
    sa = (sa + tmp[0]) | 0;
    sb = (sb + tmp[1]) | 0;
  }
  finishSums(node, sa, sb, out);
  return true;
}

/**
 * Fingerprint of the successor a Change describes, into out[0..1], without building it when
 * possible. Returns the successor state if it had to be built along the way, else undefined.
 */
export function changeFingerprint(c: Change<unknown>, out: Int32Array): unknown {
  if (c.last === null) {
    valueHash(c.base, out);
    return undefined;
  }
  const trie = buildTrie(c.last);
  if (hashAfter(c.base, trie, out)) return undefined;
  const s = c.materialize();
  valueHash(s, out);
  return s;
}

// ---- writes applied to an encoded state (see codec.ts) ----


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
