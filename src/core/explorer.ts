/**
 * The explorer: exhaustive, level-synchronous breadth-first search.
 *
 * Every state of level d is expanded before any of level d+1, and properties are checked when a
 * state is discovered, so the first violation found is at minimal depth and its path (rebuilt
 * from parent links) is a shortest counterexample.
 *
 * The inner loop is the hottest code of the project. Per transition it: applies the action,
 * fingerprints the successor (incrementally for a `change(s)`), probes the fingerprint table,
 * and only for a new state builds it, checks it and queues it.
 */
import { applyToSlots, Change, changeFingerprint, isChange, restoreSlots, touched } from './change.js';
import { finishSlots, Shape } from './codec.js';
import { KripkeError, messageOf } from './errors.js';
import { fingerprintInto } from './hash.js';
import { formatAction, type CompiledModel, type Instance } from './model.js';
import { Frontier, StateStore, NO_PARENT } from './store.js';
import type { Verdict } from './spec.js';
import { findMutable } from './values.js';

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

export type PropertyKind = 'invariant' | 'action' | 'deadlock';

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

export function isFailure(v: Verdict): boolean {
  return v === false || (typeof v === 'object' && v !== null && v.violated === true);
}

export function reasonOf(v: Verdict): string | undefined {
  return typeof v === 'object' && v !== null ? v.reason : undefined;
}

/**
 * When fingerprinting a successor failed: the path of the mutable value the action wrote, if that
 * was the cause (a plain object, array or function cannot be fingerprinted).
 */
function mutableResult<S>(inst: Instance<S>, s: S): string | null {
  try {
    const r = inst.apply(s, inst.params);
    if (!isChange(r)) return findMutable(r, 'state');
    for (const w of (r as Change<unknown>).writes()) {
      const bad = findMutable(w.value, 'state' + w.path.map((k) => (typeof k === 'string' ? `.${k}` : `[${String(k)}]`)).join(''));
      if (bad) return bad;
    }
  } catch {
    // the action throws on re-execution: report the original error
  }
  return null;
}

/** How many materialised successors per family are deep-checked for mutable values. */
export const MUTABILITY_SAMPLES = 64;

/** Salt that separates tree fingerprints (states that do not fit the codec) from slot ones. */
const TREE_SALT_A = 0x6a09e667;
const TREE_SALT_B = 0x3c6ef372;

