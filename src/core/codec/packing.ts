/**
 * How a level stores one state's codes: the codes of the layout's value slots, then one flag code
 * (0, or 1 when the state has an escaped part). Escape slots are 0 in almost every state and are
 * left out; a state with an escaped part keeps its whole W codes on the side (levels keep those
 * by index). tlbbench L: 38 codes + 1 flag per queued state instead of 51.
 */
import { LEAF, type SNode } from './layout.js';

export class Packing {
  /** The value slots (everything but escape slots), in order. */
  readonly leaves: Int32Array;
  /** The escape slots of the layout's structure nodes. */
  readonly escapes: Int32Array;
  /** Codes per stored state: the value slots and the flag. */
  readonly P: number;

  constructor(
    root: SNode,
    readonly W: number,
  ) {
    const leaves: number[] = [];
    const escapes: number[] = [];
    const walk = (n: SNode): void => {
      if (n.kind === LEAF) leaves.push(n.slot);
      else {
        escapes.push(n.slot);
        n.kids.forEach(walk);
      }
    };
    walk(root);
    this.leaves = Int32Array.from(leaves);
    this.escapes = Int32Array.from(escapes);
    this.P = leaves.length + 1;
  }

  /** Whether the state with codes `src` has an escaped part (it is then kept whole on the side). */
  escaped(src: Uint32Array): boolean {
    const e = this.escapes;
    for (let i = 0; i < e.length; i++) if (src[e[i]] !== 0) return true;
    return false;
  }

  /** Packs `src` (not escaped) into dst[at .. at+P). */
  pack(src: Uint32Array, dst: { [i: number]: number }, at: number, flag: number): void {
    const l = this.leaves;
    for (let j = 0; j < l.length; j++) dst[at + j] = src[l[j]];
    dst[at + l.length] = flag;
  }

  /** Unpacks the row at src[at ..] into `into` (W codes); false if the row is an escaped state's. */
  unpack(src: { readonly [i: number]: number }, at: number, into: Uint32Array): boolean {
    const l = this.leaves;
    if (src[at + l.length] !== 0) return false;
    const e = this.escapes;
    for (let i = 0; i < e.length; i++) into[e[i]] = 0;
    for (let j = 0; j < l.length; j++) into[l[j]] = src[at + j];
    return true;
  }
}
