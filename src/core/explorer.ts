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
import { confirmer } from './confirm.js';
import { messageOf } from './errors.js';
import { expander, type PropertyKind, type Visited } from './expand.js';
import { memoryGuard } from './memory.js';
import { formatAction, type CompiledModel, type Instance } from './model.js';
import { finishResult, interrupted, statsOf, type CheckOptions, type CheckResult, type EvalError, type Stats, type Status, type Violation } from './result.js';
import { plainRep } from './plain-rep.js';
import type { Rep } from './rep.js';
import { StateStore, NO_PARENT } from './store.js';

export type { CheckOptions, CheckResult, Coverage, EvalError, PropertyKind, SearchEnd, SometimesResult, Stats, Status, Violation } from './result.js';
export { finishResult, statsOf } from './result.js';
export { MUTABILITY_SAMPLES, reasonOf } from './expand.js';

/** Runs the model checker in this thread, to the end (or a limit). */
export function check<S>(m: CompiledModel<S>, opts: CheckOptions = {}): CheckResult {
  const g = search(m, opts);
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/**
 * `check`, giving the event loop a turn about every `YIELD_MS`: signal handlers, timers and
 * `opts.signal` (an AbortSignal: aborting it stops the search at the next state, as 'incomplete'
 * with the abort reason) work while it runs. Same result as `check`.
 */
export async function checkAsync<S>(m: CompiledModel<S>, opts: CheckOptions = {}): Promise<CheckResult> {
  const g = search(m, opts);
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
    await new Promise<void>((res) => setImmediate(res));
  }
}

/** How often `checkAsync` lets the event loop run. */
const YIELD_MS = 50;

/** The representation of a run: encoded unless KRIPKE_NO_CODEC asks for the plain reference. */
export function repFor<S>(m: CompiledModel<S>): Rep<S, unknown> {
  return (process.env.KRIPKE_NO_CODEC ? plainRep<S>() : encodedRep<S>(new Codec(m.inits[0]))) as Rep<S, unknown>;
}

/** The search: a generator that yields when the event loop should get a turn. */
function* search<S>(m: CompiledModel<S>, opts: CheckOptions): Generator<void, CheckResult> {
  const t0 = Date.now();
  const store = new StateStore(undefined, Math.max(m.instances.length, m.inits.length));
  const fired = new Float64Array(m.instances.length);
  const witnessed: (readonly number[] | null)[] = m.sometimes.map(() => null);

  const violations: Violation[] = [];
  const violatedProps = new Set<string>();
  const maxStates = opts.maxStates ?? Infinity;
  const maxDepth = opts.maxDepth ?? Infinity;
  const deadline = opts.timeoutMs !== undefined ? t0 + opts.timeoutMs : Infinity;
  const interval = opts.progressIntervalMs ?? 1000;
  let nextProgress = t0 + interval;
  let nextYield = t0 + YIELD_MS;
  let now = t0;
  const memory = memoryGuard(opts.memoryBudgetBytes);
  const rep = repFor(m);

  let depth = 0;
  let queued = 0;
  let stop: Status | null = null;
  let incompleteReason: string | undefined;
  let error: EvalError | undefined;

  const fp = new Int32Array(2);
  let level = rep.newLevel();
  let next = rep.newLevel();

  const stats = (): Stats => statsOf(x.generated, store.size, depth, queued, t0, memory.peakRss(), store.bytes + rep.bytesOf(level) + rep.bytesOf(next), m.inits.length);

  const fail = (message: string, path: number[], inst?: Instance<S>): void => {
    error = { message, path, action: inst ? formatAction(inst) : undefined };
    stop = 'error';
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

  // What the expander finds goes to the store, the next frontier and this run's record.
  const x = expander<S, unknown>(
    m,
    rep,
    visited,
    {
      queue(t: S, id: number): boolean {
        rep.push(next, id, t);
        queued++;
        if (store.size >= maxStates) {
          stop = 'incomplete';
          incompleteReason = `--max-states ${maxStates} reached`;
          return false;
        }
        return true;
      },
      violation(kind: PropertyKind, property: string, reason: string | undefined, id: number, ai: number): boolean {
        const path = store.pathVia(id, ai);
        violations.push({ kind, property, reason, path, length: path.length });
        if (opts.continue) return false;
        stop = kind === 'deadlock' ? 'deadlock' : 'violation';
        return true;
      },
      witness(index: number, id: number): void {
        witnessed[index] = store.pathTo(id);
      },
      fail(message: string, id: number, isNew: boolean, inst: Instance<S> | undefined, ai: number): void {
        fail(message, isNew ? store.pathTo(id) : store.pathVia(id, ai), inst);
      },
    },
    fp,
    fired,
    violatedProps,
    m.sometimes.map(() => false),
  );

  // ---- Init: each initial state is checked; one outside the constraints is then dropped ----
  for (let i = 0; i < m.inits.length && stop === null; i++) {
    const s = m.inits[i];
    try {
      rep.fingerprintOf(s, fp);
      if (!x.inside(s)) {
        if (x.checkNew(s, NO_PARENT, i, false)) break;
        continue;
      }
      const id = store.insert(fp[0], fp[1], NO_PARENT, i);
      if (id < 0) continue;
      if (x.checkNew(s, id)) break;
      rep.push(level, id, s);
    } catch (e) {
      fail(messageOf(e), [i]);
      break;
    } finally {
      rep.done();
    }
  }
  depth = rep.sizeOf(level) > 0 ? 1 : 0;
  queued = rep.sizeOf(level);

  const expand = x.expand;

  // ---- BFS, level by level ----
  while (stop === null && rep.sizeOf(level) > 0) {
    if (depth >= maxDepth) probing = true;
    next = rep.newLevel();
    const n = rep.sizeOf(level);
    for (let k = 0; k < n; k++) {
      queued--;
      if (!expand(rep.load(level, k), rep.idOf(level, k))) break;
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
      if (beyond && stop === null) {
        stop = 'incomplete';
        incompleteReason = `--max-depth ${maxDepth} reached: there are states beyond depth ${maxDepth}`;
      }
      break;
    }
    if (stop !== null) {
      // The deepest level reached: the one being discovered when the search stopped.
      if (rep.sizeOf(next) > 0) depth++;
      break;
    }
    level = next;
    if (rep.sizeOf(level) > 0) depth++;
  }

  /** Limits, signals, memory and progress, every few states; sets `now` for the yield check. */
  function tick(): boolean {
    now = Date.now();
    let why: string | null = null;
    if (now >= deadline) why = '--timeout reached';
    else if (opts.signal?.aborted) why = interrupted(opts.signal);
    else why = memory.check(now, store.seen.bytes);
    if (why !== null) {
      stop = 'incomplete';
      incompleteReason = why;
      return true;
    }
    if (opts.onProgress && now >= nextProgress) {
      nextProgress = now + interval;
      opts.onProgress(stats());
    }
    return false;
  }

  return finishResult(m, { stop, incompleteReason, stats: stats(), violations, witnessed, error, fired }, confirmer(m, rep, (hi, lo) => store.seen.has(hi, lo)));
}
