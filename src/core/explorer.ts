/**
 * The explorer: exhaustive, level-synchronous breadth-first search.
 *
 * Every state of level d is expanded before any of level d+1, and properties are checked when a
 * state is discovered, so the first violation found is at minimal depth and its path (rebuilt
 * from parent links) is a shortest counterexample.
 *
 * The inner loop, expanding one state, is in expand.ts (shared with the parallel workers); here
 * are the levels, the store and frontiers it fills, and the run's record.
 */
import { Codec } from './codec/codec.js';
import { encodedRep } from './codec/encoded-rep.js';
import { expander, type PropertyKind, type Visited } from './expand.js';
import type { CompiledModel, Instance } from './model.js';
import type { CheckOptions, CheckResult, Stats } from './result.js';
import { Run } from './run.js';
import { runToEnd, runWithTurns } from './turns.js';
import { plainRep } from './plain-rep.js';
import type { Rep } from './rep.js';
import { NO_PARENT } from './store.js';
import type { SymmetryMode } from './symmetry/canon.js';
import { checkSymmetry, Reservoir } from './symmetry/soundness.js';
import { canonicaliserFor, encodedRepWith, symmetricRep } from './symmetry/symmetric-rep.js';

export type { CheckOptions, CheckResult, Coverage, EvalError, PropertyKind, SearchEnd, SometimesResult, Stats, Status, Violation } from './result.js';
export { finishResult } from './result.js';
export { MUTABILITY_SAMPLES, reasonOf } from './expand.js';

/** Runs the model checker in this thread, to the end (or a limit). */
export function check<S>(m: CompiledModel<S>, opts: CheckOptions = {}): CheckResult {
  return runToEnd(search(m, opts));
}

/**
 * `check`, giving the event loop a turn about every `YIELD_MS`: signal handlers, timers and
 * `opts.signal` (an AbortSignal: aborting it stops the search at the next state, as 'incomplete'
 * with the abort reason) work while it runs. Same result as `check`.
 */
export async function checkAsync<S>(m: CompiledModel<S>, opts: CheckOptions = {}): Promise<CheckResult> {
  return runWithTurns(search(m, opts));
}

/** How often `checkAsync` lets the event loop run. */
const YIELD_MS = 50;

/**
 * The representation of a run: encoded unless KRIPKE_NO_CODEC asks for the plain reference;
 * with `symmetry`, fingerprinting orbits, the declaration checked first (soundness.ts), and
 * `verify` checking it again on states sampled from the whole search.
 */
export function repFor<S>(m: CompiledModel<S>, symmetry?: SymmetryMode): { rep: Rep<S, unknown>; verify?: () => void } {
  const plain = !!process.env.KRIPKE_NO_CODEC;
  if (symmetry === undefined) return { rep: (plain ? plainRep<S>(m.notes) : encodedRep<S>(new Codec(m.inits[0], undefined, m.notes))) as Rep<S, unknown> };
  const codec = new Codec(m.inits[0], undefined, m.notes);
  const sampled = new Reservoir<S>(SEARCH_SAMPLES);
  const mu = m as CompiledModel<unknown>;
  const rep = (plain ? symmetricRep(plainRep<S>(m.notes), canonicaliserFor(mu, codec, symmetry), codec, undefined, null, sampled) : encodedRepWith<S>(mu, codec, symmetry, sampled)) as Rep<S, unknown>;
  checkSymmetry(m, rep);
  return { rep, verify: () => checkSymmetry(m, rep, sampled.items) };
}

/** States of a symmetric search checked again at its end (a uniform sample of the expanded ones, one permutation each). */
export const SEARCH_SAMPLES = 128;

/** The search: a generator that yields when the event loop should get a turn. */
function* search<S>(m: CompiledModel<S>, opts: CheckOptions): Generator<void, CheckResult> {
  const run = new Run(m, opts);
  const { store } = run;
  const maxStates = opts.maxStates ?? Infinity;
  let nextYield = run.t0 + YIELD_MS;
  let now = run.t0;
  const { rep, verify } = repFor(m, opts.symmetry);
  const fp = new Int32Array(2);
  let level = rep.newLevel();
  let next = rep.newLevel();
  const stats = (): Stats => {
    run.generated = x.generated;
    return run.stats(run.memory.peakRss(), store.bytes + rep.bytesOf(level) + rep.bytesOf(next));
  };

  // At the depth limit, the last level is expanded in "probe" mode: successors are generated and
  // looked up but not recorded, so the run knows whether anything lies beyond the limit.
  let probing = false;
  let beyond = false;
  const visited: Visited = {
    insert(hi, lo, parent, action) {
      if (probing) {
        if (!beyond && !store.seen.has(hi, lo)) beyond = true;
        return -1;
      }
      return store.insert(hi, lo, parent, action);
    },
    has: (hi, lo) => store.seen.has(hi, lo),
  };

  // What the expander finds goes to the store, the next level and the run's record.
  const x = expander<S, unknown>(
    m,
    rep,
    visited,
    {
      queue(t: S, id: number): boolean {
        rep.push(next, id, t);
        run.queued++;
        if (store.size >= maxStates) {
          run.incomplete(`--max-states ${maxStates} reached`);
          return false;
        }
        return true;
      },
      violation: (kind: PropertyKind, property: string, reason: string | undefined, id: number, ai: number) => run.violation(kind, property, reason, store.pathVia(id, ai)),
      witness: (index: number, id: number) => run.witness(index, store.pathTo(id)),
      fail: (message: string, id: number, isNew: boolean, inst: Instance<S> | undefined, ai: number) => run.fail(message, isNew ? store.pathTo(id) : store.pathVia(id, ai), inst),
    },
    fp,
    run.fired,
    run.violated,
    m.sometimes.map(() => false),
  );

  run.init(rep, x, level, (hi, lo, i) => store.insert(hi, lo, NO_PARENT, i));

  // ---- BFS, level by level ----
  /** The level consumed before this one: its storage is reused for the next. */
  let spare: unknown;
  while (run.stop === null && rep.sizeOf(level) > 0) {
    if (run.depth >= run.maxDepth) probing = true;
    next = rep.newLevel(spare);
    const n = rep.sizeOf(level);
    for (let k = 0; k < n; k++) {
      run.queued--;
      if (!x.expand(rep.load(level, k), rep.idOf(level, k))) break;
      if ((k & 63) === 0) {
        if ((k & 0x7fff) === 0) rep.release(level, k);
        if (tick()) break;
        if (now >= nextYield) {
          yield;
          nextYield = Date.now() + YIELD_MS;
        }
      }
    }
    if (probing) {
      run.probed(beyond);
      break;
    }
    if (run.stop !== null) {
      // The deepest level reached: the one being discovered when the search stopped.
      if (rep.sizeOf(next) > 0) run.depth++;
      break;
    }
    spare = level;
    level = next;
    if (rep.sizeOf(level) > 0) run.depth++;
  }

  /** Limits, signals, memory and progress, every few states; sets `now` for the yield check. */
  function tick(): boolean {
    now = Date.now();
    const why = run.halted(now, store.seen.bytes);
    if (why !== null) {
      run.incomplete(why);
      return true;
    }
    run.progress(now, stats);
    return false;
  }

  // (an error found stands: the check could only hide it)
  if (run.stop !== 'error') verify?.();
  return run.finish(rep, (hi, lo) => store.seen.has(hi, lo), stats());
}
