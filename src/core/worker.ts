/**
 * A parallel-checking worker (see parallel.ts). It loads the spec module itself, learns the same
 * shape as the coordinator, and expands chunks of each BFS level it claims from a shared counter:
 * successors are deduplicated in the shared fingerprint table (Atomics CAS), checked on discovery,
 * and sent back encoded, grouped by chunk so that the coordinator numbers them deterministically.
 */
import { parentPort } from 'node:worker_threads';
import { Codec } from './codec/codec.js';
import { encodedRepWith } from './symmetry/symmetric-rep.js';
import { CodeList, SharedLevel } from './codec/frontier.js';
import { discoverType } from './codec/discover.js';
import { ForeignType } from './codec/serialize.js';
import { needsGrowth, SharedCodes } from './codec/shared-codes.js';
import { messageOf } from './errors.js';
import { expander, type PropertyKind } from './expand.js';
import { memoryGuard } from './memory.js';
import { importModule } from './import-module.js';
import { compile, formatAction, type CompiledModel, type Instance } from './model.js';
import type { Rep } from './rep.js';
import { isSpec } from './spec.js';
import type { InitRequest, LevelRequest, WorkerEvent, WorkerReply, WorkerRequest } from './messages.js';
import { CTL, tableHas, tableInsert } from './shared.js';
import type { Level } from './codec/frontier.js';

/** Sends a reply to the coordinator (typed: messages.ts). */
const reply = (r: WorkerReply, transfer: ArrayBuffer[] = []): void => parentPort!.postMessage(r, transfer);

let model: CompiledModel<unknown>;
let codec: Codec;
let codes: SharedCodes;
let rep: Rep<unknown, Level> & { codes(): Uint32Array };
let table: Int32Array;
let tableMask = 0;
let ctl: Int32Array;

