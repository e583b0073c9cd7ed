/**
 * The state codec: a per-spec "shape" learnt from the initial state, which turns a state into a
 * fixed-width byte vector (one byte per leaf) and back.
 *
 * Shape: Records (same Record type) and Maps (same, fixed key set, insertion order of the init
 * state) down to leaves holding small values (integers 0..247, booleans, null, undefined), each
 * leaf one byte ("slot"). A state fits the shape or it does not: fitting is a property of the
 * value alone, so the engine can use two fingerprint schemes side by side (fitting states hash
 * from their slots, the others from their tree), and equal states always get equal fingerprints.
 *
 * What the codec gives the explorer:
 *  - a compact frontier (W bytes per queued state instead of a tree of immutable nodes),
 *  - fingerprints that are a sum of one random 64-bit term per (slot, value): a `change(s)` write
 *    updates the sum in O(1) per written leaf, without building anything,
 *  - decoding that shares structure: every non-root Map/Record is interned by its bytes, so
 *    decoded states share their sub-collections (and those keep their cached hash sums).
 */
import { isMap, isOrdered, isRecord, Map as IMap } from 'immutable';
import { mixA, mixB } from './hash.js';
import { fastMap, fastRecord, fastRecordProto, initListInternals, recordDefault, recordKeys } from './immutable-internals.js';

/** Final fingerprint of slot sums (sa, sb) of a W-slot shape into fp[0..1]. */
export function finishSlots(sa: number, sb: number, W: number, fp: Int32Array): void {
  fp[0] = mixA((sa + Math.imul(W, 0x9e3779b1)) | 0);
  fp[1] = mixB((sb ^ 0x85ebca6b) + W);
}

const LEAF = 0;
const REC = 1;
const MAP = 2;

/** Leaf code of a value, or -1 if it is not a small leaf value. */
export function leafCode(v: unknown): number {
  if (typeof v === 'number') return (v | 0) === v && v >= 0 && v < 248 ? v | 0 : -1; // -0 is 0
  if (v === false) return 248;
  if (v === true) return 249;
  if (v === null) return 250;
  if (v === undefined) return 251;
  return -1;
}

const CODE_VALUE: unknown[] = [];
for (let i = 0; i < 248; i++) CODE_VALUE.push(i);
CODE_VALUE.push(false, true, null, undefined);

/**
 * Interned sub-collections of one shape node, by their bytes: open addressing over a 32-bit
 * hash, bytes compared on a hit. Bounded: cleared when full.
 */
class InternTable {
  private cap = 1 << 10;
  private mask = this.cap - 1;
  private hashes = new Int32Array(this.cap);
  private nodes: unknown[] = new Array(this.cap).fill(undefined);
  private codes: Uint8Array;
  private count = 0;
  /** Slot where the last failed `get` stopped (where `set` inserts). */
  private free = 0;

  constructor(private readonly len: number) {
    this.codes = new Uint8Array(this.cap * len);
  }

