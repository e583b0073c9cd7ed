/**
 * Slot codes shared by the threads of a parallel search (a CodeSource, see domain.ts): the code of
 * a value at a slot is the same in every thread, so encoded states travel between threads as they
 * are, and a thread rebuilds a value another thread gave a code from its canonical bytes
 * (serialize.ts).
 *
 * Shared memory, all in growable SharedArrayBuffers:
 *  - `next`: per slot, the next free code (code 0 is ABSENT);
 *  - `table`: open addressing by (slot, hash of the value), 4 lanes per entry: [slot + 1, hash A,
 *    hash B, entry + 1]. A thread claims an empty entry by CAS on lane 0, fills lanes 1-2, and
 *    publishes lane 3 last; a reader that finds lane 0 set waits for lane 3 before comparing.
 *    Values are compared by their bytes, so two values with equal hashes get two codes.
 *  - `entries`: per entry [slot, code, offset, length] of its bytes in `arena`;
 *  - `byCode`: open addressing by (slot, code) -> entry + 1, filled before the entry is published.
 * The coordinator grows `table` and `byCode` between levels (`needsGrowth`), when no thread runs.
 */
import { NOT_FOUND, type CodeSource } from './domain.js';
import { deserialize, ForeignType, RecordTypes, serialize } from './serialize.js';

/** The buffers of a shared code table (sent to each worker). */
export interface SharedCodeBuffers {
  readonly ctl: SharedArrayBuffer; // [entries used, arena bytes used, table capacity (log2)]
  readonly next: SharedArrayBuffer;
  readonly table: SharedArrayBuffer;
  readonly byCode: SharedArrayBuffer;
  readonly entries: SharedArrayBuffer;
  readonly arena: SharedArrayBuffer;
}

const C_ENTRIES = 0;
const C_ARENA = 1;
const MAX_BYTES = 2 ** 31;

const growable = (bytes: number) => new SharedArrayBuffer(bytes, { maxByteLength: MAX_BYTES });

/** New shared buffers for W slots, with room for 2^logCap entries before they must grow. */
export function newSharedCodes(W: number, logCap = 20): SharedCodeBuffers {
  const next = new SharedArrayBuffer(Math.max(W, 1) * 4);
  new Int32Array(next).fill(1);
  return {
    ctl: new SharedArrayBuffer(16),
    next,
    table: new SharedArrayBuffer((1 << logCap) * 16),
    byCode: new SharedArrayBuffer((1 << logCap) * 12),
    entries: growable(1 << 16),
    arena: growable(1 << 16),
  };
}

const mix = (slot: number, h: number) => Math.imul(h ^ Math.imul(slot + 1, 0x9e3779b1), 0x85ebca6b) ^ (h >>> 13);

/** Whether the tables are past their load limit: grow them before the next level (`grown`). */
export function needsGrowth(b: SharedCodeBuffers): boolean {
  const used = Atomics.load(new Int32Array(b.ctl), C_ENTRIES);
  return used * 4 > b.table.byteLength / 16;
}

/** Buffers with tables twice as large holding the same entries (no thread may be running). */
export function grown(b: SharedCodeBuffers): SharedCodeBuffers {
  const cap = (b.table.byteLength / 16) * 2;
  const g: SharedCodeBuffers = { ...b, table: new SharedArrayBuffer(cap * 16), byCode: new SharedArrayBuffer(cap * 12) };
  const t = new Int32Array(b.table);
  const nt = new Int32Array(g.table);
  const nb = new Int32Array(g.byCode);
  const entries = new Int32Array(b.entries);
  const mask = cap - 1;
  for (let j = 0; j < t.length; j += 4) {
    if (t[j] === 0) continue;
    let i = mix(t[j] - 1, t[j + 1]) & mask;
    while (nt[i * 4] !== 0) i = (i + 1) & mask;
    nt.set(t.subarray(j, j + 4), i * 4);
    const e = t[j + 3] - 1;
    let k = mix(entries[e * 4], entries[e * 4 + 1]) & mask;
    while (nb[k * 3] !== 0) k = (k + 1) & mask;
    nb[k * 3] = entries[e * 4] + 1;
    nb[k * 3 + 1] = entries[e * 4 + 1];
    nb[k * 3 + 2] = e + 1;
  }
  return g;
}

/** A thread's view of the shared codes; `types` are the Record types this thread has met. */
export class SharedCodes implements CodeSource {
  private ctl!: Int32Array;
  private next!: Int32Array;
  private table!: Int32Array;
  private byCode!: Int32Array;
  private mask = 0;
  private b!: SharedCodeBuffers;

  /**
   * Called with the signature of a Record type this thread has not met, to find it (discover.ts);
   * true if it did.
   */
  discover: (signature: string) => boolean = () => false;

  constructor(
    b: SharedCodeBuffers,
    readonly types = new RecordTypes(),
  ) {
    this.attach(b);
  }

