/**
 * BFS levels of encoded states. A level stores each state as its packed row (packing.ts: the
 * value slots' codes and a flag) in 1, 2 or 4 bytes per code: the narrowest width that holds
 * every code given so far. A code first seen in the middle of a search that does not fit widens
 * the storage on the spot (the rows already queued are copied once); nothing else changes. A
 * state with an escaped part keeps its whole codes on the side, by index.
 *
 *  - Frontier: the explorer's levels, in chunks released as they are consumed;
 *  - CodeList: a worker's new states of a level, in a growable SharedArrayBuffer;
 *  - SharedLevel: a parallel level, read by every worker.
 */
import type { Packing } from './packing.js';

const FB = 15; // states per chunk: 2^15
const FMASK = (1 << FB) - 1;
/** Rows a chunk starts with. */
const FIRST_ROWS = 64;

/** `c` in a new array of `n` codes of `width` bytes. */
function grownTo(c: Codes, n: number, width: 1 | 2 | 4): Codes {
  const a = alloc(width, n);
  a.set(c);
  return a;
}

export type Codes = Uint8Array | Uint16Array | Uint32Array;

/** The storage width (bytes per code) that holds codes up to `max`. */
export function widthFor(max: number): 1 | 2 | 4 {
  return max < 256 ? 1 : max < 65536 ? 2 : 4;
}

const capOf = (width: 1 | 2 | 4): number => (width === 1 ? 255 : width === 2 ? 65535 : 0xffffffff);

function alloc(width: 1 | 2 | 4, n: number): Codes {
  return width === 1 ? new Uint8Array(n) : width === 2 ? new Uint16Array(n) : new Uint32Array(n);
}

/** A view of `width`-byte codes in `buffer`. */
export function codesView(buffer: ArrayBuffer | SharedArrayBuffer, width: 1 | 2 | 4, length?: number): Codes {
  return width === 1 ? new Uint8Array(buffer, 0, length) : width === 2 ? new Uint16Array(buffer, 0, length) : new Uint32Array(buffer, 0, length);
}

/** A level's states as codes; read back into a Uint32Array of W codes. */
export interface Level {
  readonly size: number;
  /** State k's id. */
  id(k: number): number;
  /** State k's codes into `into`. */
  read(k: number, into: Uint32Array): void;
}

export class Frontier implements Level {
  private chunks: (Codes | null)[] = [];
  private ids: (Uint32Array | null)[] = [];
  /** Escaped states' whole codes, by index. */
  private readonly side = new Map<number, Uint32Array>();
  private width: 1 | 2 | 4 = 1;
  private cap = 255;
  size = 0;

  constructor(private readonly packing: Packing) {}

  /** Queues the state with codes src[0 .. W) and id `id`; `max` bounds its codes. */
  push(src: Uint32Array, id: number, max: number): void {
    if (max > this.cap) this.widen(widthFor(max));
    const P = this.packing.P;
    const c = this.size >>> FB;
    if (c === this.chunks.length) {
      this.chunks.push(alloc(this.width, P * FIRST_ROWS));
      this.ids.push(new Uint32Array(FIRST_ROWS));
    }
    const k = this.size & FMASK;
    if (k >= this.ids[c]!.length) this.ids[c] = grownTo(this.ids[c]!, Math.min(1 << FB, this.ids[c]!.length * 2), 4) as Uint32Array;
    // a chunk starts small and doubles up to 2^FB rows: a level of a few states costs a few rows
    if ((k + 1) * P > this.chunks[c]!.length) this.chunks[c] = grownTo(this.chunks[c]!, Math.min(P << FB, this.chunks[c]!.length * 2), this.width);
    const escaped = this.packing.escaped(src);
    this.packing.pack(src, this.chunks[c]!, k * P, escaped ? 1 : 0);
    if (escaped) this.side.set(this.size, src.slice());
    this.ids[c]![k] = id;
    this.size++;
  }

  id(k: number): number {
    return this.ids[k >>> FB]![k & FMASK];
  }

  read(k: number, into: Uint32Array): void {
    if (!this.packing.unpack(this.chunks[k >>> FB]!, (k & FMASK) * this.packing.P, into)) into.set(this.side.get(k)!);
  }

  /** Empties the level to be filled again (its first chunk is kept: a level of a few states allocates nothing). */
  reset(): void {
    const first = this.chunks[0];
    const firstIds = this.ids[0];
    this.chunks = first ? [first] : [];
    this.ids = firstIds ? [firstIds] : [];
    this.side.clear();
    this.size = 0;
  }

  /** Frees the chunks before state k (they have been consumed). */
  release(k: number): void {
    const c = k >>> FB;
    for (let i = 0; i < c; i++) {
      this.chunks[i] = null;
      this.ids[i] = null;
    }
  }

  /** Bytes held. */
  get bytes(): number {
    let n = this.side.size * this.packing.W * 4;
    for (let i = 0; i < this.chunks.length; i++) n += (this.chunks[i]?.byteLength ?? 0) + (this.ids[i]?.byteLength ?? 0);
    return n;
  }

  get codeWidth(): 1 | 2 | 4 {
    return this.width;
  }

  private widen(width: 1 | 2 | 4): void {
    this.chunks = this.chunks.map((c) => {
      if (c === null) return null;
      const n = alloc(width, c.length);
      n.set(c);
      return n;
    });
    this.width = width;
    this.cap = capOf(width);
  }
}

/**
 * A level in shared memory (parallel search): `size` packed rows of `width`-byte codes, their
 * ids, and the escaped states (sorted indices, then W codes each).
 */