/** A growable array of 32-bit links (parents, actions). */
class Links {
  a = new Uint32Array(1 << 12);
  n = 0;
  push(x: number): void {
    if (this.n === this.a.length) {
      const b = new Uint32Array(this.n * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = x;
  }
  take(): ArrayBuffer {
    return this.a.buffer.slice(0, this.n * 4) as ArrayBuffer;
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
  codes = new SharedCodes(msg.codes);
  for (const s of model.inits) codes.types.learn(s);
  codes.discover = (sig) => discoverType(model, codes.types, sig);
  codec = new Codec(model.inits[0], codes, model.notes);
  if (codec.W !== msg.W) {
    reply({ type: 'init', ok: false, message: 'its initial state has another layout in the worker thread' });
    return;
  }
  rep = encodedRepWith(model, codec, msg.symmetry);
  ctl = new Int32Array(msg.ctl);
  reply({ type: 'init', ok: true });
}

/** What one level's expansion accumulates (the expander, made once, writes into it). */
interface LevelState {
  out: CodeList;
  parents: Links;
  actions: Links;
  events: WorkerEvent[];
  ord: number;
  stopped: boolean;
  beyond: boolean;
  probe: boolean;
  cont: boolean;
  /** the chunk being expanded */
  c: number;
}

let cur: LevelState;
const fired = { a: new Float64Array(0) };
const violated = new Set<string>();
const witnessed: boolean[] = [];
let x: ReturnType<typeof expander<unknown, Level>> | null = null;

/** Every event but a witness stops the level unless the run goes on after violations. */
function event(e: Omit<WorkerEvent, 'ord'>): void {
  cur.events.push({ ...e, ord: cur.ord++ });
  if (e.type === 'error' || e.type === 'unsupported' || (!cur.cont && e.type !== 'witness')) {
    Atomics.store(ctl, CTL.STOP, 1);
    cur.stopped = true;
  }
}

/** The expander of this worker: made once, so the inner loop keeps its optimised code across levels. */
function makeExpander(): ReturnType<typeof expander<unknown, Level>> {
  // New states go to the shared table and this worker's output (ids: output indices). At the
  // depth limit (`probe`) nothing is recorded: the level only tells whether states lie beyond.
  const visited = {
    insert(hi: number, lo: number, parent: number, action: number): number {
      if (cur.probe) {
        if (!cur.beyond && !tableHas(table, tableMask, hi, lo)) cur.beyond = true;
        return -1;
      }
      if (!tableInsert(table, tableMask, hi, lo)) return -1;
      cur.out.push(rep.codes(), codec.terms.max);
      cur.parents.push(parent);
      cur.actions.push(action);
      return cur.out.n - 1;
    },
    has: (hi: number, lo: number): boolean => tableHas(table, tableMask, hi, lo),
  };
  fired.a = new Float64Array(model.instances.length);
  for (let i = 0; i < model.sometimes.length; i++) witnessed.push(false);
  return expander<unknown, Level>(
    model,
    rep,
    visited,
    {
      queue: () => true,
      violation(kind: PropertyKind, prop: string, reason: string | undefined, id: number, ai: number): boolean {
        const c = cur.c;
        if (kind === 'invariant') event(ai < 0 ? { type: 'inv', chunk: c, prop, reason, out: id } : { type: 'inv', chunk: c, prop, reason, id, ai });
        else if (kind === 'action') event({ type: 'action', chunk: c, prop, reason, id, ai });
        else event({ type: 'deadlock', chunk: c, id });
        return cur.stopped;
      },
      witness(index: number, id: number): void {
        event({ type: 'witness', chunk: cur.c, index, out: id });
      },
      fail(message: string, id: number, isNew: boolean, inst: Instance<unknown> | undefined, ai: number): void {
        const c = cur.c;
        if (codes.foreign !== null) event({ type: 'unsupported', chunk: c, message: codes.foreign });
        else if (isNew) event({ type: 'error', chunk: c, message, out: id });
        else event({ type: 'error', chunk: c, message, id, ...(ai >= 0 ? { ai } : {}), action: inst ? formatAction(inst) : undefined });
      },
    },
    new Int32Array(2),
    fired.a,
    violated,
    witnessed,
  );
}

function level(msg: LevelRequest): void {
  if (msg.table) {
    table = new Int32Array(msg.table);
    tableMask = (table.length >>> 1) - 1;
  }
  if (msg.codes) codes.attach(msg.codes);
  x ??= makeExpander();
  const n: number = msg.n;
  const lev = new SharedLevel(msg.lev, codec.packing, n, msg.width, msg.nEscaped);
  const chunkSize: number = msg.chunk;
  const nChunks = Math.ceil(n / chunkSize);
  violated.clear();
  for (const p of msg.violated) violated.add(p);
  msg.witnessed.forEach((w, i) => (witnessed[i] = w));
  fired.a.fill(0);
  const generated0 = x.generated;
  const deadline: number = msg.deadline;
  const limit: number = msg.limit;
  const memory = memoryGuard(msg.memoryBudget); // the process's RSS, and this worker's own JS heap
  cur = { out: new CodeList(codec.packing), parents: new Links(), actions: new Links(), events: [], ord: 0, stopped: false, beyond: false, probe: msg.probe, cont: msg.continue, c: 0 };
  const { out, chunks } = { out: cur.out, chunks: [] as number[] };
  let timedOut = false;
  let overBudget = false;

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
    const c = (cur.c = Atomics.add(ctl, CTL.NEXT, 1));
    if (c >= nChunks) break;
    const outStart = out.n;
    const end = Math.min(n, (c + 1) * chunkSize);
    for (let k = c * chunkSize; k < end; k++) {
      if (cur.stopped || ((k & 63) === 0 && Atomics.load(ctl, CTL.STOP) !== 0)) {
        chunks.push(c, outStart, out.n - outStart);
        break chunkLoop;
      }
      let s: unknown;
      try {
        s = rep.load(lev, k);
      } catch (e) {
        if (!(e instanceof ForeignType)) throw e;
        event({ type: 'unsupported', chunk: c, message: e.message });
        chunks.push(c, outStart, out.n - outStart);
        break chunkLoop;
      }
      x.expand(s, lev.id(k));
      // the shared codes past their load limit: grow them before the next chunk
      if ((k & 63) === 0 && needsGrowth(codes.buffers)) Atomics.store(ctl, CTL.OVERFLOW, 1);
    }
    chunks.push(c, outStart, out.n - outStart);
    if (cur.stopped) break;
    const cnt = Atomics.add(ctl, CTL.COUNT, out.n - outStart) + (out.n - outStart);
    if (cnt > limit || needsGrowth(codes.buffers)) Atomics.store(ctl, CTL.OVERFLOW, 1);
  }
  const generated = x.generated - generated0;
  if (process.env.KRIPKE_PAR_DEBUG) {
    const mu = process.memoryUsage();
    console.error(`  worker: heap used ${mu.heapUsed >> 20} MiB of ${mu.heapTotal >> 20}, external ${mu.external >> 20}`);
  }
  const p = cur.parents.take();
  const a = cur.actions.take();
  const f = fired.a.slice();
  reply(
    { type: 'level', bytes: out.chunks, width: out.width, escIdx: out.escIdx, escCodes: out.escCodes, parents: p, actions: a, n: out.n, chunks, events: cur.events, generated, fired: f, timedOut, overBudget, beyond: cur.beyond },
    [p, a, f.buffer],
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
