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
import { touched } from './change-slots.js';
import { Shape } from './codec.js';
import { confirmer } from './confirm.js';
import { messageOf } from './errors.js';
import { expander, type PropertyKind, type Visited } from './expand.js';
import { fingerprintState } from './fingerprint.js';
import { memoryGuard } from './memory.js';
import { formatAction, type CompiledModel, type Instance } from './model.js';
import { finishResult, interrupted, statsOf, type CheckOptions, type CheckResult, type EvalError, type Stats, type Status, type Violation } from './result.js';
import { Frontier, StateStore, NO_PARENT } from './store.js';

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

  // The codec: states that fit the shape learnt from the first initial state travel as bytes.
  const shape = process.env.KRIPKE_NO_CODEC ? null : Shape.learn(m.inits[0]);
  const W = shape ? shape.W : 0;
  const wb = new Uint8Array(Math.max(W, 1)); // working bytes: the successor being fingerprinted
  const pb = new Uint8Array(Math.max(W, 1)); // the parent's bytes

  let depth = 0;
  let queued = 0;
  let stop: Status | null = null;
  let incompleteReason: string | undefined;
  let error: EvalError | undefined;

  const fp = new Int32Array(2);

  const stats = (): Stats => statsOf(x.generated, store.size, depth, queued, t0, memory.peakRss(), store.bytes, m.inits.length);


  const fail = (message: string, path: number[], inst?: Instance<S>): void => {
    error = { message, path, action: inst ? formatAction(inst) : undefined };
    stop = 'error';
  };

  let level = new Frontier(W);
  let next = new Frontier(W);

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
  const x = expander<S>(
    m,
    shape,
    visited,
    {
      queue(t: S | undefined, id: number, fits: boolean): boolean {
        if (fits) next.pushBytes(wb, id);
        else next.pushObj(t, id);
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
      misfit: () => true,
    },
    wb,
    pb,
    fp,
    fired,
    violatedProps,
    m.sometimes.map(() => false),
  );

  // ---- Init: each initial state is checked; one outside the constraints is then dropped ----
  for (let i = 0; i < m.inits.length && stop === null; i++) {
    const s = m.inits[i];
    const fits = fingerprintState(s, shape, wb, fp);
    try {
      if (!x.inside(s)) {
        if (x.checkNew(s, NO_PARENT, i, false)) break;
        continue;
      }
      const id = store.insert(fp[0], fp[1], NO_PARENT, i);
      if (id < 0) continue;
      if (x.checkNew(s, id)) break;
      if (fits) level.pushBytes(wb, id);
      else level.pushObj(s, id);
    } catch (e) {
      fail(messageOf(e), [i]);
      break;
    }
  }
  depth = level.size > 0 ? 1 : 0;
  queued = level.size;

  const expand = x.expand;

  // ---- BFS, level by level ----
  while (stop === null && level.size > 0) {
    if (depth >= maxDepth) probing = true;
    next = new Frontier(W);
    const n = level.n;
    let k = 0;
    let o = 0;
    for (; k < n; k++) {
      const chunk = level.chunk(k);
      const at = level.offset(k);
      const sid = level.id(k);
      queued--;
      const s = shape!.decode(chunk, at) as S;
      for (let j = 0; j < W; j++) pb[j] = wb[j] = chunk[at + j];
      touched.n = 0;
      if (!expand(s, sid, true)) break;
      if ((k & 63) === 0) {
        if ((k & 0x7fff) === 0) level.release(k);
        if (tick()) break;
        if (now >= nextYield) {
          yield;
          nextYield = Date.now() + YIELD_MS;
        }
      }
    }
    if (stop === null) {
      for (; o < level.objs.length; o++) {
        const s = level.objs[o] as S;
        const sid = level.objIds[o];
        level.objs[o] = undefined; // let the state be collected once expanded
        queued--;
        if (!expand(s, sid, false)) break;
        if ((o & 15) === 0) {
          if (tick()) break;
          if (now >= nextYield) {
            yield;
            nextYield = Date.now() + YIELD_MS;
          }
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
      if (next.size > 0) depth++;
      break;
    }
    level = next;
    if (level.size > 0) depth++;
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

  return finishResult(m, { stop, incompleteReason, stats: stats(), violations, witnessed, error, fired }, confirmer(m, shape, (hi, lo) => store.seen.has(hi, lo)));
}