  get(buf: Uint8Array, from: number, h: number): unknown {
    const len = this.len;
    const nodes = this.nodes;
    const codes = this.codes;
    let i = h & this.mask;
    for (;;) {
      const node = nodes[i];
      if (node === undefined) {
        this.free = i;
        return undefined;
      }
      if (this.hashes[i] === h) {
        let j = 0;
        const at = i * len;
        while (j < len && codes[at + j] === buf[from + j]) j++;
        if (j === len) return node;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Inserts after a failed `get` with the same arguments. */
  set(buf: Uint8Array, from: number, h: number, node: unknown): void {
    if (this.count >= this.cap >>> 1) {
      if (this.cap >= INTERN_CAP) this.reset(this.cap);
      else this.reset(this.cap * 2);
      this.get(buf, from, h);
    }
    const i = this.free;
    this.hashes[i] = h;
    this.nodes[i] = node;
    const len = this.len;
    for (let j = 0; j < len; j++) this.codes[i * len + j] = buf[from + j];
    this.count++;
  }

  private reset(cap: number): void {
    const old = this.nodes;
    const oldH = this.hashes;
    const oldC = this.codes;
    const grow = cap !== this.cap;
    this.cap = cap;
    this.mask = cap - 1;
    this.hashes = new Int32Array(cap);
    this.nodes = new Array(cap).fill(undefined);
    this.codes = new Uint8Array(cap * this.len);
    this.count = 0;
    if (!grow) return; // full at the cap: start over
    for (let i = 0; i < old.length; i++) {
      if (old[i] === undefined) continue;
      this.get(oldC, i * this.len, oldH[i]);
      this.set(oldC, i * this.len, oldH[i], old[i]);
    }
  }
}

export interface SNode {
  readonly kind: number;
  /** First slot of this subtree, and number of slots. */
  readonly off: number;
  readonly len: number;
  // leaf
  readonly slot: number;
  // record / map
  readonly keys: readonly unknown[];
  readonly kids: readonly SNode[];
  /** Record field name / Map key -> child index. */
  readonly index: Map<unknown, number>;
  /** Small non-negative integer keys -> child index (or -1); null when keys are not small ints. */
  readonly smallIndex: Int32Array | null;
  // record
  readonly proto: object | null;
  /** Prototype of decoded records: the Record type's, plus field getters reading `__v`. */
  readonly fastProto: object | null;
  readonly defaults: readonly unknown[];
  // interning
  intern: InternTable | null;
  /** The last Map encoded at this node and its bytes (see encodeNode). */
  lastObj: unknown;
  lastBytes: Uint8Array | null;
}

const INTERN_CAP = 1 << 17;

export class Shape {
  readonly root: SNode;
  /** Number of slots (bytes per state). */
  readonly W: number;
  /** Per (slot, code) fingerprint terms, lane A and B. */
  readonly TA: Int32Array;
  readonly TB: Int32Array;
  private fastRecords = true;

  private constructor(root: SNode, W: number) {
    this.root = root;
    this.W = W;
    this.TA = new Int32Array(W * 256);
    this.TB = new Int32Array(W * 256);
    // Deterministic random terms (splitmix32), a function of W only: every worker gets the same.
    let x = 0x2545f491 ^ W;
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return z ^ (z >>> 16);
    };
    for (let i = 0; i < W * 256; i++) {
      this.TA[i] = next();
      this.TB[i] = next();
    }
  }

  /** Learns the shape of `init`; null if it does not have one the codec supports. */
  static learn(init: unknown): Shape | null {
    initListInternals();
    let slots = 0;
    const build = (v: unknown, depth: number): SNode | null => {
      if (depth > 32) return null;
      const off = slots;
      if (leafCode(v) >= 0) {
        slots++;
        return mk(LEAF, off, 1, off, [], [], null, [], null);
      }
      if (isRecord(v)) {
        const r = v as any;
        const keys = recordKeys(r);
        if (!Array.isArray(keys) || keys.length > 32) return null;
        const kids: SNode[] = [];
        for (const k of keys) {
          const kid = build(r.get(k), depth + 1);
          if (!kid) return null;
          kids.push(kid);
        }
        const defaults = keys.map((k) => recordDefault(r, k));
        return mk(REC, off, slots - off, -1, keys, kids, Object.getPrototypeOf(v), defaults, null);
      }
      if (isMap(v) && !isOrdered(v)) {
        const keys = [...(v as IMap<unknown, unknown>).keys()];
        const kids: SNode[] = [];
        for (const k of keys) {
          if (k !== null && typeof k === 'object') return null;
          const kid = build((v as IMap<unknown, unknown>).get(k), depth + 1);
          if (!kid) return null;
          kids.push(kid);
        }
        let small: Int32Array | null = null;
        if (keys.every((k) => typeof k === 'number' && (k | 0) === k && k >= 0 && k < 1024)) {
          const max = Math.max(-1, ...(keys as number[]));
          small = new Int32Array(max + 1).fill(-1);
          keys.forEach((k, i) => (small![k as number] = i));
        }
        return mk(MAP, off, slots - off, -1, keys, kids, null, [], small);
      }
      return null;
    };
    const root = build(init, 0);
    if (!root || slots === 0 || root.kind === LEAF) return null; // a primitive state: tree hashing
    const shape = new Shape(root, slots);
    // Self-test of the decoder against the real state.
    const buf = new Uint8Array(slots);
    if (!shape.encode(init, buf, 0)) return null;
    let back: unknown;
    try {
      back = shape.decode(buf, 0);
    } catch {
      shape.fastRecords = false;
      back = shape.decode(buf, 0);
    }
    if (!(back as any).equals || !(back as any).equals(init)) {
      shape.fastRecords = false;
      back = shape.decode(buf, 0);
      if (!(back as any).equals(init)) return null;
    }
    return shape;
  }

  /** Encodes state `v` into buf[at .. at+W); false if it does not fit the shape. */
  encode(v: unknown, buf: Uint8Array, at: number): boolean {
    return encodeNode(this.root, v, buf, at);
  }

  /** The fingerprint sums of the state at buf[at .. at+W), into out[0..1]. */
  sums(buf: Uint8Array, at: number, out: Int32Array): void {
    const TA = this.TA;
    const TB = this.TB;
    let sa = 0;
    let sb = 0;
    for (let i = 0, W = this.W; i < W; i++) {
      const j = (i << 8) | buf[at + i];
      sa = (sa + TA[j]) | 0;
      sb = (sb + TB[j]) | 0;
    }
    out[0] = sa;
    out[1] = sb;
  }

  /** Decodes the state at buf[at .. at+W). */
  decode(buf: Uint8Array, at: number): unknown {
    return this.decodeNode(this.root, buf, at, true);
  }

  private decodeNode(n: SNode, buf: Uint8Array, at: number, top: boolean): unknown {
    if (n.kind === LEAF) return CODE_VALUE[buf[at + n.slot]];
    let h = 0;
    let intern: InternTable | null = null;
    if (!top) {
      const from = at + n.off;
      const len = n.len;
      h = 0x811c9dc5 ^ len;
      for (let i = 0; i < len; i++) h = Math.imul(h ^ buf[from + i], 0x01000193);
      h = mixA(h);
      intern = n.intern;
      if (intern === null) intern = n.intern = new InternTable(len);
      const e = intern.get(buf, from, h);
      if (e !== undefined) return e;
    }
    const kids = n.kids;
    let node: unknown;
    if (n.kind === MAP) {
      const vals: unknown[] = new Array(kids.length);
      for (let i = 0; i < kids.length; i++) vals[i] = this.decodeNode(kids[i], buf, at, false);
      node = this.fastRecords ? fastMap(n.keys, n.smallIndex, vals) : IMap(vals.map((v, i) => [n.keys[i], v]));
    } else {
      const full: unknown[] = new Array(kids.length);
      const defs = n.defaults;
      for (let i = 0; i < kids.length; i++) full[i] = this.decodeNode(kids[i], buf, at, false);
      if (this.fastRecords) {
        node = fastRecord(n.fastProto!, full);
      } else {
        const proto = n.proto as any;
        node = proto.constructor(Object.fromEntries(n.keys.map((k, i) => [k, full[i]])));
      }
    }
    if (intern !== null) intern.set(buf, at + n.off, h, node);
    return node;
  }
}

function mk(
  kind: number,
  off: number,
  len: number,
  slot: number,
  keys: unknown[],
  kids: SNode[],
  proto: object | null,
  defaults: unknown[],
  small: Int32Array | null,
): SNode {
  const index = new Map<unknown, number>();
  keys.forEach((k, i) => index.set(k, i));
  return { kind, off, len, slot, keys, kids, index, smallIndex: small, proto, fastProto: proto ? fastRecordProto(proto, keys as string[], defaults) : null, defaults, intern: null, lastObj: undefined, lastBytes: null };
}


function encodeNode(n: SNode, v: unknown, buf: Uint8Array, at: number): boolean {
  if (n.kind === LEAF) {
    const c = leafCode(v);
    if (c < 0) return false;
    buf[at + n.slot] = c;
    return true;
  }
  if (v === null || typeof v !== 'object') return false;
  const kids = n.kids;
  const keys = n.keys;
  if (n.kind === REC) {
    const p = Object.getPrototypeOf(v);
    if (p !== n.fastProto && p !== n.proto) return false;
    const r = v as { get(k: unknown): unknown };
    for (let i = 0; i < kids.length; i++) if (!encodeNode(kids[i], r.get(keys[i]), buf, at)) return false;
    return true;
  }
  // The last Map encoded at this node, by identity (a spec constant such as an empty row is
  // written again and again): its bytes are copied.
  if (v === n.lastObj) {
    const src = n.lastBytes!;
    for (let j = 0; j < n.len; j++) buf[at + n.off + j] = src[j];
    return true;
  }
  if (!isMap(v) || isOrdered(v)) return false;
  const m = v as unknown as { size: number; get(k: unknown, d: unknown): unknown; __e?: [unknown, unknown][] };
  if (m.size !== kids.length) return false;
  const e = m.__e;
  if (e !== undefined) {
    // A decoded Map: its entries are at hand.
    for (let i = 0; i < e.length; i++) {
      const kid = childOf(n, e[i][0]);
      if (kid === null || !encodeNode(kid, e[i][1], buf, at)) return false;
    }
  } else {
    // Any other Map: one pass over its entries (not one `get`, a linear scan, per key).
    encodeOk = true;
    encodeTarget = n;
    encodeBuf = buf;
    encodeAt = at;
    (m as unknown as { forEach(f: (x: unknown, k: unknown) => boolean | void): void }).forEach(encodeEntry);
    if (!encodeOk) return false;
  }
  n.lastObj = v;
  if (n.lastBytes === null) n.lastBytes = new Uint8Array(n.len);
  for (let j = 0; j < n.len; j++) n.lastBytes[j] = buf[at + n.off + j];
  return true;
}

let encodeOk = true;
let encodeTarget: SNode | null = null;
let encodeBuf: Uint8Array | null = null;
let encodeAt = 0;

/** forEach callback of `encodeNode` for Maps (module state instead of a closure per call). */
function encodeEntry(x: unknown, k: unknown): boolean | void {
  const n = encodeTarget!;
  const kid = childOf(n, k);
  if (kid === null) {
    encodeOk = false;
    return false;
  }
  // Children may be Maps themselves: save and restore the module state around the recursion.
  const buf = encodeBuf!;
  const at = encodeAt;
  const ok = encodeNode(kid, x, buf, at);
  encodeTarget = n;
  encodeBuf = buf;
  encodeAt = at;
  if (!ok) {
    encodeOk = false;
    return false;
  }
}

/** The child of `n` addressed by `key`, or null. */
export function childOf(n: SNode, key: unknown): SNode | null {
  if (n.kind === LEAF) return null;
  let i: number | undefined;
  const small = n.smallIndex;
  if (n.kind === REC && typeof key === 'string') {
    // Field names in specs are literals (internalised strings): a scan compares pointers.
    const keys = n.keys;
    for (let j = 0; j < keys.length; j++) if (keys[j] === key) return n.kids[j];
    return null;
  }
  if (small !== null && typeof key === 'number') {
    i = key >= 0 && key < small.length && (key | 0) === key ? small[key] : -1;
    if (i < 0) return null;
  } else {
    i = n.index.get(key);
    if (i === undefined) return null;
  }
  return n.kids[i];
}

export { encodeNode, LEAF, REC, MAP };
