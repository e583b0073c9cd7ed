/**
 * The counterexample with the fewest interleavings (`check --minimise`): among the shortest
 * counterexamples of a property, one with the fewest switches between lanes (core/lane.ts: the
 * CPU, process or actor whose turn it is), which is what a reader wants to follow.
 *
 * Exact, by a second breadth-first pass over (state, lane of the last action) restricted to the
 * shortest length L: every state on a shortest counterexample is at BFS distance equal to its
 * index (a state reached later than its distance would give a shorter counterexample), so layer
 * d holds the states first discovered at depth d, each with the fewest switches it can be
 * reached with for every lane it can be reached in. The last layer is judged as the BFS judges
 * it (the invariant in the last state, the action property on the last transition, or no action
 * enabled); ties go to the first found in BFS order. Its cost is one BFS to depth L with up to
 * one entry per (state, lane).
 */
import { plainRep } from './plain-rep.js';
import type { CompiledModel } from './model.js';
import type { Violation } from './result.js';
import { laneOf } from './lane.js';
import { anyEnabled, judge, step } from './walk.js';
import { judgeClaim } from './claim.js';

export interface Minimised {
  /** The path with the fewest lane switches among the shortest counterexamples. */
  readonly path: readonly number[];
  /** The property's reason at the end of that path (its own last state or transition). */
  readonly reason?: string;
  readonly switches: number;
  /** The switches of the path given. */
  readonly given: number;
  /** (state, lane) entries the pass held, and its time. */
  readonly entries: number;
  readonly elapsedMs: number;
}

/** The lane switches along a path: consecutive actions in different lanes. */
export function switchesOf<S>(m: CompiledModel<S>, path: readonly number[]): number {
  let n = 0;
  for (let i = 2; i < path.length; i++) if (laneOf(m.instances[path[i]]) !== laneOf(m.instances[path[i - 1]])) n++;
  return n;
}

interface Entry<S> {
  readonly state: S;
  readonly lane: number;
  readonly switches: number;
  readonly parent: Entry<S> | null;
  readonly action: number;
  /** outside the constraints: judged, not expanded (as the BFS does) */
  readonly outside?: boolean;
}

/** The shortest counterexample of `v`'s property with the fewest lane switches (`v`: a BFS's, hence shortest). */
export function fewestInterleavings<S>(m: CompiledModel<S>, v: Violation): Minimised {
  const t0 = performance.now();
  const L = v.length;
  const lanes = new Map<string, number>();
  const laneIds = m.instances.map((inst) => {
    const l = laneOf(inst);
    if (!lanes.has(l)) lanes.set(l, lanes.size);
    return lanes.get(l)!;
  });
  const j = judge(m, v.kind === 'deadlock' ? undefined : v.property);
  const rep = plainRep<S>(m.notes);
  const fp = new Int32Array(2);
  const key = (s: S) => {
    rep.fingerprintOf(s, fp);
    rep.done();
    return `${fp[0]}:${fp[1]}`;
  };
  const NONE = -1;
  const seen = new Set<string>();
  let layer = new Map<string, Map<number, Entry<S>>>();
  m.inits.forEach((s, i) => {
    const k = key(s);
    if (seen.has(k)) return;
    seen.add(k);
    // an initial state outside the constraints is judged, never expanded (as the BFS does)
    const outside = !j.inside(s);
    layer.set(k, new Map([[NONE, { state: s, lane: NONE, switches: 0, parent: null, action: i, ...(outside ? { outside } : {}) }]]));
  });
  let entries = layer.size;
  let best: { entry: Entry<S>; extra: number } | null = null;
  const cost = (from: Entry<S>, lane: number) => from.switches + (from.lane !== NONE && from.lane !== lane ? 1 : 0);
  const consider = (entry: Entry<S>, extra = 0) => {
    if (best === null || entry.switches + extra < best.entry.switches + best.extra) best = { entry, extra };
  };
  for (let d = 1; d <= L; d++) {
    const last = d === L;
    if (last) {
      // the last layer: judged, not expanded
      for (const byLane of layer.values()) {
        for (const e of byLane.values()) {
          if (v.kind === 'invariant' && j.state(e.state, []) !== null) consider(e);
          // the BFS never expands a state outside the constraints, so it never calls one a deadlock
          if (v.kind === 'deadlock' && !e.outside && !anyEnabled(m, e.state)) consider(e);
        }
      }
      break;
    }
    const next = new Map<string, Map<number, Entry<S>>>();
    for (const byLane of layer.values()) {
      for (const e of byLane.values()) {
        if (e.outside) continue;
        for (let ai = 0; ai < m.instances.length; ai++) {
          const inst = m.instances[ai];
          const t = step(inst, e.state);
          if (t === null) continue;
          const lane = laneIds[ai];
          const c = cost(e, lane);
          // an action property fails on the last transition: the target may be any state
          if (v.kind === 'action' && d === L - 1 && j.judged(ai) && j.transition(e.state, inst, t, []) !== null) {
            consider({ state: t, lane, switches: c, parent: e, action: ai });
          }
          const outside = !j.inside(t);
          const k = key(t);
          if (seen.has(k) && !next.has(k)) continue; // reached at an earlier depth
          seen.add(k);
          let at = next.get(k);
          if (at === undefined) next.set(k, (at = new Map()));
          const old = at.get(lane);
          if (old === undefined || c < old.switches) {
            if (old === undefined) entries++;
            at.set(lane, { state: t, lane, switches: c, parent: e, action: ai, ...(outside ? { outside } : {}) });
          }
        }
      }
    }
    if (v.kind === 'action' && d === L - 1) break;
    layer = next;
  }
  const given = switchesOf(m, v.path);
  if (best === null) return { path: v.path, reason: v.reason, switches: given, given, entries, elapsedMs: performance.now() - t0 };
  const chosen = (best as { entry: Entry<S> }).entry;
  const path: number[] = [];
  for (let e: Entry<S> | null = chosen; e !== null; e = e.parent) path.push(e.action);
  path.reverse();
  // the reason of this path's own end (another state than the BFS's, or another transition)
  const prev = chosen.parent ? { state: chosen.parent.state, inst: m.instances[chosen.action] } : undefined;
  const j2 = judgeClaim(m, v, chosen.state, prev);
  const reason = j2.shown ? j2.reason : v.reason;
  return { path, reason, switches: switchesOf(m, path), given, entries, elapsedMs: performance.now() - t0 };
}
