/**
 * The state codec: a state as a vector of W slot codes (layout.ts says which part of the state
 * each slot holds, domain.ts numbers the values met at each slot), and back.
 *
 * What it gives the search:
 *  - a compact frontier: W codes per queued state (stored in 1, 2 or 4 bytes, frontier.ts),
 *  - fingerprints that are a sum of one term per slot: a `change(s)` write updates the sum from
 *    the slots it touches, without building the successor (change-slots.ts),
 *  - decoding that shares structure: every non-root Record and Map is interned by its codes, so
 *    decoded states share their sub-collections, and slot values are the domains' own objects.
 */
import { isMap, isOrdered, isRecord, Map as IMap } from 'immutable';
import { mixA, mixB } from '../hash.js';
import { fastMap, fastRecord, initListInternals } from '../immutable-internals.js';
import { Domain, LOCAL_CODES, type CodeSource } from './domain.js';
import { InternTable } from './intern.js';
import { childOf, learnLayout, LEAF, MAP, REC, type SNode } from './layout.js';
import { Packing } from './packing.js';
import { Terms } from './terms.js';
import { stripper } from '../notes.js';

/** Final fingerprint of slot-term sums (sa, sb) of a W-slot layout into fp[0..1]. */
export function finishSlots(sa: number, sb: number, W: number, fp: Int32Array): void {
  fp[0] = mixA((sa + Math.imul(W, 0x9e3779b1)) | 0);
  fp[1] = mixB((sb ^ 0x85ebca6b) + W);
}

export class Codec {
  readonly root: SNode;
  /** Number of slots. */
  readonly W: number;
  readonly domains: readonly Domain[];
  /** The fingerprint terms of every (slot, code). */
  readonly terms: Terms;
  /** How levels store a state's codes. */
  readonly packing: Packing;
  /** Decoded Records and Maps use array-backed fast objects (false if the self-test failed). */
  private fast = true;

  /** The spec's note fields (notes.ts), or null: they are encoded at their defaults, always. */
  readonly notes: ReadonlySet<string> | null;
  private readonly strip: (s: unknown) => unknown;

  /** The codec of the states of a spec whose first initial state is `init` (with note fields `notes`). */
  constructor(init: unknown, source: CodeSource = LOCAL_CODES, notes: readonly string[] = []) {
    initListInternals();
    this.notes = notes.length > 0 ? new Set(notes) : null;
    this.strip = stripper(notes);
    init = this.strip(init);
    const { root, W } = learnLayout(init);
    this.root = root;
    this.W = W;
    this.terms = new Terms(W);
    this.packing = new Packing(root, W);
    this.domains = Array.from({ length: W }, (_, i) => new Domain(i, source, this.terms));
    // Self-test of the fast decoder against the real state; public constructors otherwise.
    const buf = new Uint32Array(W);
    this.encode(init, buf);
    let back: unknown;
    try {
      back = this.decode(buf);
    } catch {
      back = undefined;
    }
    if (!equal(back, init)) {
      this.fast = false;
      this.clearInterned(root);
      if (!equal(this.decode(buf), init)) throw new Error('internal: the codec does not decode the initial state to itself');
    }
  }

  /** Encodes state `v` into buf[0 .. W). Throws a TypeError for a value no state may hold. */
  encode(v: unknown, buf: Uint32Array): void {
    encodeNode(this.domains, this.root, this.strip(v), buf);
  }

  /** The slot-term sums of the codes in buf[0 .. W), into out[0..1]. */
  sums(buf: Uint32Array, out: Int32Array): void {
    const t = this.terms;
    const { TA, TB } = t;
    let sa = 0;
    let sb = 0;
    for (let i = 0, W = this.W; i < W; i++) {
      const c = buf[i];
      if (c < 256) {
        sa = (sa + TA[(i << 8) + c]) | 0;
        sb = (sb + TB[(i << 8) + c]) | 0;
      } else {
        sa = (sa + t.a(i, c)) | 0;
        sb = (sb + t.b(i, c)) | 0;
      }
    }
    out[0] = sa;
    out[1] = sb;
  }

  /** The fingerprint of the codes in buf[0 .. W), into fp[0..1]. */
  fingerprint(buf: Uint32Array, fp: Int32Array): void {
    this.sums(buf, fp);
    finishSlots(fp[0], fp[1], this.W, fp);
  }

