/**
 * Interned sub-collections of one layout node, by the codes of their slots: open addressing over
 * a 32-bit hash, codes compared on a hit. Decoded states share their unchanged sub-collections
 * this way (and those keep the hash sums cached on them). Bounded: cleared when full.
 */
const INTERN_CAP = 1 << 17;

export class InternTable {
  private cap = 1 << 10;
  private mask = this.cap - 1;
  private hashes = new Int32Array(this.cap);
  private nodes: unknown[] = new Array(this.cap).fill(undefined);
  private codes: Uint32Array;
  private count = 0;
  /** Slot where the last failed `get` stopped (where `set` inserts). */
  private free = 0;

  constructor(private readonly len: number) {
    this.codes = new Uint32Array(this.cap * len);
  }

  /** The hash of codes buf[from .. from+len). */
  hash(buf: Uint32Array, from: number): number {
    let h = 0x811c9dc5 ^ this.len;
    for (let i = 0, len = this.len; i < len; i++) h = Math.imul(h ^ buf[from + i], 0x01000193);
    return h ^ (h >>> 15);
  }

  get(buf: Uint32Array, from: number, h: number): unknown {
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
  set(buf: Uint32Array, from: number, h: number, node: unknown): void {
    if (this.count >= this.cap >>> 1) {
      this.reset(this.cap >= INTERN_CAP ? this.cap : this.cap * 2);
      this.get(buf, from, h);
    }
    const i = this.free;
    this.hashes[i] = h;
    this.nodes[i] = node;
    const len = this.len;
    this.codes.set(buf.subarray(from, from + len), i * len);
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
    this.codes = new Uint32Array(cap * this.len);
    this.count = 0;
    if (!grow) return; // full at the cap: start over
    for (let i = 0; i < old.length; i++) {
      if (old[i] === undefined) continue;
      this.get(oldC, i * this.len, oldH[i]);
      this.set(oldC, i * this.len, oldH[i], old[i]);
    }
  }
}
