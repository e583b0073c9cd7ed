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
import { KripkeError, messageOf } from './errors.js';
import { expander, fingerprintState, type PropertyKind } from './expand.js';
import { formatAction, type CompiledModel, type Instance } from './model.js';
import { Frontier, StateStore, NO_PARENT } from './store.js';

/** Limits and callbacks of a run. */
export interface CheckOptions {
  /** Stop after this many distinct states. */
  readonly maxStates?: number;
  /** Do not expand states at this depth (Init is depth 1, as TLC counts). */
  readonly maxDepth?: number;
  /** Stop after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Keep going after a violation, collecting the first one of each property. */
  readonly continue?: boolean;
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
}

export { isFailure, MUTABILITY_SAMPLES, reasonOf } from './expand.js';

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

/** The CheckResult of a search: status, coverage per family, witnesses. Shared with checkParallel. */
export function finishResult<S>(m: CompiledModel<S>, e: SearchEnd): CheckResult {
  const stats = e.stats;
  // A search stopped by an invariant violation has reached the violating state's level. (An
  // action property's trace may end in an old state: its length says nothing of the levels.)
  for (const v of e.violations) if (v.kind === 'invariant' && v.length > stats.depth) stats.depth = v.length;
  const coverage: Coverage[] = m.families.map((f) => {
    let total = 0;
    const never: string[] = [];
    for (let i = f.first; i < f.first + f.count; i++) {
      total += e.fired[i];
      if (e.fired[i] === 0) never.push(formatAction(m.instances[i]));
    }
    return { family: f.name, fired: total, instances: f.count, neverEnabled: never };
  });
  let status: Status = e.stop ?? 'ok';
  if (e.stop === null && e.violations.length > 0) {
    status = e.violations.some((v) => v.kind !== 'deadlock') ? 'violation' : 'deadlock';
  }
  return {
    status,
    incompleteReason: e.incompleteReason,
    stats,
    violations: e.violations,
    sometimes: m.sometimes.map((p, i) => ({ property: p.name, witness: e.witnessed[i] })),
    error: e.error,
    coverage,
  };
}

/** Runs the model checker. */
export function check<S>(m: CompiledModel<S>, opts: CheckOptions = {}): CheckResult {
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
  let peakRss = process.memoryUsage.rss();

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

  const stats = (): Stats => {
    const rss = process.memoryUsage.rss();
    if (rss > peakRss) peakRss = rss;
    return statsOf(x.generated, store.size, depth, queued, t0, peakRss, store.bytes, m.inits.length);
  };

  const fail = (message: string, id: number, inst?: Instance<S>): void => {
    error = { message, path: id === NO_PARENT ? [] : store.pathTo(id), action: inst ? formatAction(inst) : undefined };
    stop = 'error';
  };

  let level = new Frontier(W);
  let next = new Frontier(W);

  // What the expander finds goes to the store, the next frontier and this run's record.
  const x = expander<S>(
    m,
    shape,
    store,
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
        // An action property's transition may end in an old state: its path goes through `id`.
        const path = ai < 0 ? store.pathTo(id) : [...store.pathTo(id), ai];
        violations.push({ kind, property, reason, path, length: path.length });
        if (opts.continue) return false;
        stop = kind === 'deadlock' ? 'deadlock' : 'violation';
        return true;
      },
      witness(index: number, id: number): void {
        witnessed[index] = store.pathTo(id);
      },
      fail(message: string, id: number, _isNew: boolean, inst: Instance<S> | undefined, cause: unknown): void {
        if (cause instanceof KripkeError) throw cause;
        fail(message, id, inst);
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

  // ---- Init ----
  for (let i = 0; i < m.inits.length && stop === null; i++) {
    const s = m.inits[i];
    const fits = fingerprintState(s, shape, wb, fp);
    const id = store.insert(fp[0], fp[1], NO_PARENT, i);
    if (id < 0) continue;
    try {
      if (x.checkNew(s, id)) break;
    } catch (e) {
      fail(`property threw on an initial state: ${messageOf(e)}`, id);
      break;
    }
    if (fits) level.pushBytes(wb, id);
    else level.pushObj(s, id);
  }
  depth = 1;
  queued = level.size;

  const expand = x.expand;

  // ---- BFS, level by level ----
  outer: while (stop === null && level.size > 0) {
    if (depth >= maxDepth) {
      stop = 'incomplete';
      incompleteReason = `--max-depth ${maxDepth} reached`;
      break;
    }
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
      if (!expand(s, sid, true)) {
        k++;
        break;
      }
      if ((k & 1023) === 0) {
        if ((k & 0x7fff) === 0) level.release(k);
        if (tick()) {
          k++;
          break;
        }
      }
    }
    if (stop === null) {
      for (; o < level.objs.length; o++) {
        const s = level.objs[o] as S;
        const sid = level.objIds[o];
        level.objs[o] = undefined; // let the state be collected once expanded
        queued--;
        if (!expand(s, sid, false)) {
          o++;
          break;
        }
        if ((o & 1023) === 0 && tick()) {
          o++;
          break;
        }
      }
    }
    if (stop !== null) break;
    level = next;
    if (level.size > 0) depth++;
  }

  function tick(): boolean {
    const now = Date.now();
    if (now >= deadline) {
      stop = 'incomplete';
      incompleteReason = `--timeout reached`;
      return true;
    }
    if (opts.onProgress && now >= nextProgress) {
      nextProgress = now + interval;
      opts.onProgress(stats());
    }
    return false;
  }

  return finishResult(m, { stop, incompleteReason, stats: stats(), violations, witnessed, error, fired });
}