  /** Decodes the state in buf[0 .. W). */
  decode(buf: Uint32Array): unknown {
    return this.decodeNode(this.root, buf, true);
  }

  private decodeNode(n: SNode, buf: Uint32Array, top: boolean): unknown {
    if (n.kind === LEAF || buf[n.slot] !== 0) {
      const d = this.domains[n.slot];
      const c = buf[n.slot];
      const v = d.values[c];
      return v !== undefined ? v : d.value(c);
    }
    let h = 0;
    let intern: InternTable | null = null;
    if (!top) {
      intern = n.intern;
      if (intern === null) intern = n.intern = new InternTable(n.len);
      h = intern.hash(buf, n.off);
      const e = intern.get(buf, n.off, h);
      if (e !== undefined) return e;
    }
    const kids = n.kids;
    const vals: unknown[] = new Array(kids.length);
    for (let i = 0; i < kids.length; i++) vals[i] = this.decodeNode(kids[i], buf, false);
    let node: unknown;
    if (n.kind === MAP) {
      node = this.fast ? fastMap(n.keys, n.smallIndex, n.index, vals) : IMap(vals.map((v, i) => [n.keys[i], v]));
    } else if (this.fast) {
      node = fastRecord(n.fastProto!, vals);
    } else {
      node = (n.proto as { constructor(o: object): unknown }).constructor(Object.fromEntries(n.keys.map((k, i) => [k, vals[i]])));
    }
    if (intern !== null) intern.set(buf, n.off, h, node);
    return node;
  }

  private clearInterned(n: SNode): void {
    n.intern = null;
    n.kids.forEach((k) => this.clearInterned(k));
  }
}

function equal(a: unknown, b: unknown): boolean {
  return a === b || (a !== null && typeof a === 'object' && typeof (a as { equals?: unknown }).equals === 'function' && (a as { equals(x: unknown): boolean }).equals(b));
}

/** Encodes `v` at node `n` into buf (the node's slots). */
export function encodeNode(ds: readonly Domain[], n: SNode, v: unknown, buf: Uint32Array): void {
  if (n.kind === LEAF) {
    buf[n.slot] = ds[n.slot].code(v);
    return;
  }
  if (v !== null && typeof v === 'object') {
    if (n.kind === REC) {
      const p = Object.getPrototypeOf(v);
      // the node's type: its own records, decoded ones (of this node's or another node's fast
      // prototype, which inherits from the type's), and those derived from them
      if (p === n.fastProto || p === n.proto || (p !== null && Object.getPrototypeOf(p) === n.proto && isRecord(v))) {
        buf[n.slot] = 0;
        const r = v as { get(k: unknown): unknown };
        const kids = n.kids;
        const keys = n.keys;
        for (let i = 0; i < kids.length; i++) encodeNode(ds, kids[i], r.get(keys[i]), buf);
        return;
      }
    } else if (v === n.lastObj) {
      buf.set(n.lastCodes!, n.off);
      return;
    } else if (isMap(v) && !isOrdered(v) && (v as IMap<unknown, unknown>).size === n.kids.length && encodeMap(ds, n, v as IMap<unknown, unknown>, buf)) {
      n.lastObj = v;
      if (n.lastCodes === null) n.lastCodes = new Uint32Array(n.len);
      n.lastCodes.set(buf.subarray(n.off, n.off + n.len));
      return;
    }
  }
  // Not of the node's form: the whole value in the escape slot, the rest ABSENT.
  buf[n.slot] = ds[n.slot].code(v);
  buf.fill(0, n.off + 1, n.off + n.len);
}

/** The entries of Map `m` (of the node's size) into their slots; false if a key is not the node's. */
function encodeMap(ds: readonly Domain[], n: SNode, m: IMap<unknown, unknown>, buf: Uint32Array): boolean {
  buf[n.slot] = 0;
  const e = (m as unknown as { __e?: [unknown, unknown][] }).__e;
  if (e !== undefined) {
    // A decoded Map: its entries are at hand.
    for (let i = 0; i < e.length; i++) {
      const kid = childOf(n, e[i][0]);
      if (kid === null) return false;
      encodeNode(ds, kid, e[i][1], buf);
    }
    return true;
  }
  let ok = true;
  m.forEach((x, k) => {
    const kid = childOf(n, k);
    if (kid === null) return (ok = false);
    encodeNode(ds, kid, x, buf);
    return true;
  });
  return ok;
}
