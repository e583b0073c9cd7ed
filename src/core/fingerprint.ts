/**
 * The fingerprint of a state object, in the scheme the explorer uses for it: the codec's slot sums
 * when the state fits the spec's shape, else its tree hash, salted so the two never meet.
 */
import { finishSlots, type Shape } from './codec.js';
import { fingerprintInto } from './hash.js';

/** Salt that separates tree fingerprints (states that do not fit the codec) from slot ones. */
export const TREE_SALT_A = 0x6a09e667;
export const TREE_SALT_B = 0x3c6ef372;

/** Fingerprint of a state object: codec scheme if it fits the shape (encoding it into `wb`). */
export function fingerprintState(s: unknown, shape: Shape | null, wb: Uint8Array, fp: Int32Array): boolean {
  if (shape !== null && shape.encode(s, wb, 0)) {
    shape.sums(wb, 0, fp);
    finishSlots(fp[0], fp[1], shape.W, fp);
    return true;
  }
  fingerprintInto(s, fp);
  fp[0] ^= TREE_SALT_A;
  fp[1] ^= TREE_SALT_B;
  return false;
}