export class SharedLevel implements Level {
  readonly codes: Codes;
  readonly ids: Uint32Array;
  readonly escIdx: Int32Array;
  readonly escCodes: Uint32Array;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly packing: Packing,
    readonly size: number,
    readonly width: 1 | 2 | 4,
    readonly nEscaped: number,
  ) {
    const L = SharedLevel.layout(packing, size, width, nEscaped);
    this.codes = width === 1 ? new Uint8Array(buffer, 0, size * packing.P) : width === 2 ? new Uint16Array(buffer, 0, size * packing.P) : new Uint32Array(buffer, 0, size * packing.P);
    this.ids = new Uint32Array(buffer, L.ids, size);
    this.escIdx = new Int32Array(buffer, L.escIdx, nEscaped);
    this.escCodes = new Uint32Array(buffer, L.escCodes, nEscaped * packing.W);
  }

  /** The shared copy of level `lev` (the Init level). */
  static from(packing: Packing, lev: Level, width: 1 | 2 | 4): SharedLevel {
    const row = new Uint32Array(packing.W);
    const esc: number[] = [];
    for (let k = 0; k < lev.size; k++) {
      lev.read(k, row);
      if (packing.escaped(row)) esc.push(k);
    }
    const out = SharedLevel.create(packing, lev.size, width, esc.length);
    for (let k = 0, e = 0; k < lev.size; k++) {
      lev.read(k, row);
      const escaped = e < esc.length && esc[e] === k;
      packing.pack(row, out.codes, k * packing.P, escaped ? 1 : 0);
      if (escaped) {
        out.escIdx[e] = k;
        out.escCodes.set(row, e * packing.W);
        e++;
      }
      out.ids[k] = lev.id(k);
    }
    return out;
  }

  /** A new level of `size` states, `nEscaped` of them escaped. */
  static create(packing: Packing, size: number, width: 1 | 2 | 4, nEscaped: number): SharedLevel {
    return new SharedLevel(new SharedArrayBuffer(Math.max(8, SharedLevel.layout(packing, size, width, nEscaped).end)), packing, size, width, nEscaped);
  }

  private static layout(p: Packing, size: number, width: number, nEscaped: number) {
    const ids = (size * p.P * width + 7) & ~7;
    const escIdx = ids + size * 4;
    const escCodes = escIdx + nEscaped * 4;
    return { ids, escIdx, escCodes, end: escCodes + nEscaped * p.W * 4 };
  }

  id(k: number): number {
    return this.ids[k];
  }

  read(k: number, into: Uint32Array): void {
    if (this.packing.unpack(this.codes, k * this.packing.P, into)) return;
    // an escaped state: its whole codes, found by binary search over the sorted indices
    let lo = 0;
    let hi = this.nEscaped - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.escIdx[mid] < k) lo = mid + 1;
      else hi = mid;
    }
    const W = this.packing.W;
    into.set(this.escCodes.subarray(lo * W, lo * W + W));
  }
}

/** Rows per chunk of a worker's output. */
const OUT_ROWS = 1 << 14;

/**
 * A worker's new states of a level: packed rows in chunks of shared memory (no copy when it grows,
 * plain fixed-length views for the inner loop), widened as codes need.
 */
export class CodeList {
  /** The chunks' buffers, OUT_ROWS rows each. */
  readonly chunks: SharedArrayBuffer[] = [];
  private cur: Codes = new Uint8Array(0);
  width: 1 | 2 | 4 = 1;
  n = 0;
  /** Escaped states: their index, then their W codes. */
  readonly escIdx: number[] = [];
  readonly escCodes: number[] = [];

  constructor(private readonly packing: Packing) {}

  push(src: Uint32Array, max: number): void {
    const P = this.packing.P;
    if (max > capOf(this.width)) this.widen(widthFor(max));
    const k = this.n % OUT_ROWS;
    if (k === 0) {
      const b = new SharedArrayBuffer((this.chunks.length === 0 ? FIRST_ROWS : OUT_ROWS) * P * this.width);
      this.chunks.push(b);
      this.cur = codesView(b, this.width);
    } else if ((k + 1) * P > this.cur.length) {
      // the first chunk starts small and doubles up to OUT_ROWS rows
      const b = new SharedArrayBuffer(Math.min(OUT_ROWS, (this.cur.length / P) * 2) * P * this.width);
      const v = codesView(b, this.width);
      v.set(this.cur);
      this.chunks[this.chunks.length - 1] = b;
      this.cur = v;
    }
    const escaped = this.packing.escaped(src);
    this.packing.pack(src, this.cur, k * P, escaped ? 1 : 0);
    if (escaped) {
      this.escIdx.push(this.n);
      for (let j = 0; j < src.length; j++) this.escCodes.push(src[j]);
    }
    this.n++;
  }

  private widen(width: 1 | 2 | 4): void {
    for (let i = 0; i < this.chunks.length; i++) {
      const old = codesView(this.chunks[i], this.width);
      const b = new SharedArrayBuffer(old.length * width);
      codesView(b, width).set(old);
      this.chunks[i] = b;
    }
    this.width = width;
    if (this.chunks.length > 0) this.cur = codesView(this.chunks[this.chunks.length - 1], width);
  }
}

/** Copies rows [start, start + count) of a worker's output chunks (`width`) into `dst` at row `at`. */
export function copyRows(chunks: readonly SharedArrayBuffer[], width: 1 | 2 | 4, P: number, start: number, count: number, dst: Codes, at: number): void {
  while (count > 0) {
    const c = Math.floor(start / OUT_ROWS);
    const k = start % OUT_ROWS;
    const n = Math.min(count, OUT_ROWS - k);
    dst.set(codesView(chunks[c], width).subarray(k * P, (k + n) * P), at * P);
    start += n;
    at += n;
    count -= n;
  }
}
