/**
 * Parallel checking: level-synchronous BFS over worker threads.
 *
 * The coordinator (this module) holds the state store (parent/action links) and the current
 * level, encoded by the codec, in a SharedArrayBuffer. Workers (worker.ts) load the spec module
 * themselves, claim chunks of the level from a shared counter, deduplicate successors in a shared
 * fingerprint table (shared.ts), check new states on discovery, and send them back grouped by
 * chunk. The coordinator numbers the new states in chunk order, so ids, and hence the
 * counterexample chosen, do not depend on which worker expanded what; every level is finished
 * (or stopped) before the next starts, so the first violation reported is at minimal depth.
 *
 * Runs with `maxStates`, the plain representation (KRIPKE_NO_CODEC), and a spec whose values hold
 * a Record type a worker cannot rebuild (serialize.ts) use `check`; the result's `threads` says
 * how many threads explored and, when fewer than asked, why.
 */
import { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import { Codec } from './codec/codec.js';
import { encodedRep } from './codec/encoded-rep.js';
import { codesView, SharedLevel, widthFor } from './codec/frontier.js';
import { grown, needsGrowth, newSharedCodes, SharedCodes, type SharedCodeBuffers } from './codec/shared-codes.js';
import { KripkeError, messageOf } from './errors.js';
import { confirmer } from './confirm.js';
import { expander } from './expand.js';
import { importModule } from './import-module.js';
import { checkAsync, finishResult, statsOf, type CheckOptions, type CheckResult, type EvalError, type Stats, type Status, type Violation } from './explorer.js';
import { memoryGuard } from './memory.js';
import { interrupted } from './result.js';
import { compile, formatAction, selectProperties, type CompiledModel } from './model.js';
import { isSpec } from './spec.js';
import { NO_PARENT, StateStore } from './store.js';
import { CTL, growTable, newTable, tableHas, tableInsert } from './shared.js';
import type { LevelReply, LevelRequest, WorkerEvent, WorkerReply, WorkerRequest } from './messages.js';

/** Options of `checkParallel`. */
export interface ParallelOptions extends CheckOptions {
  /** Worker threads (1 runs `check` in this thread). */
  readonly workers: number;
  /** Check only these properties (as `selectProperties`). */
  readonly properties?: readonly string[];
}


const LOAD_LIMIT = 0.6;

/** The reply of the kind asked for; a worker's failure (or a reply of another kind) is kripke's fault: exit 255. */
function expect<K extends 'init' | 'level'>(r: WorkerReply, kind: K): Extract<WorkerReply, { type: K }> {
  if (r.type === 'fatal') throw new Error(`worker failed: ${r.message}`);
  if (r.type !== kind) throw new Error(`internal: a worker answered ${r.type} to a ${kind} request`);
  return r as Extract<WorkerReply, { type: K }>;
}


/**
 * Checks the spec exported by the module at `specPath` with `constants`, on `opts.workers`
 * worker threads. Same results as `check` (counts, statuses, shortest counterexamples; the
 * path chosen among several shortest ones may differ).
 */
export async function checkParallel(
  specPath: string,
  constants: readonly (readonly [string, string])[],
  opts: ParallelOptions,
): Promise<CheckResult> {
  const abs = resolve(specPath);
  const mod = await importModule(abs);
  const spec = mod.default;
  if (!isSpec(spec)) throw new KripkeError('load', `${specPath}: the default export is not a spec (use defineSpec)`);
  let m = compile(spec, constants) as CompiledModel<unknown>;
  if (opts.properties?.length) m = selectProperties(m, opts.properties);
  const nWorkers = Math.max(1, Math.floor(opts.workers));
  const started = Date.now();
  /** The search in this thread, with the reason it is not on the workers (within the time left). */
  const single = async (reason?: string): Promise<CheckResult> => ({
    ...(await checkAsync(m, opts.timeoutMs === undefined ? opts : { ...opts, timeoutMs: Math.max(0, opts.timeoutMs - (Date.now() - started)) })),
    threads: { asked: nWorkers, used: 1, ...(reason !== undefined && nWorkers > 1 ? { reason } : {}) },
  });
  if (nWorkers <= 1 && !process.env.KRIPKE_FORCE_WORKERS) return single();
  if (process.env.KRIPKE_NO_CODEC) return single('the plain representation (KRIPKE_NO_CODEC) runs in one thread');
  if (opts.maxStates !== undefined) return single('a search with --max-states runs in one thread');

  const codes = new SharedCodes(newSharedCodes(new Codec(m.inits[0]).W));
  for (const s of m.inits) codes.types.learn(s);
  const codec = new Codec(m.inits[0], codes);
  const tStart = performance.now();
  const workers: Worker[] = [];
  const ctl = new Int32Array(new SharedArrayBuffer(CTL.SIZE * 4));
  const waiters = new Map<Worker, [(msg: WorkerReply) => void, (e: unknown) => void]>();
  const onMessage = (w: Worker) => (msg: WorkerReply) => {
    const f = waiters.get(w);
    waiters.delete(w);
    f?.[0](msg);
  };
  const onError = (w: Worker) => (e: unknown) => {
    const f = waiters.get(w);
    waiters.delete(w);
    f?.[1](e);
  };
  const request = (w: Worker, msg: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> =>
    new Promise((res, rej) => {
      waiters.set(w, [res, rej]);
      w.postMessage(msg, transfer);
    });
  const shutdown = async () => {
    await Promise.all(workers.map((w) => w.terminate()));
  };

  try {
    for (let i = 0; i < nWorkers; i++) {
      const w = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
        execArgv: process.env.KRIPKE_WORKER_ARGS ? process.env.KRIPKE_WORKER_ARGS.split(' ') : [],
        resourceLimits: { maxOldGenerationSizeMb: 8192 },
      });
      w.on('message', onMessage(w));
      w.on('error', onError(w));
      workers.push(w);
    }
    const inits = (
      await Promise.all(workers.map((w) => request(w, { type: 'init', specPath: abs, constants, properties: opts.properties ?? [], W: codec.W, ctl: ctl.buffer, codes: codes.buffers })))
    ).map((r) => expect(r, 'init'));
    if (process.env.KRIPKE_PAR_DEBUG) console.error(`workers ready after ${(performance.now() - tStart).toFixed(0)} ms`);
    const failed = inits.find((r) => !r.ok);
    if (failed) {
      await shutdown();
      return single(`a worker could not load the spec${failed.message ? `: ${failed.message}` : ''}`);
    }
    const r = await coordinate(m, codec, codes, opts, workers, ctl, request);
    await shutdown();
    return typeof r === 'string' ? single(r) : { ...r, threads: { asked: nWorkers, used: workers.length } };
  } catch (e) {
    await shutdown();
    throw e;
  }
}

