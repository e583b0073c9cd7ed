/**
 * One BFS level of encoded states: W slot codes per state, in chunks (released as they are
 * consumed), stored in 1, 2 or 4 bytes per code: the narrowest width that holds every code given
 * so far. A code first seen in the middle of a search that does not fit widens the level's
 * storage on the spot (the states already queued are copied once); nothing else changes.
 */
const FB = 15; // states per chunk: 2^15
const FMASK = (1 << FB) - 1;

type Codes = Uint8Array | Uint16Array | Uint32Array;

/** The storage width (bytes per code) that holds codes up to `max`. */
export function widthFor(max: number): 1 | 2 | 4 {
  return max < 256 ? 1 : max < 65536 ? 2 : 4;
}

function alloc(width: 1 | 2 | 4, n: number): Codes {
  return width === 1 ? new Uint8Array(n) : width === 2 ? new Uint16Array(n) : new Uint32Array(n);
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
  private width: 1 | 2 | 4 = 1;
  private cap = 255;
  size = 0;

  constructor(readonly W: number) {}

  /** Queues the state with codes src[0 .. W) and id `id`; `max` bounds its codes. */
  push(src: Uint32Array, id: number, max: number): void {
    if (max > this.cap) this.widen(widthFor(max));
    const W = this.W;
    const c = this.size >>> FB;
    if (c === this.chunks.length) {
      this.chunks.push(alloc(this.width, W << FB));
      this.ids.push(new Uint32Array(1 << FB));
    }
    const k = this.size & FMASK;
    const chunk = this.chunks[c]!;
    const at = k * W;
    for (let j = 0; j < W; j++) chunk[at + j] = src[j];
    this.ids[c]![k] = id;
    this.size++;
  }

  id(k: number): number {
    return this.ids[k >>> FB]![k & FMASK];
  }

  read(k: number, into: Uint32Array): void {
    const chunk = this.chunks[k >>> FB]!;
    const W = this.W;
    const at = (k & FMASK) * W;
    for (let j = 0; j < W; j++) into[j] = chunk[at + j];
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
    return this.chunks.reduce((a, c) => a + (c === null ? 0 : c.byteLength + (4 << FB)), 0);
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
    this.cap = width === 1 ? 255 : width === 2 ? 65535 : 0xffffffff;
  }
}

/** A level in shared memory (parallel search): `n` states of W codes of `width` bytes, then ids. */
export class SharedLevel implements Level {
  readonly codes: Codes;
  readonly ids: Uint32Array;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly W: number,
    readonly size: number,
    readonly width: 1 | 2 | 4,
  ) {
    this.codes = width === 1 ? new Uint8Array(buffer, 0, size * W) : width === 2 ? new Uint16Array(buffer, 0, size * W) : new Uint32Array(buffer, 0, size * W);
    this.ids = new Uint32Array(buffer, SharedLevel.idsAt(W, size, width), size);
  }

  /** A new level of `size` states. */
  static create(W: number, size: number, width: 1 | 2 | 4): SharedLevel {
    return new SharedLevel(new SharedArrayBuffer(Math.max(8, SharedLevel.idsAt(W, size, width) + size * 4)), W, size, width);
  }

  private static idsAt(W: number, size: number, width: number): number {
    return (size * W * width + 7) & ~7;
  }

  id(k: number): number {
    return this.ids[k];
  }

  read(k: number, into: Uint32Array): void {
    const W = this.W;
    const codes = this.codes;
    for (let j = 0, at = k * W; j < W; j++) into[j] = codes[at + j];
  }
}

/** Encoded states in one growable array (a worker's output of a level), widened as codes need. */
export class CodeList {
  codes: Codes = new Uint8Array(1 << 12);
  width: 1 | 2 | 4 = 1;
  n = 0;

  constructor(readonly W: number) {}

  push(src: Uint32Array, max: number): void {
    const W = this.W;
    if (max > (this.width === 1 ? 255 : this.width === 2 ? 65535 : 0xffffffff)) {
      const c = alloc(widthFor(max), this.codes.length);
      c.set(this.codes);
      this.codes = c;
      this.width = widthFor(max);
    }
    if ((this.n + 1) * W > this.codes.length) {
      const c = alloc(this.width, Math.max(this.codes.length * 2, (this.n + 1) * W));
      c.set(this.codes);
      this.codes = c;
    }
    const at = this.n * W;
    for (let j = 0; j < W; j++) this.codes[at + j] = src[j];
    this.n++;
  }

  /** The codes of the states, in a buffer of their own (to transfer). */
  take(): ArrayBuffer {
    return this.codes.buffer.slice(0, this.n * this.W * this.width) as ArrayBuffer;
  }
}

/** A view of `width`-byte codes in `buffer`. */
export function codesView(buffer: ArrayBuffer | SharedArrayBuffer, width: 1 | 2 | 4): Codes {
  return width === 1 ? new Uint8Array(buffer) : width === 2 ? new Uint16Array(buffer) : new Uint32Array(buffer);
}
