/**
 * The bookkeeping of one search, shared by `check` (explorer.ts) and `checkParallel`
 * (parallel.ts): the state store's links, the record of violations, witnesses and errors, the
 * limits (timeout, depth, memory, abort signal), progress, Init, and the result.
 */
import { confirmer } from './confirm.js';
import { messageOf } from './errors.js';
import type { Expander, PropertyKind } from './expand.js';
import { memoryGuard } from './memory.js';
import { formatAction, type CompiledModel, type Instance } from './model.js';
import type { Rep } from './rep.js';
import { finishResult, interrupted, statsOf, type CheckOptions, type CheckResult, type EvalError, type Stats, type Status, type Violation } from './result.js';
import { NO_PARENT, StateStore } from './store.js';

export class Run<S> {
  readonly t0 = Date.now();
  /** The start again, for the elapsed time (sub-millisecond). */
  private readonly started = performance.now();
  readonly store: StateStore;
  readonly fired: Float64Array;
  readonly witnessed: (readonly number[] | null)[];
  readonly violations: Violation[] = [];
  /** Properties already violated (each is reported once). */
  readonly violated = new Set<string>();
  readonly maxDepth: number;
  readonly deadline: number;
  readonly memory;
  stop: Status | null = null;
  incompleteReason: string | undefined;
  error: EvalError | undefined;
  /** BFS levels reached, Init included. */
  depth = 0;
  /** States discovered, not yet expanded. */
  queued = 0;
  /** Transitions generated (the explorer's expander counts its own). */
  generated = 0;
  private nextProgress: number;

  constructor(
    readonly m: CompiledModel<S>,
    readonly opts: CheckOptions,
    storeCapacity?: number,
  ) {
    this.store = new StateStore(storeCapacity, Math.max(m.instances.length, m.inits.length));
    this.fired = new Float64Array(m.instances.length);
    this.witnessed = m.sometimes.map(() => null);
    this.maxDepth = opts.maxDepth ?? Infinity;
    this.deadline = opts.timeoutMs !== undefined ? this.t0 + opts.timeoutMs : Infinity;
    this.memory = memoryGuard(opts.memoryBudgetBytes);
    this.nextProgress = this.t0 + (opts.progressIntervalMs ?? 1000);
  }

  /** Records the first violation of `property` at `path`; true if the search stops. */
  violation(kind: PropertyKind, property: string, reason: string | undefined, path: number[]): boolean {
    this.violated.add(property);
    this.violations.push({ kind, property, reason, path, length: path.length });
    if (this.opts.continue) return false;
    this.stop = kind === 'deadlock' ? 'deadlock' : 'violation';
    return true;
  }

  /** Records the first witness of `sometimes` property `index`. */
  witness(index: number, path: number[]): void {
    this.witnessed[index] ??= path;
  }

  /** An error stops the search. */
  fail(message: string, path: number[], inst?: Instance<S> | string): void {
    this.error = { message, path, action: typeof inst === 'string' ? inst : inst ? formatAction(inst) : undefined };
    this.stop = 'error';
  }

  incomplete(why: string): void {
    this.stop = 'incomplete';
    this.incompleteReason = why;
  }

  /** Why the search must stop now (timeout, abort, memory; `tableBytes` held by fingerprints), or null. */
  halted(now: number, tableBytes: number): string | null {
    return now >= this.deadline ? '--timeout reached'
      : this.opts.signal?.aborted ? interrupted(this.opts.signal)
      : this.memory.check(now, tableBytes);
  }

  /** The depth limit's level was probed: incomplete if states lie beyond it. */
  probed(beyond: boolean): void {
    if (beyond && this.stop === null) this.incomplete(`--max-depth ${this.maxDepth} reached: there are states beyond depth ${this.maxDepth}`);
  }

  stats(peakRss: number, bytes: number): Stats {
    return statsOf(this.generated, this.store.size, this.depth, this.queued, this.started, peakRss, bytes, this.m.inits.length);
  }

  /** Calls the progress callback if its interval has passed. */
  progress(now: number, stats: () => Stats): void {
    if (this.opts.onProgress && now >= this.nextProgress) {
      this.nextProgress = now + (this.opts.progressIntervalMs ?? 1000);
      this.opts.onProgress(stats());
    }
  }

  /**
   * Init: each initial state is fingerprinted, checked, and, if it is inside the constraints and
   * `record` gives it an id (-1: a duplicate), queued into `level`.
   */
  init<L>(rep: Rep<S, L>, x: Expander<S>, level: L, record: (hi: number, lo: number, i: number) => number): void {
    const fp = new Int32Array(2);
    for (let i = 0; i < this.m.inits.length && this.stop === null; i++) {
      const s = this.m.inits[i];
      try {
        rep.fingerprintOf(s, fp);
        if (!x.inside(s)) {
          if (x.checkNew(s, NO_PARENT, i, false)) break;
          continue;
        }
        const id = record(fp[0], fp[1], i);
        if (id < 0) continue;
        if (x.checkNew(s, id)) break;
        rep.push(level, id, s);
      } catch (e) {
        this.fail(messageOf(e), [i]);
        break;
      } finally {
        rep.done();
      }
    }
    this.depth = rep.sizeOf(level) > 0 ? 1 : 0;
    this.queued = rep.sizeOf(level);
  }

  /** The result, each counterexample and witness confirmed by a replay through `rep`. */
  finish<L>(rep: Rep<S, L>, recorded: (hi: number, lo: number) => boolean, stats: Stats): CheckResult {
    const { stop, incompleteReason, violations, witnessed, error, fired } = this;
    return finishResult(this.m, { stop, incompleteReason, stats, violations, witnessed, error, fired }, confirmer(this.m, rep, recorded));
  }
}