  /** Uses (possibly grown) buffers `b`. */
  attach(b: SharedCodeBuffers): void {
    this.b = b;
    this.ctl = new Int32Array(b.ctl);
    this.next = new Int32Array(b.next);
    this.table = new Int32Array(b.table);
    this.byCode = new Int32Array(b.byCode);
    this.mask = b.table.byteLength / 16 - 1;
  }

  get buffers(): SharedCodeBuffers {
    return this.b;
  }

  /** Why the last value could not be rebuilt in this thread (a Record type it has not met), or null. */
  foreign: string | null = null;

  assign(slot: number, v: unknown, ha: number): number {
    const bytes = serialize(v, this.types);
    const t = this.table;
    const mask = this.mask;
    let i = mix(slot, ha) & mask;
    for (let probes = 0; probes <= mask; probes++, i = (i + 1) & mask) {
      const j = i * 4;
      let s = Atomics.load(t, j);
      if (s === 0) {
        s = Atomics.compareExchange(t, j, 0, slot + 1);
        if (s === 0) return this.publish(slot, ha, bytes, j);
      }
      if (s !== slot + 1) continue;
      let e = Atomics.load(t, j + 3);
      while (e === 0) e = Atomics.load(t, j + 3); // being published
      if (Atomics.load(t, j + 1) !== ha) continue;
      if (this.sameBytes(e - 1, bytes)) return Atomics.load(new Int32Array(this.b.entries), (e - 1) * 4 + 1);
    }
    this.foreign = 'the table of values shared by the threads filled up within one round';
    throw new RangeError(this.foreign);
  }

  lookup(slot: number, code: number): unknown {
    const e = this.entryOf(slot, code);
    if (e < 0) return NOT_FOUND;
    const entries = new Int32Array(this.b.entries);
    const off = entries[e * 4 + 2];
    for (;;) {
      try {
        return deserialize(new Uint8Array(this.b.arena), off, this.types);
      } catch (err) {
        if (err instanceof ForeignType && !this.types.knows(err.signature) && this.discover(err.signature)) continue;
        if (err instanceof ForeignType) this.foreign = err.message;
        throw err;
      }
    }
  }

  private publish(slot: number, ha: number, bytes: Uint8Array, j: number): number {
    const code = Atomics.add(this.next, slot, 1);
    const e = Atomics.add(this.ctl, C_ENTRIES, 1);
    const off = Atomics.add(this.ctl, C_ARENA, bytes.length);
    ensure(this.b.entries, (e + 1) * 16);
    ensure(this.b.arena, off + bytes.length);
    new Uint8Array(this.b.arena).set(bytes, off);
    const entries = new Int32Array(this.b.entries);
    entries[e * 4] = slot;
    entries[e * 4 + 1] = code;
    entries[e * 4 + 2] = off;
    Atomics.store(entries, e * 4 + 3, bytes.length);
    // (slot, code) -> entry, before the entry is published in the table
    const bc = this.byCode;
    const mask = this.mask;
    let k = mix(slot, code) & mask;
    for (;;) {
      if (Atomics.compareExchange(bc, k * 3, 0, slot + 1) === 0) break;
      k = (k + 1) & mask;
    }
    bc[k * 3 + 1] = code;
    Atomics.store(bc, k * 3 + 2, e + 1);
    const t = this.table;
    t[j + 1] = ha;
    t[j + 2] = 0;
    Atomics.store(t, j + 3, e + 1);
    return code;
  }

  private entryOf(slot: number, code: number): number {
    const bc = this.byCode;
    const mask = this.mask;
    let k = mix(slot, code) & mask;
    for (let probes = 0; probes <= mask; probes++, k = (k + 1) & mask) {
      const s = Atomics.load(bc, k * 3);
      if (s === 0) return -1;
      if (s !== slot + 1) continue;
      let e = Atomics.load(bc, k * 3 + 2);
      while (e === 0) e = Atomics.load(bc, k * 3 + 2);
      if (bc[k * 3 + 1] === code) return e - 1;
    }
    return -1;
  }

  private sameBytes(e: number, bytes: Uint8Array): boolean {
    const entries = new Int32Array(this.b.entries);
    let len = Atomics.load(entries, e * 4 + 3);
    while (len === 0) len = Atomics.load(entries, e * 4 + 3);
    if (len !== bytes.length) return false;
    const arena = new Uint8Array(this.b.arena);
    const off = entries[e * 4 + 2];
    for (let i = 0; i < len; i++) if (arena[off + i] !== bytes[i]) return false;
    return true;
  }
}

/** Grows growable buffer `b` to at least `bytes` (another thread may be growing it too). */
function ensure(b: SharedArrayBuffer, bytes: number): void {
  while (b.byteLength < bytes) {
    const want = Math.min(MAX_BYTES, Math.max(bytes, b.byteLength * 2));
    if (want < bytes) throw new RangeError('the shared state values outgrew 2 GiB');
    try {
      b.grow(want);
    } catch {
      /* another thread grew it first; check again */
    }
  }
}
