/**
 * State expansion: the inner loop of the search, shared by `check` (explorer.ts) and the
 * parallel workers (worker.ts).
 *
 * The inner loop is the hottest code of the project. Per transition it: applies the action,
 * fingerprints the successor (incrementally for a `change(s)`), probes the fingerprint table,
 * and only for a new state builds it, checks it and queues it. What differs between the two
 * callers (where a new state is recorded and queued, how violations, witnesses and errors are
 * reported) is a `Visited` and a `Sink`. A thread only ever runs one kind of each (the main
 * thread the explorer's, a worker thread the worker's), so every call below stays monomorphic.
 */
import { applyToSlots, Change, changeFingerprint, isChange, restoreSlots, touched } from './change.js';
import { finishSlots, Shape } from './codec.js';
import { messageOf } from './errors.js';
import { fingerprintInto } from './hash.js';
import { formatAction, type CompiledModel, type Instance } from './model.js';
import type { Verdict } from './spec.js';
import { findMutable } from './values.js';

export type PropertyKind = 'invariant' | 'action' | 'deadlock';

export function isFailure(v: Verdict): boolean {
  return v === false || (typeof v === 'object' && v !== null && v.violated === true);
}

export function reasonOf(v: Verdict): string | undefined {
  return typeof v === 'object' && v !== null ? v.reason : undefined;
}

/** How many materialised successors per family are deep-checked for mutable values. */
export const MUTABILITY_SAMPLES = 64;

/** Salt that separates tree fingerprints (states that do not fit the codec) from slot ones. */
const TREE_SALT_A = 0x6a09e667;
const TREE_SALT_B = 0x3c6ef372;