/** Fingerprint of a state object: codec scheme if it fits the shape (encoding it into `wb`). */
function fingerprintState(s: unknown, shape: Shape | null, wb: Uint8Array, fp: Int32Array): boolean {
  if (shape !== null && shape.encode(s, wb, 0)) {
    shape.sums(wb, 0, fp);
    finishSlots(fp[0], fp[1], shape.W, fp);
    return true;
  }
  fingerprintInto(s, fp);
  fp[0] ^= TREE_SALT_A;
  fp[1] ^= TREE_SALT_B;
  return false;
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
  const instances = m.instances;
  const nInst = instances.length;
  const fired = new Float64Array(nInst);
  const sampled = new Uint32Array(m.families.length);
  const invariants = m.invariants;
  const nInv = invariants.length;
  const constraints = m.constraints;
  const actionProps = m.actionProperties;
  const sometimes = m.sometimes;
  const witnessed: (readonly number[] | null)[] = sometimes.map(() => null);
  let witnessesLeft = sometimes.length;
  // Families whose transitions must be materialised even when the target was seen.
  const needsTarget = new Uint8Array(m.families.length);
  for (const p of actionProps) for (const f of p.families) needsTarget[f] = 1;

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

  let generated = 0;
  let depth = 0;
  let queued = 0;
  let stop: Status | null = null;
  let incompleteReason: string | undefined;
  let error: EvalError | undefined;

  const fp = new Int32Array(2);

  const stats = (): Stats => {
    const n = store.size;
    const rss = process.memoryUsage.rss();
    if (rss > peakRss) peakRss = rss;
    return {
      generated,
      distinct: n,
      depth,
      queue: queued,
      elapsedMs: Date.now() - t0,
      peakRssBytes: peakRss,
      storeBytes: store.bytes,
      collisionProbability: (n * Math.max(0, generated + m.inits.length - n)) / 2 ** 64,
    };
  };

  /** Records a violation; returns true if the search must stop. */
  const report = (kind: Violation['kind'], property: string, reason: string | undefined, id: number): boolean => {
    if (violatedProps.has(property)) return false;
    violatedProps.add(property);
    const path = store.pathTo(id);
    violations.push({ kind, property, reason, path, length: path.length });
    if (!opts.continue) {
      stop = kind === 'deadlock' ? 'deadlock' : 'violation';
      return true;
    }
    return false;
  };

  /** Checks a newly discovered state; returns true if the search must stop. */
  const checkState = (s: S, id: number): boolean => {
    for (let i = 0; i < nInv; i++) {
      const inv = invariants[i];
      if (violatedProps.has(inv.name)) continue;
      const v = inv.check(s);
      if (v !== true && isFailure(v) && report('invariant', inv.name, reasonOf(v), id)) return true;
    }
    if (witnessesLeft > 0) {
      for (let i = 0; i < sometimes.length; i++) {
        if (witnessed[i] === null && !isFailure(sometimes[i].check(s))) {
          witnessed[i] = store.pathTo(id);
          witnessesLeft--;
        }
      }
    }
    return false;
  };

  /** Checks a state, turning a throw into an error; returns true if the search must stop. */
  const checkOrFail = (s: S, id: number): boolean => {
    try {
      return checkState(s, id);
    } catch (e) {
      fail(`a property threw: ${messageOf(e)}`, id);
      return true;
    }
  };

  const fail = (message: string, id: number, inst?: Instance<S>): void => {
    error = { message, path: id === NO_PARENT ? [] : store.pathTo(id), action: inst ? formatAction(inst) : undefined };
    stop = 'error';
  };

  let level = new Frontier(W);

  // ---- Init ----
  for (let i = 0; i < m.inits.length && stop === null; i++) {
    const s = m.inits[i];
    const fits = fingerprintState(s, shape, wb, fp);
    const id = store.insert(fp[0], fp[1], NO_PARENT, i);
    if (id < 0) continue;
    try {
      if (checkState(s, id)) break;
    } catch (e) {
      fail(`property threw on an initial state: ${messageOf(e)}`, id);
      break;
    }
    if (fits) level.pushBytes(wb, id);
    else level.pushObj(s, id);
  }
  depth = 1;
  queued = level.size;

  let next = new Frontier(W);

  /**
   * Expands state `s` (id `sid`), whose bytes are in `pb` when `encoded`. Returns false to stop.
   */
  const expand = (s: S, sid: number, encoded: boolean): boolean => {
    let cur: Instance<S> | undefined;
    try {
      for (let c = 0; c < constraints.length; c++) if (!constraints[c].check(s)) return true;
      let psa = 0;
      let psb = 0;
      if (encoded) {
        shape!.sums(pb, 0, fp);
        psa = fp[0];
        psb = fp[1];
      }
      let enabled = false;
      for (let ai = 0; ai < nInst; ai++) {
        const inst = instances[ai];
        cur = inst;
        const r = inst.apply(s, inst.params);
        if (r === null || r === undefined || r === false) continue;
        enabled = true;
        generated++;
        fired[ai]++;
        const fam = inst.family.index;
        let t: S | undefined;
        let fits = false;
        if (encoded && r instanceof Change && r.base === s) {
          fits = applyToSlots(r, shape!, wb, psa, psb, fp);
          if (fits) finishSlots(fp[0], fp[1], W, fp);
          else restoreSlots(wb, pb);
        }
        if (!fits) {
          try {
            if (shape === null && isChange(r)) {
              t = changeFingerprint(r as Change<unknown>, fp) as S | undefined;
              fp[0] ^= TREE_SALT_A;
              fp[1] ^= TREE_SALT_B;
            } else {
              t = isChange(r) ? (r as Change<S>).materialize() : (r as S);
              fits = fingerprintState(t, shape, wb, fp);
              if (!fits && encoded) wb.set(pb);
            }
          } catch (e) {
            // A value that cannot be fingerprinted: say which mutable value it is, if it is one.
            const bad = findMutable(isChange(r) ? (r as Change<S>).materialize() : r, 'state');
            if (bad) {
              fail(`action ${formatAction(inst)} produced a mutable value: ${bad}`, sid, inst);
              return false;
            }
            throw e;
          }
        }
        const tid = store.insert(fp[0], fp[1], sid, ai);
        if (tid < 0 && needsTarget[fam] === 0) {
          if (fits) restore(encoded);
          continue;
        }
        if (tid >= 0 && !fits) {
          if (t === undefined) t = (r as Change<S>).materialize();
          if (sampled[fam] < MUTABILITY_SAMPLES) {
            sampled[fam]++;
            const bad = findMutable(t, 'state');
            if (bad) {
              fail(`action ${formatAction(inst)} produced a mutable value: ${bad}`, sid, inst);
              return false;
            }
          }
        }
        if (needsTarget[fam] === 1) {
          if (t === undefined) t = isChange(r) ? (r as Change<S>).materialize() : (r as S);
          for (const p of actionProps) {
            if (!p.families.has(fam) || violatedProps.has(p.name)) continue;
            const v = p.check(s, inst, t);
            if (v !== true && isFailure(v)) {
              // The transition's target may be an old state: record the path through `sid`.
              const path = [...store.pathTo(sid), ai];
              violatedProps.add(p.name);
              violations.push({ kind: 'action', property: p.name, reason: reasonOf(v), path, length: path.length });
              if (!opts.continue) {
                stop = 'violation';
                return false;
              }
            }
          }
          if (tid < 0) {
            if (fits) restore(encoded);
            continue;
          }
        }
        // A new state: check it now (so the first violation found is at minimal depth), queue it.
        if (fits && t === undefined) t = shape!.decode(wb, 0) as S;
        cur = undefined;
        if (checkOrFail(t!, tid)) return false;
        if (fits) {
          next.pushBytes(wb, tid);
          restore(encoded);
        } else {
          next.pushObj(t, tid);
        }
        queued++;
        if (store.size >= maxStates) {
          stop = 'incomplete';
          incompleteReason = `--max-states ${maxStates} reached`;
          return false;
        }
      }
      cur = undefined;
      if (!enabled && m.deadlock && report('deadlock', 'Deadlock', 'no action is enabled', sid)) return false;
    } catch (e) {
      if (e instanceof KripkeError) throw e;
      const what = cur ? `action ${formatAction(cur)} threw` : 'a property or constraint threw';
      fail(`${what}: ${messageOf(e)}`, sid, cur);
      return false;
    }
    return true;
  };

  /** After a successor was queued or dropped: `wb` back to the parent's bytes. */
  const restore = (encoded: boolean): void => {
    if (encoded && touched.n > 0) restoreSlots(wb, pb);
    else if (encoded) wb.set(pb);
  };

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