async function coordinate(
  m: CompiledModel<unknown>,
  codec: Codec,
  codes: SharedCodes,
  opts: ParallelOptions,
  workers: Worker[],
  ctl: Int32Array,
  request: (w: Worker, msg: WorkerRequest, transfer?: ArrayBuffer[]) => Promise<WorkerReply>,
): Promise<CheckResult | string> {
  const t0 = Date.now();
  const W = codec.W;
  const rep = encodedRep<unknown>(codec);
  const store = new StateStore(16, Math.max(m.instances.length, m.inits.length));
  const nInst = m.instances.length;
  const fired = new Float64Array(nInst);
  const sometimes = m.sometimes;
  const witnessed: (readonly number[] | null)[] = sometimes.map(() => null);
  const violations: Violation[] = [];
  const violatedProps = new Set<string>();
  const maxDepth = opts.maxDepth ?? Infinity;
  const deadline = opts.timeoutMs !== undefined ? t0 + opts.timeoutMs : Infinity;
  let generated = 0;
  let depth = 0;
  let queued = 0;
  let stop: Status | null = null;
  let incompleteReason: string | undefined;
  let error: EvalError | undefined;

  let cap = 1 << 20;
  let table = newTable(cap);
  let count = 0;
  const sentTable = new Set<Worker>();
  const sentCodes = new Set<Worker>(workers);

  const stats = (): Stats =>
    statsOf(generated, store.size, depth, queued, t0, process.resourceUsage().maxRSS * 1024, store.bytes + table.byteLength, m.inits.length);

  const report = (kind: Violation['kind'], property: string, reason: string | undefined, path: number[]): boolean => {
    if (violatedProps.has(property)) return false;
    violatedProps.add(property);
    violations.push({ kind, property, reason, path, length: path.length });
    if (!opts.continue) {
      stop = kind === 'deadlock' ? 'deadlock' : 'violation';
      return true;
    }
    return false;
  };

  // ---- Init (in this thread, with an expander of its own for the checks) ----
  const fp = new Int32Array(2);
  const initLevel = rep.newLevel();
  const initX = expander(
    m,
    rep,
    { insert: () => -1, has: () => true },
    {
      queue: () => true,
      violation: (kind, property, reason, id, ai) => report(kind, property, reason, store.pathVia(id, ai)),
      witness: (k, id) => void (witnessed[k] ??= store.pathTo(id)),
      fail: () => undefined,
    },
    fp,
    fired,
    new Set<string>(),
    sometimes.map(() => false),
  );
  for (let i = 0; i < m.inits.length && stop === null; i++) {
    const s = m.inits[i];
    try {
      rep.fingerprintOf(s, fp);
      if (!initX.inside(s)) {
        initX.checkNew(s, NO_PARENT, i, false);
        continue;
      }
      if (!tableInsert(table, cap - 1, fp[0], fp[1])) continue;
      count++;
      const id = store.append(NO_PARENT, i);
      initX.checkNew(s, id);
      rep.push(initLevel, id, s);
    } catch (e) {
      error = { message: messageOf(e), path: [i] };
      stop = 'error';
    } finally {
      rep.done();
    }
  }
  let levN = rep.sizeOf(initLevel);
  let width = widthFor(codec.terms.max);
  let lev = SharedLevel.create(W, levN, width);
  {
    const row = new Uint32Array(W);
    for (let k = 0; k < levN; k++) {
      initLevel.read(k, row);
      lev.codes.set(row, k * W);
      lev.ids[k] = initLevel.id(k);
    }
  }
  depth = levN > 0 ? 1 : 0;
  queued = levN;
  const memory = memoryGuard(opts.memoryBudgetBytes);
  const onAbort = () => Atomics.store(ctl, CTL.STOP, 1);
  opts.signal?.addEventListener('abort', onAbort);
  const halted = (now: number): string | null =>
    now >= deadline ? '--timeout reached'
    : opts.signal?.aborted ? interrupted(opts.signal)
    : memory.check(now, table.byteLength);
  let nextProgress = t0 + (opts.progressIntervalMs ?? 1000);

  while (stop === null && levN > 0) {
    // At the depth limit the level is expanded without recording anything, to learn whether
    // states lie beyond it.
    const probe = depth >= maxDepth;
    const why = halted(Date.now());
    if (why !== null) {
      stop = 'incomplete';
      incompleteReason = why;
      break;
    }
    // Chunks small enough that the table cannot overflow between two load checks.
    const chunk = Math.max(1, Math.min(1024, Math.floor((cap * (1 - LOAD_LIMIT) * 0.5) / (workers.length * Math.max(1, nInst)))));
    Atomics.store(ctl, CTL.NEXT, 0);
    Atomics.store(ctl, CTL.STOP, 0);
    Atomics.store(ctl, CTL.OVERFLOW, 0);
    Atomics.store(ctl, CTL.COUNT, count);
    const replies: LevelReply[] = [];
    let timedOut = false;
    let overBudget = false;
    let beyond = false;
    const tLevel = performance.now();
    for (;;) {
      const round = await Promise.all(
        workers.map((w) => {
          const msg: LevelRequest = {
            type: 'level',
            lev: lev.buffer,
            n: levN,
            width,
            ...(sentCodes.has(w) ? {} : { codes: codes.buffers }),
            chunk,
            table: sentTable.has(w) ? undefined : (table.buffer as SharedArrayBuffer),
            violated: [...violatedProps],
            witnessed: witnessed.map((x) => x !== null),
            continue: !!opts.continue,
            deadline,
            limit: Math.floor(cap * LOAD_LIMIT),
            probe,
            memoryBudget: opts.memoryBudgetBytes,
          };
          sentTable.add(w);
          sentCodes.add(w);
          return request(w, msg);
        }),
      );
      for (const reply of round) {
        const r = expect(reply, 'level');
        replies.push(r);
        if (r.timedOut) timedOut = true;
        if (r.overBudget) overBudget = true;
        if (r.beyond) beyond = true;
      }
      count = Atomics.load(ctl, CTL.COUNT);
      if (Atomics.load(ctl, CTL.OVERFLOW) !== 0 && Atomics.load(ctl, CTL.STOP) === 0 && !timedOut && !overBudget) {
        if (count > Math.floor(cap * LOAD_LIMIT)) {
          table = growTable(table);
          cap *= 2;
          sentTable.clear();
        }
        growCodes();
        Atomics.store(ctl, CTL.OVERFLOW, 0);
        continue;
      }
      break;
    }

    const tMerge = performance.now();
    // ---- merge: new states numbered in chunk order ----
    const order: [number, number, number, number][] = []; // chunk, reply, start, count
    let total = 0;
    replies.forEach((r, ri) => {
      for (let i = 0; i < r.chunks.length; i += 3) {
        order.push([r.chunks[i], ri, r.chunks[i + 1], r.chunks[i + 2]]);
        total += r.chunks[i + 2];
      }
      generated += r.generated;
      for (let i = 0; i < nInst; i++) fired[i] += r.fired[i];
    });
    order.sort((a, b) => a[0] - b[0]);
    const nextWidth = replies.reduce<1 | 2 | 4>((a, r) => (r.width > a ? r.width : a), 1);
    const nextLev = SharedLevel.create(W, total, nextWidth);
    const nb = nextLev.codes;
    const nids = nextLev.ids;
    const views = replies.map((r) => ({ b: codesView(r.bytes, r.width), p: new Uint32Array(r.parents), a: new Uint32Array(r.actions) }));
    // Ids are given in order: chunk after chunk, a chunk's states in the order found.
    const firstId = store.size;
    const bases = new Float64Array(order.length);
    let k = 0;
    for (let q = 0; q < order.length; q++) {
      const [, ri, start, cnt] = order[q];
      const v = views[ri];
      nb.set(v.b.subarray(start * W, (start + cnt) * W), k * W);
      store.appendMany(v.p, v.a, start, cnt);
      bases[q] = firstId + k;
      k += cnt;
    }
    for (let q = 0; q < total; q++) nids[q] = firstId + q;
    /** The id of output `out` of reply `ri`. */
    const outId = (ri: number, out: number): number => {
      for (let q = 0; q < order.length; q++) {
        const o = order[q];
        if (o[1] === ri && out >= o[2] && out < o[2] + o[3]) return bases[q] + (out - o[2]);
      }
      throw new Error(`internal: no chunk holds output ${out} of worker ${ri}`);
    };

    // ---- events, in the order a sequential search would meet them ----
    const events: [WorkerEvent, number][] = [];
    replies.forEach((r, ri) => r.events.forEach((e) => events.push([e, ri])));
    events.sort((a, b) => a[0].chunk - b[0].chunk || a[0].ord - b[0].ord || a[1] - b[1]);
    for (const [e, ri] of events) {
      if (stop !== null) break;
      const idOf = () => (e.out !== undefined ? outId(ri, e.out) : e.id!);
      switch (e.type) {
        case 'inv':
          report('invariant', e.prop!, e.reason, e.ai !== undefined ? [...store.pathTo(e.id!), e.ai] : store.pathTo(idOf()));
          break;
        case 'witness':
          if (witnessed[e.index!] === null) witnessed[e.index!] = store.pathTo(idOf());
          break;
        case 'deadlock':
          report('deadlock', 'Deadlock', 'no action is enabled', store.pathTo(e.id!));
          break;
        case 'action':
          report('action', e.prop!, e.reason, [...store.pathTo(e.id!), e.ai!]);
          break;
        case 'error':
          error = { message: e.message!, path: e.out === undefined && e.ai !== undefined ? [...store.pathTo(e.id!), e.ai] : store.pathTo(idOf()), action: e.action };
          stop = 'error';
          break;
        case 'unsupported':
          return e.message ?? 'a worker could not rebuild a state value';
      }
    }
    if (process.env.KRIPKE_PAR_DEBUG) console.error(`level ${depth}: ${levN} states, expand ${(tMerge - tLevel).toFixed(0)} ms, merge ${(performance.now() - tMerge).toFixed(0)} ms`);
    if (stop === null && probe) {
      if (beyond) {
        stop = 'incomplete';
        incompleteReason = `--max-depth ${maxDepth} reached: there are states beyond depth ${maxDepth}`;
      }
      break;
    }
    if (stop === null && (timedOut || overBudget || opts.signal?.aborted)) {
      stop = 'incomplete';
      incompleteReason = opts.signal?.aborted ? interrupted(opts.signal) : overBudget ? 'memory budget reached (a worker)' : '--timeout reached';
    }
    if (stop !== null) {
      if (total > 0) depth++; // the deepest level reached
      break;
    }
    lev = nextLev;
    width = nextWidth;
    levN = total;
    if (needsGrowth(codes.buffers)) growCodes();
    queued = levN;
    if (levN > 0) depth++;
    if (opts.onProgress && Date.now() >= nextProgress) {
      nextProgress = Date.now() + (opts.progressIntervalMs ?? 1000);
      opts.onProgress(stats());
    }
  }

  /** The shared codes' tables, twice as large (no worker is running). */
  function growCodes(): void {
    if (!needsGrowth(codes.buffers)) return;
    codes.attach(grown(codes.buffers));
    sentCodes.clear();
  }

  opts.signal?.removeEventListener('abort', onAbort);
  return finishResult(m, { stop, incompleteReason, stats: stats(), violations, witnessed, error, fired }, confirmer(m, rep, (hi, lo) => tableHas(table, cap - 1, hi, lo)));
}
