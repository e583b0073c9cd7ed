/**
 * Shrinking a counterexample found by simulation, with fast-check's shrinker: the walk becomes
 * the list of action instances it took, handed to fast-check as a user example of
 * `fc.array(fc.nat(n - 1))`, with the property "replaying these choices does not violate P".
 * fast-check shrinks a failing example (since 2.19) by removing elements (fewer steps) and
 * moving each towards 0 (earlier instances: simpler actions, simpler parameters, in the model's
 * instance order). A replay skips a choice whose action is not enabled where it comes, so a
 * removal keeps the rest meaningful. fast-check's integer shrinker does not try every lower
 * value, so a last greedy pass removes single steps and lowers single choices (to the lowest
 * value that still shows P) until none does: the result is locally minimal (no single step can
 * go, no single choice can be lower), unless the pass's budget of replays ran out first (said).
 */
import fc from 'fast-check';
import type { CompiledModel } from './model.js';
import { judge, replayChoices, type Finding } from './walk.js';

export interface Shrunk {
  readonly finding: Finding;
  /** The last pass reached a fixpoint (false: its budget ran out). */
  readonly minimal: boolean;
  /** Replays fast-check ran while shrinking. */
  readonly evaluations: number;
  readonly elapsedMs: number;
}

/** Shrinks `found` (a finding of property P on a walk) to a locally minimal walk that still shows P. */
export function shrinkFinding<S>(m: CompiledModel<S>, found: Finding, seed: number): Shrunk {
  const t0 = performance.now();
  const j = judge(m, found.property);
  const init = found.path[0];
  const choices = found.path.slice(1);
  const n = Math.max(1, m.instances.length);
  let evaluations = 0;
  let best: Finding = found;
  const shows = (cs: readonly number[]): Finding | null => {
    evaluations++;
    return replayChoices(m, j, init, cs, found.property);
  };
  const details = fc.check(
    fc.property(fc.array(fc.nat(n - 1), { maxLength: Math.max(choices.length, 1) }), (cs) => {
      const f = shows(cs);
      if (f === null) return true;
      // fast-check keeps the last failing value it tried: remember its finding (a shorter path wins ties)
      if (f.path.length <= best.path.length) best = f;
      return false;
    }),
    { seed, numRuns: 1, examples: [[choices]], endOnFailure: false },
  );
  if (details.failed) {
    const final = shows(details.counterexample![0]);
    if (final !== null && final.path.length <= best.path.length) best = final;
  }
  // the greedy pass: one removal or one lowering at a time, first improvement, to a fixpoint
  const budget = evaluations + GREEDY_BUDGET;
  let minimal = false;
  search: while (evaluations < budget) {
    const steps = best.path.slice(1);
    let tried = true; // every candidate of this round was tried (the budget did not cut it short)
    for (let i = 0; i < steps.length; i++) {
      if (evaluations >= budget) {
        tried = false;
        break;
      }
      const f = shows([...steps.slice(0, i), ...steps.slice(i + 1)]);
      if (f !== null) {
        best = f;
        continue search;
      }
    }
    for (let i = 0; tried && i < steps.length; i++) {
      for (let v = 0; v < steps[i]; v++) {
        if (evaluations >= budget) {
          tried = false;
          break;
        }
        const f = shows([...steps.slice(0, i), v, ...steps.slice(i + 1)]);
        if (f !== null && f.path.length <= best.path.length) {
          best = f;
          continue search;
        }
      }
    }
    minimal = tried;
    break;
  }
  return { finding: best, minimal, evaluations, elapsedMs: performance.now() - t0 };
}

/** Replays the greedy pass may spend after fast-check's shrinking. */
export const GREEDY_BUDGET = 20_000;
