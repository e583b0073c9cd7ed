/**
 * What a search is asked (limits, callbacks) and what it answers: statistics, violations,
 * witnesses, errors, coverage; and `finishResult`, which turns a finished or stopped search into
 * its result (shared by `check` and `checkParallel`), confirming each counterexample first.
 */
import type { Confirm } from './confirm.js';
import type { PropertyKind } from './expand.js';
import { formatAction, type CompiledModel } from './model.js';

export type { PropertyKind } from './expand.js';

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
  /**
   * Symmetry reduction over the spec's declared symmetric sets: one state per orbit. 'sort'
   * canonicalises by sorting values by signature (exact: ties are enumerated), 'exhaustive' by
   * trying every permutation. Traces stay real paths of the unreduced system.
   */
  readonly symmetry?: 'sort' | 'exhaustive';
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


/** A search's statistics, with TLC's collision estimate n*(g-n)/2^64 (g counts the initial states). */
/** Statistics; `started` is the search's start, a `performance.now()` time (sub-millisecond: a tiny search still has a rate). */
export function statsOf(generated: number, distinct: number, depth: number, queue: number, started: number, peakRssBytes: number, storeBytes: number, inits: number): Stats {
  return {
    generated,
    distinct,
    depth,
    queue,
    elapsedMs: performance.now() - started,
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
  const coverage = coverageOf(m, e.fired);
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


/** Per action family: times its instances fired (`fired`: per instance), and those that never did. */
export function coverageOf<S>(m: CompiledModel<S>, fired: Float64Array): Coverage[] {
  return m.families.map((f) => {
    let total = 0;
    const never: string[] = [];
    for (let i = f.first; i < f.first + f.count; i++) {
      total += fired[i];
      if (fired[i] === 0) never.push(formatAction(m.instances[i]));
    }
    return { family: f.name, fired: total, instances: f.count, neverEnabled: never };
  });
}

/** The incomplete-reason of a search stopped by `signal` (`interrupted (SIGINT)`). */
export function interrupted(signal: AbortSignal): string {
  return `interrupted${signal.reason !== undefined ? ` (${String(signal.reason)})` : ''}`;
}