/** Fingerprint of a state object: codec scheme if it fits the shape (encoding it into `wb`). */
export function fingerprintState(s: unknown, shape: Shape | null, wb: Uint8Array, fp: Int32Array): boolean {
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

/** The set of seen states (the explorer's StateStore, a worker's shared table). */
export interface Visited {
  /**
   * Records the successor with fingerprint (hi, lo), reached from `parent` by action `action`
   * (its bytes in the expander's `wb` if it fits the shape). Returns its id if it is new, else -1.
   */
  insert(hi: number, lo: number, parent: number, action: number): number;
}

/** Where an expansion sends what it finds. Ids are those `Visited.insert` gave (or the caller's). */
export interface Sink<S> {
  /** New state `id` passed its checks: queue it (`t`, or the bytes in `wb` if `fits`). False to stop. */
  queue(t: S | undefined, id: number, fits: boolean): boolean;
  /**
   * First violation of `property` (already added to the violated set). `id`: the state concerned
   * (for 'action' the expanded state, `ai` the action; else `ai` is -1). True if the search stops.
   */
  violation(kind: PropertyKind, property: string, reason: string | undefined, id: number, ai: number): boolean;
  /** First witness of `sometimes` property `index`, at state `id`. */
  witness(index: number, id: number): void;
  /**
   * An error on state `id` (a new state if `isNew`, else the expanded one); the search stops.
   * `cause` is what was thrown, if anything.
   */
  fail(message: string, id: number, isNew: boolean, inst: Instance<S> | undefined, cause: unknown): void;
  /** A successor by `inst` does not fit the shape: true to go on with a tree fingerprint, false to stop. */
  misfit(inst: Instance<S>): boolean;
}

/** An expander: `expand` one state, `checkNew` a state discovered elsewhere (Init). */
export interface Expander<S> {
  /** Expands state `s` (id `sid`), whose bytes are in `pb` and `wb` when `encoded`. False to stop. */
  expand(s: S, sid: number, encoded: boolean): boolean;
  /** Checks invariants and `sometimes` on new state `id`; true if the search must stop. May throw. */
  checkNew(s: S, id: number): boolean;
  /** Transitions generated so far. */
  readonly generated: number;
}

/**
 * Makes the expander of a run. `wb`/`pb` are the working and parent bytes (shape.W long),
 * `fp` the fingerprint out-pair, `fired` counts firings per action instance, `violated` holds
 * the properties already violated, `found[i]` whether `sometimes` property i has a witness.
 */
export function expander<S>(
  m: CompiledModel<S>,
  shape: Shape | null,
  visited: Visited,
  sink: Sink<S>,
  wb: Uint8Array,
  pb: Uint8Array,
  fp: Int32Array,
  fired: Float64Array,
  violated: Set<string>,
  found: boolean[],
): Expander<S> {
  const instances = m.instances;
  const nInst = instances.length;
  const invariants = m.invariants;
  const nInv = invariants.length;
  const constraints = m.constraints;
  const actionProps = m.actionProperties;
  const sometimes = m.sometimes;
  const deadlock = m.deadlock;
  const W = shape ? shape.W : 0;
  const sampled = new Uint32Array(m.families.length);
  // Families whose transitions must be materialised even when the target was seen.
  const needsTarget = new Uint8Array(m.families.length);
  for (const p of actionProps) for (const f of p.families) needsTarget[f] = 1;
  let witnessesLeft = 0;
  for (const f of found) if (!f) witnessesLeft++;
  let generated = 0;

  const checkNew = (s: S, id: number): boolean => {
    for (let i = 0; i < nInv; i++) {
      const inv = invariants[i];
      if (violated.has(inv.name)) continue;
      const v = inv.check(s);
      if (v !== true && isFailure(v)) {
        violated.add(inv.name);
        if (sink.violation('invariant', inv.name, reasonOf(v), id, -1)) return true;
      }
    }
    if (witnessesLeft > 0) {
      for (let i = 0; i < sometimes.length; i++) {
        if (!found[i] && !isFailure(sometimes[i].check(s))) {
          found[i] = true;
          witnessesLeft--;
          sink.witness(i, id);
        }
      }
    }
    return false;
  };

  /** Checks a new state, turning a throw into an error; returns true if the search must stop. */
  const checkOrFail = (s: S, id: number): boolean => {
    try {
      return checkNew(s, id);
    } catch (e) {
      sink.fail(`a property threw: ${messageOf(e)}`, id, true, undefined, undefined);
      return true;
    }
  };

  /** After a successor was queued or dropped: `wb` back to the parent's bytes. */
  const restore = (encoded: boolean): void => {
    if (encoded && touched.n > 0) restoreSlots(wb, pb);
    else if (encoded) wb.set(pb);
  };

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
              if (shape !== null && shape.encode(t, wb, 0)) {
                shape.sums(wb, 0, fp);
                finishSlots(fp[0], fp[1], W, fp);
                fits = true;
              } else {
                if (!sink.misfit(inst)) return false;
                fingerprintInto(t, fp);
                fp[0] ^= TREE_SALT_A;
                fp[1] ^= TREE_SALT_B;
                if (encoded) wb.set(pb);
              }
            }
          } catch (e) {
            // A value that cannot be fingerprinted: say which mutable value it is, if it is one.
            const bad = findMutable(isChange(r) ? (r as Change<S>).materialize() : r, 'state');
            if (bad) {
              sink.fail(`action ${formatAction(inst)} produced a mutable value: ${bad}`, sid, false, inst, undefined);
              return false;
            }
            throw e;
          }
        }
        const tid = visited.insert(fp[0], fp[1], sid, ai);
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
              sink.fail(`action ${formatAction(inst)} produced a mutable value: ${bad}`, sid, false, inst, undefined);
              return false;
            }
          }
        }
        if (needsTarget[fam] === 1) {
          if (t === undefined) t = isChange(r) ? (r as Change<S>).materialize() : (r as S);
          for (const p of actionProps) {
            if (!p.families.has(fam) || violated.has(p.name)) continue;
            const v = p.check(s, inst, t);
            if (v !== true && isFailure(v)) {
              // The transition's target may be an old state: the violation is reported at `sid`.
              violated.add(p.name);
              if (sink.violation('action', p.name, reasonOf(v), sid, ai)) return false;
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
        if (!sink.queue(t, tid, fits)) return false;
        if (fits) restore(encoded);
      }
      cur = undefined;
      if (!enabled && deadlock && !violated.has('Deadlock')) {
        violated.add('Deadlock');
        if (sink.violation('deadlock', 'Deadlock', 'no action is enabled', sid, -1)) return false;
      }
    } catch (e) {
      const what = cur ? `action ${formatAction(cur)} threw` : 'a property or constraint threw';
      sink.fail(`${what}: ${messageOf(e)}`, sid, false, cur, e);
      return false;
    }
    return true;
  };

  return {
    expand,
    checkNew,
    get generated() {
      return generated;
    },
  };
}
