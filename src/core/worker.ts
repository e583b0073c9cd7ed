/**
 * A parallel-checking worker (see parallel.ts). It loads the spec module itself, learns the same
 * shape as the coordinator, and expands chunks of each BFS level it claims from a shared counter:
 * successors are deduplicated in the shared fingerprint table (Atomics CAS), checked on discovery,
 * and sent back encoded, grouped by chunk so that the coordinator numbers them deterministically.
 */
import { parentPort } from 'node:worker_threads';
import { touched } from './change-slots.js';
import { Shape } from './codec.js';
import { messageOf } from './errors.js';
import { expander, type PropertyKind } from './expand.js';
import { memoryGuard } from './memory.js';
import { importModule } from './import-module.js';
import { compile, formatAction, type CompiledModel, type Instance } from './model.js';
import { isSpec } from './spec.js';
import type { InitRequest, LevelRequest, WorkerEvent, WorkerReply, WorkerRequest } from './messages.js';
import { CTL, tableHas, tableInsert } from './shared.js';


/** Sends a reply to the coordinator (typed: messages.ts). */
const reply = (r: WorkerReply, transfer: ArrayBuffer[] = []): void => parentPort!.postMessage(r, transfer);

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

async function init(msg: InitRequest): Promise<void> {
  const mod = await importModule(msg.specPath);
  const spec = mod.default;
  if (!isSpec(spec)) throw new Error(`${msg.specPath}: the default export is not a spec`);
  model = compile(spec, msg.constants);
  if (msg.properties?.length) {
    const { selectProperties } = await import('./model.js');
    model = selectProperties(model, msg.properties);
  }
  const sh = Shape.learn(model.inits[0]);
  if (!sh || sh.W !== msg.W) {
    reply({ type: 'init', ok: false, message: 'its initial state has another shape in the worker thread' });
    return;
  }
  shape = sh;
  W = sh.W;
  ctl = new Int32Array(msg.ctl);
  reply({ type: 'init', ok: true });
}

function level(msg: LevelRequest): void {
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
  const probe: boolean = msg.probe;
  const memory = memoryGuard(msg.memoryBudget); // the process's RSS, and this worker's own JS heap

  const fired = new Float64Array(model.instances.length);
  const out = new Out();
  const chunks: number[] = [];
  const events: WorkerEvent[] = [];
  let ord = 0;
  let stopped = false;
  let timedOut = false;
  let overBudget = false;
  let beyond = false;
  let c = 0; // the chunk being expanded
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

  // New states go to the shared table and this worker's output (ids: output indices). At the
  // depth limit (`probe`) nothing is recorded: the level only tells whether states lie beyond.
  const visited = {
    insert(hi: number, lo: number, parent: number, action: number): number {
      if (probe) {
        if (!beyond && !tableHas(table, tableMask, hi, lo)) beyond = true;
        return -1;
      }
      if (!tableInsert(table, tableMask, hi, lo)) return -1;
      out.push(wb, parent, action);
      return out.n - 1;
    },
    has: (hi: number, lo: number): boolean => tableHas(table, tableMask, hi, lo),
  };
  const x = expander<unknown>(
    model,
    shape,
    visited,
    {
      queue: () => true,
      violation(kind: PropertyKind, prop: string, reason: string | undefined, id: number, ai: number): boolean {
        if (kind === 'invariant') event(ai < 0 ? { type: 'inv', chunk: c, prop, reason, out: id } : { type: 'inv', chunk: c, prop, reason, id, ai });
        else if (kind === 'action') event({ type: 'action', chunk: c, prop, reason, id, ai });
        else event({ type: 'deadlock', chunk: c, id });
        return stopped;
      },
      witness(index: number, id: number): void {
        event({ type: 'witness', chunk: c, index, out: id });
      },
      fail(message: string, id: number, isNew: boolean, inst: Instance<unknown> | undefined, ai: number): void {
        if (isNew) event({ type: 'error', chunk: c, message, out: id });
        else event({ type: 'error', chunk: c, message, id, ...(ai >= 0 ? { ai } : {}), action: inst ? formatAction(inst) : undefined });
      },
      misfit(inst: Instance<unknown>): boolean {
        event({ type: 'unsupported', chunk: c, message: `a successor by ${formatAction(inst)} does not fit the state shape` });
        return false;
      },
    },
    wb,
    pb,
    fp,
    fired,
    violated,
    witnessed,
  );

  chunkLoop: for (;;) {
    if (Atomics.load(ctl, CTL.STOP) !== 0 || Atomics.load(ctl, CTL.OVERFLOW) !== 0) break;
    if (Date.now() >= deadline) {
      timedOut = true;
      break;
    }
    if (memory.check(Date.now(), 0) !== null) {
      overBudget = true;
      break;
    }
    c = Atomics.add(ctl, CTL.NEXT, 1);
    if (c >= nChunks) break;
    const outStart = out.n;
    const end = Math.min(n, (c + 1) * chunkSize);
    for (let k = c * chunkSize; k < end; k++) {
      if (stopped || (k & 63) === 0 && Atomics.load(ctl, CTL.STOP) !== 0) {
        chunks.push(c, outStart, out.n - outStart);
        break chunkLoop;
      }
      const at = k * W;
      for (let j = 0; j < W; j++) pb[j] = wb[j] = lev[at + j];
      touched.n = 0;
      x.expand(shape.decode(lev, at), levIds[k], true);
    }
    chunks.push(c, outStart, out.n - outStart);
    if (stopped) break;
    const cnt = Atomics.add(ctl, CTL.COUNT, out.n - outStart) + (out.n - outStart);
    if (cnt > limit) Atomics.store(ctl, CTL.OVERFLOW, 1);
  }
  const generated = x.generated;

  const bytes = out.bytes.buffer.slice(0, out.n * W);
  const parents = out.parents.buffer.slice(0, out.n * 4);
  const actions = out.actions.buffer.slice(0, out.n * 4);
  reply(
    { type: 'level', bytes, parents, actions, n: out.n, chunks, events, generated, fired, timedOut, overBudget, beyond },
    [bytes, parents, actions, fired.buffer],
  );
}

parentPort!.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'init') {
    init(msg).catch((e) => reply({ type: 'init', ok: false, message: messageOf(e) }));
  } else if (msg.type === 'level') {
    try {
      level(msg);
    } catch (e) {
      reply({ type: 'fatal', message: messageOf(e) });
    }
  } else if (msg.type === 'exit') {
    process.exit(0);
  }
});
