/**
 * A parallel-checking worker (see parallel.ts). It loads the spec module itself, learns the same
 * shape as the coordinator, and expands chunks of each BFS level it claims from a shared counter:
 * successors are deduplicated in the shared fingerprint table (Atomics CAS), checked on discovery,
 * and sent back encoded, grouped by chunk so that the coordinator numbers them deterministically.
 */
import { parentPort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { applyToSlots, Change, isChange, restoreSlots, touched } from './change.js';
import { finishSlots, Shape } from './codec.js';
import { messageOf } from './errors.js';
import { isFailure, reasonOf } from './explorer.js';
import { compile, formatAction, type CompiledModel, type Instance } from './model.js';
import { isSpec } from './spec.js';
import { CTL, tableInsert } from './shared.js';

export interface WorkerEvent {
  type: 'inv' | 'witness' | 'deadlock' | 'action' | 'error' | 'unsupported';
  chunk: number;
  ord: number;
  prop?: string;
  index?: number;
  reason?: string;
  /** index in this worker's output of the new state concerned */
  out?: number;
  /** id of the expanded state concerned */
  id?: number;
  ai?: number;
  message?: string;
  action?: string;
}

let model: CompiledModel<unknown>;
let shape: Shape;
let W = 0;
let table: Int32Array;
let tableMask = 0;
let ctl: Int32Array;

class Out {
  bytes = new Uint8Array(1 << 16);
  parents = new Uint32Array(1 << 12);
  actions = new Uint32Array(1 << 12);
  n = 0;
  push(src: Uint8Array, parent: number, action: number): void {
    if (this.n === this.parents.length) {
      const p = new Uint32Array(this.n * 2);
      p.set(this.parents);
      this.parents = p;
      const a = new Uint32Array(this.n * 2);
      a.set(this.actions);
      this.actions = a;
    }
    if ((this.n + 1) * W > this.bytes.length) {
      const b = new Uint8Array(Math.max(this.bytes.length * 2, (this.n + 1) * W));
      b.set(this.bytes);
      this.bytes = b;
    }
    this.bytes.set(src, this.n * W);
    this.parents[this.n] = parent;
    this.actions[this.n] = action;
    this.n++;
  }
}

async function init(msg: any): Promise<void> {
  const mod = await import(pathToFileURL(msg.specPath).href);
  const spec = mod.default;
  if (!isSpec(spec)) throw new Error(`${msg.specPath}: the default export is not a spec`);
  model = compile(spec, msg.constants);
  if (msg.properties?.length) {
    const { selectProperties } = await import('./model.js');
    model = selectProperties(model, msg.properties);
  }
  const sh = Shape.learn(model.inits[0]);
  if (!sh || sh.W !== msg.W) {
    parentPort!.postMessage({ type: 'init', ok: false });
    return;
  }
  shape = sh;
  W = sh.W;
  ctl = new Int32Array(msg.ctl);
  parentPort!.postMessage({ type: 'init', ok: true });
}

function level(msg: any): void {
  if (msg.table) {
    table = new Int32Array(msg.table);
    tableMask = (table.length >>> 1) - 1;
  }
  const n: number = msg.n;
  const lev = new Uint8Array(msg.lev, 0, n * W);
  const levIds = new Uint32Array(msg.lev, msg.idsAt, n);
  const chunkSize: number = msg.chunk;
  const nChunks = Math.ceil(n / chunkSize);
  const violated = new Set<string>(msg.violated);
  const witnessed: boolean[] = msg.witnessed;
  const cont: boolean = msg.continue;
  const deadline: number = msg.deadline;
  const limit: number = msg.limit;

  const instances = model.instances as Instance<unknown>[];
  const nInst = instances.length;
  const invariants = model.invariants;
  const constraints = model.constraints;
  const actionProps = model.actionProperties;
  const sometimes = model.sometimes;
  const needsTarget = new Uint8Array(model.families.length);
  for (const p of actionProps) for (const f of p.families) needsTarget[f] = 1;
  const fired = new Float64Array(nInst);
  const out = new Out();
  const chunks: number[] = [];
  const events: WorkerEvent[] = [];
  let ord = 0;
  let generated = 0;
  let stopped = false;
  let timedOut = false;
  const wb = new Uint8Array(W);
  const pb = new Uint8Array(W);
  const fp = new Int32Array(2);

  // Every event but a witness stops the level unless the run goes on after violations.
  const event = (e: Omit<WorkerEvent, 'ord'>): void => {
    events.push({ ...e, ord: ord++ });
    if (e.type === 'error' || e.type === 'unsupported' || (!cont && e.type !== 'witness')) {
      Atomics.store(ctl, CTL.STOP, 1);
      stopped = true;
    }
  };

  /** Checks a new state (output index k); false to stop. */
  const checkNew = (s: unknown, k: number, chunk: number): boolean => {
    try {
      for (let i = 0; i < invariants.length; i++) {
        const inv = invariants[i];
        if (violated.has(inv.name)) continue;
        const v = inv.check(s);
        if (v !== true && isFailure(v)) {
          violated.add(inv.name);
          event({ type: 'inv', chunk, prop: inv.name, reason: reasonOf(v), out: k });
          if (stopped) return false;
        }
      }
      for (let i = 0; i < sometimes.length; i++) {
        if (!witnessed[i] && !isFailure(sometimes[i].check(s))) {
          witnessed[i] = true;
          event({ type: 'witness', chunk, index: i, out: k });
        }
      }
    } catch (e) {
      event({ type: 'error', chunk, message: `a property threw: ${messageOf(e)}`, out: k });
      return false;
    }
    return true;
  };

  chunkLoop: for (;;) {
    if (Atomics.load(ctl, CTL.STOP) !== 0 || Atomics.load(ctl, CTL.OVERFLOW) !== 0) break;
    if (Date.now() >= deadline) {
      timedOut = true;
      break;
    }
    const c = Atomics.add(ctl, CTL.NEXT, 1);
    if (c >= nChunks) break;
    const outStart = out.n;
    const end = Math.min(n, (c + 1) * chunkSize);
    for (let k = c * chunkSize; k < end; k++) {
      if (stopped || (k & 63) === 0 && Atomics.load(ctl, CTL.STOP) !== 0) {
        chunks.push(c, outStart, out.n - outStart);
        break chunkLoop;
      }
      const at = k * W;
      const sid = levIds[k];
      for (let j = 0; j < W; j++) pb[j] = wb[j] = lev[at + j];
      touched.n = 0;
      const s = shape.decode(lev, at);
      let cur: Instance<unknown> | undefined;
      try {
        let expand = true;
        for (let q = 0; q < constraints.length; q++) {
          if (!constraints[q].check(s)) {
            expand = false;
            break;
          }
        }
        if (!expand) continue;
        shape.sums(pb, 0, fp);
        const psa = fp[0];
        const psb = fp[1];
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
          let fits = false;
          if (r instanceof Change && r.base === s) {
            fits = applyToSlots(r, shape, wb, psa, psb, fp);
            if (!fits) restoreSlots(wb, pb);
          }
          let t: unknown;
          if (!fits) {
            t = isChange(r) ? (r as Change<unknown>).materialize() : r;
            fits = shape.encode(t, wb, 0);
            if (fits) shape.sums(wb, 0, fp);
            touched.n = 0;
          }
          if (!fits) {
            event({ type: 'unsupported', chunk: c, message: `a successor by ${formatAction(inst)} does not fit the state shape` });
            chunks.push(c, outStart, out.n - outStart);
            break chunkLoop;
          }
          finishSlots(fp[0], fp[1], W, fp);
          const isNew = tableInsert(table, tableMask, fp[0], fp[1]);
          if (needsTarget[fam] === 1) {
            if (t === undefined) t = isChange(r) ? (r as Change<unknown>).materialize() : r;
            for (const p of actionProps) {
              if (!p.families.has(fam) || violated.has(p.name)) continue;
              const v = p.check(s, inst, t);
              if (v !== true && isFailure(v)) {
                violated.add(p.name);
                event({ type: 'action', chunk: c, prop: p.name, reason: reasonOf(v), id: sid, ai });
              }
            }
          }
          if (isNew) {
            const kOut = out.n;
            out.push(wb, sid, ai);
            cur = undefined;
            if (!stopped && !checkNew(t === undefined ? shape.decode(wb, 0) : t, kOut, c)) {
              /* stopped */
            }
          }
          if (touched.n > 0) restoreSlots(wb, pb);
          else wb.set(pb);
          if (stopped) break;
        }
        cur = undefined;
        if (!stopped && !enabled && model.deadlock && !violated.has('Deadlock')) {
          violated.add('Deadlock');
          event({ type: 'deadlock', chunk: c, id: sid });
        }
      } catch (e) {
        const what = cur ? `action ${formatAction(cur)} threw` : 'a property or constraint threw';
        event({ type: 'error', chunk: c, message: `${what}: ${messageOf(e)}`, id: sid, action: cur ? formatAction(cur) : undefined });
      }
    }
    chunks.push(c, outStart, out.n - outStart);
    if (stopped) break;
    const cnt = Atomics.add(ctl, CTL.COUNT, out.n - outStart) + (out.n - outStart);
    if (cnt > limit) Atomics.store(ctl, CTL.OVERFLOW, 1);
  }

  const bytes = out.bytes.buffer.slice(0, out.n * W);
  const parents = out.parents.buffer.slice(0, out.n * 4);
  const actions = out.actions.buffer.slice(0, out.n * 4);
  parentPort!.postMessage(
    { type: 'level', bytes, parents, actions, n: out.n, chunks, events, generated, fired, timedOut },
    [bytes, parents, actions, fired.buffer],
  );
}

parentPort!.on('message', (msg: any) => {
  if (msg.type === 'init') {
    init(msg).catch((e) => parentPort!.postMessage({ type: 'init', ok: false, message: messageOf(e) }));
  } else if (msg.type === 'level') {
    try {
      level(msg);
    } catch (e) {
      parentPort!.postMessage({ type: 'fatal', message: messageOf(e) });
    }
  } else if (msg.type === 'exit') {
    process.exit(0);
  }
});
