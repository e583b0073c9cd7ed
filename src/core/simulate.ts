/**
 * Simulation (`kripke simulate`): random walks from Init, for configurations too big to explore.
 * Each walk starts at a random initial state and takes up to `depth` steps, each to a successor
 * chosen uniformly among the enabled ones; every state on it is judged by the invariants, and
 * every enabled transition of a family with action properties is judged too (taken or not), so a
 * harmful step one move away is seen. A walk ends at its depth, at a state with nothing enabled
 * (a deadlock, if the spec checks for it) or at a state outside the constraints.
 *
 * Deterministic: walk r draws from a generator seeded by (seed, r), so a seed and a run count give
 * the same walks, the same first violation and, shrunk (shrink.ts), the same trace. The first
 * violation found stops the search (as TLC's simulation mode). An initial state outside the
 * constraints is checked and not walked from, as the BFS does.
 */
import type { CompiledModel } from './model.js';
import { plainRep } from './plain-rep.js';
import { FingerprintSet } from './store.js';
import { KripkeError, messageOf } from './errors.js';
import { isChange } from './change.js';
import { judge, type Finding } from './walk.js';
import { runToEnd, runWithTurns } from './turns.js';

export interface SimulateOptions {
  /** The seed of the walks (default 0). */
  readonly seed?: number;
  /** The most actions a walk takes (default 100, TLC's default -depth). */
  readonly depth?: number;
  /** How many walks (default: until `timeoutMs`, or 10,000 walks without it). */
  readonly runs?: number;
  readonly timeoutMs?: number;
  /** Aborting it stops at the next step (status 'incomplete'). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (s: SimStats) => void;
  readonly progressIntervalMs?: number;
  /**
   * This thread's share of the walks (a worker's): walks start, start + stride, ...; `best`
   * (shared) holds the lowest walk index that found a violation so far, so no thread walks past it.
   */
  readonly share?: { readonly start: number; readonly stride: number; readonly best?: Int32Array };
}

export interface SimStats {
  /** Walks started. */
  runs: number;
  /** Actions taken, over all walks. */
  steps: number;
  /** Distinct states visited (by fingerprint). */
  distinct: number;
  /** Walks that ended at a state with no action enabled (deadlock checking off). */
  deadEnds: number;
  elapsedMs: number;
}

export interface SimResult {
  readonly status: 'ok' | 'violation' | 'error' | 'incomplete';
  readonly seed: number;
  readonly depth: number;
  readonly stats: SimStats;
  /** Times each action instance was taken (the coverage of the walks). */
  readonly fired: Float64Array;
  /** The first violation and the walk (run index) that found it, unshrunk. */
  readonly found?: { readonly finding: Finding; readonly run: number };
  /** An action or property that threw, on walk `run`. */
  readonly error?: { readonly message: string; readonly path: readonly number[]; readonly run: number };
  readonly incompleteReason?: string;
  /** The fingerprints of the states seen (to merge the threads' counts). */
  readonly seen?: FingerprintSet;
  /** Worker threads that walked (1: this thread). */
  readonly threads?: number;
}

export const DEFAULT_DEPTH = 100;
export const DEFAULT_RUNS = 10_000;

