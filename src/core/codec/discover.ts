/**
 * Record types a worker has not met (serialize.ts: a value another thread coded holds one): the
 * worker finds the type by running its own copy of the spec from Init, breadth-first, until a
 * state holds a Record of that signature. The other thread built the value by running the same
 * actions from the same initial states, so the type is reachable; the search is bounded, and
 * past the bound the parallel search says why it runs in one thread.
 */
import { isChange, type Change } from '../change.js';
import { fingerprintInto } from '../hash.js';
import type { CompiledModel } from '../model.js';
import { FingerprintSet } from '../store.js';
import type { RecordTypes } from './serialize.js';

/** States explored at most to find one Record type. */
const BUDGET = 200_000;

/** Explores `m` from Init until `types` knows `signature`; whether it does. */
export function discoverType<S>(m: CompiledModel<S>, types: RecordTypes, signature: string): boolean {
  const seen = new FingerprintSet(1 << 12);
  const fp = new Int32Array(2);
  let level: S[] = [];
  const visit = (s: S): void => {
    fingerprintInto(s, fp);
    if (!seen.add(fp[0], fp[1])) return;
    types.learn(s);
    level.push(s);
  };
  for (const s of m.inits) visit(s);
  while (level.length > 0 && !types.knows(signature) && seen.size < BUDGET) {
    const cur = level;
    level = [];
    for (const s of cur) {
      for (const inst of m.instances) {
        let r: unknown;
        try {
          r = inst.apply(s, inst.params);
          if (r === null || r === undefined || r === false) continue;
          visit((isChange(r) ? (r as Change<S>).materialize() : r) as S);
        } catch {
          continue; // the search itself reports what throws
        }
        if (types.knows(signature)) return true;
      }
    }
  }
  return types.knows(signature);
}
