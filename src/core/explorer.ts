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
import { touched } from './change.js';
import { Shape } from './codec.js';
import { confirmer, type Confirm } from './confirm.js';
import { messageOf } from './errors.js';
import { expander, type PropertyKind, type Visited } from './expand.js';
import { fingerprintState } from './fingerprint.js';
import { memoryGuard } from './memory.js';
import { formatAction, type CompiledModel, type Instance } from './model.js';
import { Frontier, StateStore, NO_PARENT } from './store.js';

/** Limits and callbacks of a run. */
export interface CheckOptions {
  /** Stop after this many distinct states. */
  readonly maxStates?: number;
  /**
   * Explore no state beyond this depth (Init is depth 1, as TLC counts). The states at this depth
   * are expanded (deadlocks and action properties are checked there) only to learn whether any
   * new state lies beyond: if none does, the search is complete.
   */
  readonly maxDepth?: number;
  /** Stop after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Keep going after a violation, collecting the first one of each property. */
  readonly continue?: boolean;
  /**
   * Stop (status 'incomplete') when the process's memory nears this many bytes. Whatever the
   * budget, a search stops before the JS heap reaches its limit.
   */
  readonly memoryBudgetBytes?: number;
  /** Aborting it stops the search at the next state ('incomplete', with the abort reason). Seen by `checkAsync` and `checkParallel`. */
  readonly signal?: AbortSignal;
  /** Called about every `progressIntervalMs` with the running statistics. */
  readonly onProgress?: (s: Stats) => void;
  readonly progressIntervalMs?: number;
}

/** Statistics of a run. */
export interface Stats {
  /** Successor states generated (transitions), duplicates included; initial states excluded. */
  generated: number;
  /** Distinct states found. */
  distinct: number;
  /** BFS levels explored so far, Init included (TLC's "depth"). */
  depth: number;
  /** States discovered but not yet expanded. */
  queue: number;
  elapsedMs: number;
  /** Peak resident set size of the process, bytes. */
  peakRssBytes: number;
  /** Bytes held by the visited-state store. */
  storeBytes: number;
  /** TLC's optimistic fingerprint-collision probability estimate n*(g-n)/2^64. */
  collisionProbability: number;
}

export type { PropertyKind } from './expand.js';

/** A property violation, with the action-index path that reaches it. */
export interface Violation {
  readonly kind: PropertyKind;
  readonly property: string;
  readonly reason?: string;
  /** [init index, action index, ...]: the path to the violating state. */
  readonly path: readonly number[];
  /** Number of states on the trace (actions + 1). */
  readonly length: number;
}

/** The outcome of a `sometimes` property. */
export interface SometimesResult {
  readonly property: string;
  /** Path to a witness, or null if none was reachable. */
  readonly witness: readonly number[] | null;
}

/** An action or property threw, or produced a state that is not deeply immutable. */
export interface EvalError {
  readonly message: string;
  /** Path to the state on which it happened. */
  readonly path: readonly number[];
  /** The action being applied, if any. */
  readonly action?: string;
}

export type Status = 'ok' | 'violation' | 'deadlock' | 'incomplete' | 'error';

/** Per action family: how often it fired and which instances never did. */
export interface Coverage {
  readonly family: string;
  readonly fired: number;
  readonly instances: number;
  readonly neverEnabled: readonly string[];
}

export interface CheckResult {
  readonly status: Status;
  /** Why the search stopped early (status 'incomplete'). */
  readonly incompleteReason?: string;
  readonly stats: Stats;
  readonly violations: readonly Violation[];
  readonly sometimes: readonly SometimesResult[];
  readonly error?: EvalError;
  readonly coverage: readonly Coverage[];
  /**
   * Set by `checkParallel`: the worker threads asked for, how many explored the state space
   * (`used`; 1 when the search ran in the calling thread) and, when fewer, why.
   */
  readonly threads?: { readonly asked: number; readonly used: number; readonly reason?: string };
}

export { MUTABILITY_SAMPLES, reasonOf } from './expand.js';

