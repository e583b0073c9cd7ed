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
  /** The interned nodes' codes: 1 byte each while they fit, then 2, then 4. */
  private codes: Uint8Array | Uint16Array | Uint32Array;
  private codeCap = 255;
  private count = 0;
  /** Slot where the last failed `get` stopped (where `set` inserts). */
  private free = 0;

  constructor(private readonly len: number) {
    this.codes = new Uint8Array(this.cap * len);
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
    for (let j = 0; j < len; j++) if (buf[from + j] > this.codeCap) this.widen(buf[from + j]);
    this.codes.set(buf.subarray(from, from + len), i * len);
    this.count++;
  }

  private widen(code: number): void {
    const c = code < 65536 ? new Uint16Array(this.codes.length) : new Uint32Array(this.codes.length);
    c.set(this.codes);
    this.codes = c;
    this.codeCap = code < 65536 ? 65535 : 0xffffffff;
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
    this.codes = oldC instanceof Uint8Array ? new Uint8Array(cap * this.len) : oldC instanceof Uint16Array ? new Uint16Array(cap * this.len) : new Uint32Array(cap * this.len);
    this.count = 0;
    if (!grow) return; // full at the cap: start over
    for (let i = 0; i < old.length; i++) {
      if (old[i] === undefined) continue;
      const row = Uint32Array.from(oldC.subarray(i * this.len, (i + 1) * this.len));
      this.get(row, 0, oldH[i]);
      this.set(row, 0, oldH[i], old[i]);
    }
  }
}
