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
import { encodedRepWith } from './symmetry/symmetric-rep.js';
import { checkSymmetry, Reservoir } from './symmetry/soundness.js';
import { discoverType } from './codec/discover.js';
import { SharedLevel, widthFor } from './codec/frontier.js';
import { grown, needsGrowth, newSharedCodes, SharedCodes } from './codec/shared-codes.js';
import { KripkeError } from './errors.js';
import { expander } from './expand.js';
import { importModule } from './import-module.js';
import { checkAsync, SEARCH_SAMPLES, type CheckOptions, type CheckResult, type Stats } from './explorer.js';
import { mergeLevel } from './merge.js';
import { interrupted } from './result.js';
import { compile, selectProperties, type CompiledModel } from './model.js';
import { Run } from './run.js';
import { isSpec } from './spec.js';
import { NO_PARENT } from './store.js';
import { CTL, growTable, newTable, tableHas, tableInsert } from './shared.js';
import type { LevelReply, LevelRequest, WorkerReply, WorkerRequest } from './messages.js';

/** Options of `checkParallel`. */
export interface ParallelOptions extends CheckOptions {
  /** Worker threads (1 runs `check` in this thread). */
  readonly workers: number;
  /** Check only these properties (as `selectProperties`). */
  readonly properties?: readonly string[];
}


/** The shared table's load past which workers stop claiming chunks until it has grown (as the single-thread store's). */
const LOAD_LIMIT = 0.75;

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

  const codes = new SharedCodes(newSharedCodes(new Codec(m.inits[0], undefined, m.notes).W));
  for (const s of m.inits) codes.types.learn(s);
  codes.discover = (sig) => discoverType(m, codes.types, sig);
  const codec = new Codec(m.inits[0], codes, m.notes);
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
      await Promise.all(workers.map((w) => request(w, { type: 'init', specPath: abs, constants, properties: opts.properties ?? [], W: codec.W, ctl: ctl.buffer, codes: codes.buffers, symmetry: opts.symmetry })))
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
  const run = new Run(m, opts, 16);
  const { store } = run;
  const rep = encodedRepWith<unknown>(m, codec, opts.symmetry);
  if (opts.symmetry !== undefined) checkSymmetry(m, rep);
  // with symmetry, states sampled from every level are checked again at the end
  const sampled = opts.symmetry !== undefined ? new Reservoir<unknown>(SEARCH_SAMPLES) : null;
  const row = new Uint32Array(codec.W);
  let cap = 1 << 20;
  let table = newTable(cap);
  let count = 0;
  const sentTable = new Set<Worker>();
  const sentCodes = new Set<Worker>(workers);
  const stats = (): Stats => run.stats(process.resourceUsage().maxRSS * 1024, store.bytes + table.byteLength);

  // ---- Init (in this thread, with an expander of its own for the checks) ----
  const initLevel = rep.newLevel();
  const initX = expander(
    m,
    rep,
    { insert: () => -1, has: () => true },
    {
      queue: () => true,
      violation: (kind, property, reason, id, ai) => run.violation(kind, property, reason, store.pathVia(id, ai)),
      witness: (k, id) => run.witness(k, store.pathTo(id)),
      fail: () => undefined,
    },
    new Int32Array(2),
    run.fired,
    new Set<string>(),
    m.sometimes.map(() => false),
  );
  run.init(rep, initX, initLevel, (hi, lo, i) => {
    if (!tableInsert(table, cap - 1, hi, lo)) return -1;
    count++;
    return store.append(NO_PARENT, i);
  });
  let lev = SharedLevel.from(codec.packing, initLevel, widthFor(codec.terms.max));
  const onAbort = () => Atomics.store(ctl, CTL.STOP, 1);
  opts.signal?.addEventListener('abort', onAbort);

  while (run.stop === null && lev.size > 0) {
    // At the depth limit the level is expanded without recording anything, to learn whether
    // states lie beyond it.
    const probe = run.depth >= run.maxDepth;
    const why = run.halted(Date.now(), table.byteLength);
    if (why !== null) {
      run.incomplete(why);
      break;
    }
    // Chunks small enough that the table cannot overflow between two load checks.
    const chunk = Math.max(1, Math.min(1024, Math.floor((cap * (1 - LOAD_LIMIT) * 0.5) / (workers.length * Math.max(1, m.instances.length)))));
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
            n: lev.size,
            width: lev.width,
            nEscaped: lev.nEscaped,
            ...(sentCodes.has(w) ? {} : { codes: codes.buffers }),
            chunk,
            table: sentTable.has(w) ? undefined : (table.buffer as SharedArrayBuffer),
            violated: [...run.violated],
            witnessed: run.witnessed.map((x) => x !== null),
            continue: !!opts.continue,
            deadline: run.deadline,
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
      // A table past its load limit: grow it (no worker runs now) and go on with the level.
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
    const { next, unsupported } = mergeLevel(run, codec.packing, replies);
    if (unsupported !== null) return unsupported;
    if (process.env.KRIPKE_PAR_DEBUG) {
      const mu = process.memoryUsage();
      console.error(`level ${run.depth}: ${lev.size} states, expand ${(tMerge - tLevel).toFixed(0)} ms, merge ${(performance.now() - tMerge).toFixed(0)} ms; rss ${mu.rss >> 20} MiB, heap ${mu.heapUsed >> 20}, array buffers ${mu.arrayBuffers >> 20}, table ${table.byteLength >> 20}, store ${store.bytes >> 20}`);
    }
    if (run.stop === null && probe) {
      run.probed(beyond);
      run.queued = 0; // the probed level was expanded, as the sequential search counts it
      break;
    }
    if (run.stop === null && (timedOut || overBudget || opts.signal?.aborted)) {
      run.incomplete(opts.signal?.aborted ? interrupted(opts.signal) : overBudget ? 'memory budget reached (a worker)' : '--timeout reached');
    }
    if (run.stop !== null) {
      if (next.size > 0) run.depth++; // the deepest level reached
      break;
    }
    lev = next;
    growCodes();
    if (sampled !== null) {
      const l = lev;
      for (let k = 0; k < l.size; k++) sampled.offer(() => (l.read(k, row), codec.decode(row)));
    }
    run.queued = lev.size;
    if (lev.size > 0) run.depth++;
    run.progress(Date.now(), stats);
  }

  /** The shared codes' tables, twice as large if they are past their load limit (no worker runs). */
  function growCodes(): void {
    if (!needsGrowth(codes.buffers)) return;
    codes.attach(grown(codes.buffers));
    sentCodes.clear();
  }

  opts.signal?.removeEventListener('abort', onAbort);
  if (sampled !== null && run.stop !== 'error') checkSymmetry(m, rep, sampled.items);
  return run.finish(rep, (hi, lo) => tableHas(table, cap - 1, hi, lo), stats());
}