/** A 32-bit hash of two numbers (murmur3's finaliser over their mix): walk r's seed. */
export function mixSeed(seed: number, r: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(r + 0x6d2b79f5, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32: a small, fast 32-bit generator; `next(n)` is uniform in 0..n-1. */
export function generator(seed: number) {
  let a = seed >>> 0;
  const u32 = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return { next: (n: number) => Math.floor((u32() / 0x100000000) * n) };
}

/** Simulates in this thread, giving the event loop a turn about every 50 ms (signals, timers). */
export async function simulate<S>(m: CompiledModel<S>, opts: SimulateOptions = {}): Promise<SimResult> {
  return runWithTurns(walks(m, opts));
}

/** Simulates to the end in this thread (no turns for the event loop). */
export function simulateSync<S>(m: CompiledModel<S>, opts: SimulateOptions = {}): SimResult {
  return runToEnd(walks(m, opts));
}

function* walks<S>(m: CompiledModel<S>, opts: SimulateOptions): Generator<void, SimResult> {
  const seed = (opts.seed ?? 0) >>> 0;
  const depth = opts.depth ?? DEFAULT_DEPTH;
  const runs = opts.runs ?? (opts.timeoutMs === undefined ? DEFAULT_RUNS : Infinity);
  const t0 = performance.now();
  const deadline = opts.timeoutMs === undefined ? Infinity : t0 + opts.timeoutMs;
  const j = judge(m);
  const rep = plainRep<S>(m.notes);
  const seen = new FingerprintSet();
  const fp = new Int32Array(2);
  const fired = new Float64Array(m.instances.length);
  const stats: SimStats = { runs: 0, steps: 0, distinct: 0, deadEnds: 0, elapsedMs: 0 };
  const n = m.instances.length;
  const enabled: number[] = [];
  const results: unknown[] = [];
  const visit = (s: S) => {
    rep.fingerprintOf(s, fp);
    rep.done();
    seen.add(fp[0], fp[1]);
  };
  const interval = opts.progressIntervalMs ?? 2000;
  let nextProgress = t0 + interval;
  let nextYield = t0 + 50;
  const share = opts.share ?? { start: 0, stride: 1 };
  const best = share.best;
  const result = (status: SimResult['status'], extra: Partial<SimResult> = {}): SimResult => {
    stats.distinct = seen.size;
    stats.elapsedMs = performance.now() - t0;
    const at = extra.found?.run ?? extra.error?.run;
    if (at !== undefined && best) {
      // the lowest walk index that found something (a violation or an error), over every thread
      for (let b = Atomics.load(best, 0); at < b; b = Atomics.load(best, 0)) {
        if (Atomics.compareExchange(best, 0, b, at) === b) break;
      }
    }
    return { status, seed, depth, stats, fired, seen, ...extra };
  };
  let path: number[] = [];
  let run = 0;
  try {
    for (let r = share.start; r < runs; r += share.stride) {
      run = r;
      if (best && r > Atomics.load(best, 0)) break; // another thread found one in an earlier walk
      const rng = generator(mixSeed(seed, r));
      stats.runs++;
      const init = rng.next(m.inits.length);
      let s = m.inits[init];
      path = [init];
      visit(s);
      const f0 = j.state(s, path);
      if (f0) return result('violation', { found: { finding: f0, run: r } });
      // an initial state outside the constraints is checked, not walked from (as the BFS does)
      const walkable = j.inside(s);
      for (let d = 0; walkable && d < depth; d++) {
        // a long walk still sees the deadline and the signal, and gives the event loop its turns
        if ((d & 63) === 63) {
          const now = performance.now();
          if (now >= deadline) return result('ok', { incompleteReason: `--timeout reached in walk ${r + 1}` });
          if (now >= nextYield) {
            yield;
            nextYield = performance.now() + 50;
          }
          if (opts.signal?.aborted) return result('incomplete', { incompleteReason: String(opts.signal.reason ?? 'interrupted') });
        }
        enabled.length = 0;
        results.length = 0;
        for (let ai = 0; ai < n; ai++) {
          const inst = m.instances[ai];
          let x: unknown;
          try {
            x = inst.apply(s, inst.params);
          } catch (e) {
            throw new KripkeError('eval', `action ${inst.name} threw: ${messageOf(e)}`);
          }
          if (x === null || x === undefined || x === false) continue;
          enabled.push(ai);
          results.push(x);
        }
        if (enabled.length === 0) {
          if (m.deadlock) return result('violation', { found: { finding: { kind: 'deadlock', property: 'Deadlock', reason: 'no action is enabled', path }, run: r } });
          stats.deadEnds++;
          break;
        }
        const built = (k: number): S => {
          const x = results[k];
          return (isChange(x) ? x.materialize() : x) as S;
        };
        // every enabled transition of a judged family is judged, taken or not
        for (let k = 0; k < enabled.length; k++) {
          if (!j.judged(enabled[k])) continue;
          const inst = m.instances[enabled[k]];
          const t = built(k);
          results[k] = t;
          const f = j.transition(s, inst, t, [...path, inst.index]);
          if (f) return result('violation', { found: { finding: f, run: r } });
        }
        const k = rng.next(enabled.length);
        const ai = enabled[k];
        const t = built(k);
        fired[ai]++;
        stats.steps++;
        path.push(ai);
        s = t;
        visit(s);
        const f = j.state(s, path);
        if (f) return result('violation', { found: { finding: f, run: r } });
        if (!j.inside(s)) break;
      }
      const now = performance.now();
      if (now >= deadline) return result('ok', { incompleteReason: `--timeout reached after ${stats.runs} walks` });
      if (opts.signal?.aborted) return result('incomplete', { incompleteReason: String(opts.signal.reason ?? 'interrupted') });
      if (opts.onProgress && now >= nextProgress) {
        stats.distinct = seen.size;
        stats.elapsedMs = now - t0;
        opts.onProgress({ ...stats });
        nextProgress = now + interval;
      }
      if (now >= nextYield) {
        yield;
        nextYield = performance.now() + 50;
      }
    }
  } catch (e) {
    return result('error', { error: { message: messageOf(e), path, run } });
  }
  return result('ok');
}
