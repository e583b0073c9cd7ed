/**
 * The end of a parallel level (parallel.ts): the workers' new states numbered in chunk order (so
 * ids, and the counterexample chosen, do not depend on which worker expanded what) into the next
 * shared level, and their events replayed into the run in the order a sequential search would
 * meet them.
 */
import { copyRows, SharedLevel } from './codec/frontier.js';
import type { Packing } from './codec/packing.js';
import type { LevelReply, WorkerEvent } from './messages.js';
import type { Run } from './run.js';

/** The next level of `replies`, its states appended to the run's store; null if a worker could not rebuild a value (its reason). */
export function mergeLevel<S>(run: Run<S>, packing: Packing, replies: readonly LevelReply[]): { next: SharedLevel; unsupported: string | null } {
  const W = packing.W;
  const { store } = run;
  const order: [number, number, number, number][] = []; // chunk, reply, start, count
  let total = 0;
  replies.forEach((r, ri) => {
    for (let i = 0; i < r.chunks.length; i += 3) {
      order.push([r.chunks[i], ri, r.chunks[i + 1], r.chunks[i + 2]]);
      total += r.chunks[i + 2];
    }
    run.generated += r.generated;
    for (let i = 0; i < run.fired.length; i++) run.fired[i] += r.fired[i];
  });
  order.sort((a, b) => a[0] - b[0]);
  const width = replies.reduce<1 | 2 | 4>((a, r) => (r.width > a ? r.width : a), 1);
  let nEscaped = 0;
  for (const r of replies) nEscaped += r.escIdx.length;
  const P = packing.P;
  const next = SharedLevel.create(packing, total, width, nEscaped);
  const views = replies.map((r) => ({ p: new Uint32Array(r.parents), a: new Uint32Array(r.actions) }));
  // Ids are given in order: chunk after chunk, a chunk's states in the order found.
  const firstId = store.size;
  const bases = new Float64Array(order.length);
  let k = 0;
  let esc = 0;
  for (let q = 0; q < order.length; q++) {
    const [, ri, start, cnt] = order[q];
    const v = views[ri];
    copyRows(replies[ri].bytes, replies[ri].width, P, start, cnt, next.codes, k);
    store.appendMany(v.p, v.a, start, cnt);
    // the chunk's escaped states (a reply's are in output order, its chunks too)
    const r = replies[ri];
    for (let i = 0; i < r.escIdx.length; i++) {
      const at = r.escIdx[i];
      if (at < start || at >= start + cnt) continue;
      next.escIdx[esc] = k + (at - start);
      for (let j = 0; j < W; j++) next.escCodes[esc * W + j] = r.escCodes[i * W + j];
      esc++;
    }
    bases[q] = firstId + k;
    k += cnt;
  }
  for (let q = 0; q < total; q++) next.ids[q] = firstId + q;
  /** The id of output `out` of reply `ri`. */
  const outId = (ri: number, out: number): number => {
    for (let q = 0; q < order.length; q++) {
      const o = order[q];
      if (o[1] === ri && out >= o[2] && out < o[2] + o[3]) return bases[q] + (out - o[2]);
    }
    throw new Error(`internal: no chunk holds output ${out} of worker ${ri}`);
  };
  return { next, unsupported: replayEvents(run, replies, outId) };
}

/** The workers' events into the run, in sequential order; the reason if a worker could not rebuild a value, else null. */
function replayEvents<S>(run: Run<S>, replies: readonly LevelReply[], outId: (ri: number, out: number) => number): string | null {
  const { store } = run;
  /** Workers may each meet a property's first violation: the first in order counts. */
  const report = (kind: Parameters<Run<S>['violation']>[0], property: string, reason: string | undefined, path: number[]): void => {
    if (!run.violated.has(property)) run.violation(kind, property, reason, path);
  };
  const events: [WorkerEvent, number][] = [];
  replies.forEach((r, ri) => r.events.forEach((e) => events.push([e, ri])));
  events.sort((a, b) => a[0].chunk - b[0].chunk || a[0].ord - b[0].ord || a[1] - b[1]);
  for (const [e, ri] of events) {
    if (run.stop !== null) break;
    const idOf = () => (e.out !== undefined ? outId(ri, e.out) : e.id!);
    switch (e.type) {
      case 'inv':
        report('invariant', e.prop!, e.reason, e.ai !== undefined ? store.pathVia(e.id!, e.ai) : store.pathTo(idOf()));
        break;
      case 'witness':
        run.witness(e.index!, store.pathTo(idOf()));
        break;
      case 'deadlock':
        report('deadlock', 'Deadlock', 'no action is enabled', store.pathTo(e.id!));
        break;
      case 'action':
        report('action', e.prop!, e.reason, store.pathVia(e.id!, e.ai!));
        break;
      case 'error':
        run.fail(e.message!, e.out === undefined && e.ai !== undefined ? store.pathVia(e.id!, e.ai) : store.pathTo(idOf()), e.action);
        break;
      case 'unsupported':
        return e.message ?? 'a worker could not rebuild a state value';
    }
  }
  return null;
}