/** A search's statistics, with TLC's collision estimate n*(g-n)/2^64 (g counts the initial states). */
export function statsOf(generated: number, distinct: number, depth: number, queue: number, t0: number, peakRssBytes: number, storeBytes: number, inits: number): Stats {
  return {
    generated,
    distinct,
    depth,
    queue,
    elapsedMs: Date.now() - t0,
    peakRssBytes,
    storeBytes,
    collisionProbability: (distinct * Math.max(0, generated + inits - distinct)) / 2 ** 64,
  };
}

/** What a finished (or stopped) search knows, assembled into a CheckResult by `finishResult`. */
export interface SearchEnd {
  readonly stop: Status | null;
  readonly incompleteReason?: string;
  readonly stats: Stats;
  readonly violations: Violation[];
  readonly witnessed: readonly (readonly number[] | null)[];
  readonly error?: EvalError;
  /** Times each action instance fired. */
  readonly fired: Float64Array;
}

/**
 * The CheckResult of a search: status, coverage per family, witnesses. Shared with checkParallel.
 * Each counterexample and witness is first replayed from Init (`confirm`): one that does not
 * replay as the search saw it turns the result into an evaluation error naming the culprit.
 */
export function finishResult<S>(m: CompiledModel<S>, e: SearchEnd, confirm: Confirm): CheckResult {
  const stats = e.stats;
  let error = e.error;
  const unconfirmed = (path: readonly number[], claim: Parameters<Confirm>[1]): boolean => {
    const why = confirm(path, claim);
    if (why === null) return false;
    if (error === undefined) {
      const inst = why.step > 0 ? m.instances[path[why.step]] : undefined;
      error = { message: why.message, path: path.slice(0, Math.max(1, why.step)), action: inst ? formatAction(inst) : undefined };
    }
    return true;
  };
  const violations = e.violations.filter((v) => !unconfirmed(v.path, v));
  const witnessed = e.witnessed.map((w, i) => (w !== null && unconfirmed(w, { kind: 'sometimes', property: m.sometimes[i].name }) ? null : w));
  // A search stopped by an invariant violation has reached the violating state's level. (An
  // action property's trace may end in an old state: its length says nothing of the levels.)
  for (const v of violations) if (v.kind === 'invariant' && v.length > stats.depth) stats.depth = v.length;
  const coverage: Coverage[] = m.families.map((f) => {
    let total = 0;
    const never: string[] = [];
    for (let i = f.first; i < f.first + f.count; i++) {
      total += e.fired[i];
      if (e.fired[i] === 0) never.push(formatAction(m.instances[i]));
    }
    return { family: f.name, fired: total, instances: f.count, neverEnabled: never };
  });
  let status: Status = error !== undefined ? 'error' : (e.stop ?? 'ok');
  if (status === 'ok' && violations.length > 0) {
    status = violations.some((v) => v.kind !== 'deadlock') ? 'violation' : 'deadlock';
  }
  return {
    status,
    incompleteReason: status === 'incomplete' ? e.incompleteReason : undefined,
    stats,
    violations,
    sometimes: m.sometimes.map((p, i) => ({ property: p.name, witness: witnessed[i] })),
    error,
    coverage,
  };
}

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

  const pathOf = (id: number, ai: number): number[] => (id === NO_PARENT ? [ai] : ai < 0 ? store.pathTo(id) : [...store.pathTo(id), ai]);

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
        const path = pathOf(id, ai);
        violations.push({ kind, property, reason, path, length: path.length });
        if (opts.continue) return false;
        stop = kind === 'deadlock' ? 'deadlock' : 'violation';
        return true;
      },
      witness(index: number, id: number): void {
        witnessed[index] = store.pathTo(id);
      },
      fail(message: string, id: number, isNew: boolean, inst: Instance<S> | undefined, ai: number): void {
        fail(message, isNew ? store.pathTo(id) : pathOf(id, ai), inst);
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
        if (Date.now() >= nextYield) {
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
          if (Date.now() >= nextYield) {
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

  function tick(): boolean {
    const now = Date.now();
    let why: string | null = null;
    if (now >= deadline) why = '--timeout reached';
    else if (opts.signal?.aborted) why = `interrupted${opts.signal.reason !== undefined ? ` (${String(opts.signal.reason)})` : ''}`;
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
