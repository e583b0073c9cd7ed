/**
 * The fingerprint of the successor a `change(s)` describes, from the parent's cached hash sums
 * and the written values alone (tree fingerprints, for states that do not fit the codec): a
 * successor that was already seen is never built.
 */
import { isList, isMap, isRecord, isSet, isImmutable } from 'immutable';
import { DELETE, describePath, sameKey, type Change, type Path, type Write } from './change.js';
import { entryTerm, finishSums, nodeSums, valueHash } from './hash.js';
import { recordDefault } from './immutable-internals.js';

/** A trie of writes: either a whole new value at this node, or writes below it. */
interface Trie {
  value: unknown; // NONE when the node has children only
  kids: Map<unknown, Trie> | null;
}
const NONE: unique symbol = Symbol('none');

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
    // A Record field set to undefined holds its default (immutable.js' `get` returns it).
    const eff = record && kid.value === undefined ? { value: recordDefault(node, k as string), kids: null } : kid;
    if (!hashAfter(old, eff, out)) return false;
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

