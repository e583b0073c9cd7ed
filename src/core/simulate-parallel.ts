/**
 * Simulation on worker threads: worker w of N walks the walks w, w + N, w + 2N, ... of the same
 * seeded sequence (simulate.ts), and a shared counter keeps the lowest walk index that found a
 * violation, past which no worker walks. So the violation reported is that of the first
 * violating walk, whatever N: the same as one thread's, for the same seed, depth and walks
 * (with --timeout, which walks fit in the time depends on the machine). Counts are summed, the
 * distinct states merged.
 */
import { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import { KripkeError } from './errors.js';
import { FingerprintSet } from './store.js';
import { DEFAULT_RUNS, type SimResult, type SimulateOptions } from './simulate.js';
import type { SimWorkerRequest } from './simulate-worker.js';

type Reply = { ok: true; result: Omit<SimResult, 'seen'>; table: Int32Array } | { ok: false; message: string };

export async function simulateParallel(
  specPath: string, constants: readonly (readonly [string, string])[], properties: readonly string[], opts: SimulateOptions, workers: number,
): Promise<SimResult> {
  const t0 = performance.now();
  const best = new SharedArrayBuffer(4);
  new Int32Array(best)[0] = 0x7fffffff;
  const runs = opts.runs ?? (opts.timeoutMs === undefined ? DEFAULT_RUNS : Infinity);
  const { signal, onProgress: _p, share: _s, ...plain } = opts;
  const threads = Array.from({ length: workers }, () => new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { entry: 'simulate-worker' } }));
  const abort = () => void Promise.all(threads.map((w) => w.terminate()));
  signal?.addEventListener('abort', abort);
  try {
    const waiting = Promise.all(threads.map((w, i) => new Promise<Reply>((res, rej) => {
      w.once('message', res);
      w.once('error', rej);
      w.once('exit', (code) => (code !== 0 ? rej(new Error(`a simulation worker stopped (exit ${code})`)) : undefined));
      const req: SimWorkerRequest = { specPath: resolve(specPath), constants, properties, opts: { ...plain, runs }, start: i, stride: workers, best };
      w.postMessage(req);
    })));
    let replies: Reply[];
    try {
      replies = await waiting;
    } catch (e) {
      if (!signal?.aborted) throw e;
      // interrupted: the workers were stopped, their walks lost
      const stats = { runs: 0, steps: 0, deadEnds: 0, distinct: 0, elapsedMs: performance.now() - t0 };
      return { status: 'incomplete', seed: opts.seed ?? 0, depth: opts.depth ?? 100, stats, fired: new Float64Array(0), threads: workers, incompleteReason: String(signal.reason ?? 'interrupted') };
    }
    const failed = replies.find((r): r is { ok: false; message: string } => !r.ok);
    if (failed) throw new KripkeError('load', `a simulation worker could not run the spec: ${failed.message}`);
    const rs = replies.map((r) => (r as Extract<Reply, { ok: true }>));
    const seen = new FingerprintSet();
    for (const r of rs) seen.addAll(r.table);
    const fired = new Float64Array(rs[0].result.fired.length);
    for (const r of rs) r.result.fired.forEach((x, i) => (fired[i] += x));
    const sum = (k: 'runs' | 'steps' | 'deadEnds') => rs.reduce((a, r) => a + r.result.stats[k], 0);
    // the lowest walk that found something, a violation or an error: what one thread would report
    const at = (r: (typeof rs)[number]) => r.result.found?.run ?? r.result.error?.run ?? Infinity;
    const first = [...rs].sort((a, b) => at(a) - at(b))[0];
    const hit = first && at(first) < Infinity ? first.result : undefined;
    const stats = { runs: sum('runs'), steps: sum('steps'), deadEnds: sum('deadEnds'), distinct: seen.size, elapsedMs: performance.now() - t0 };
    const base = { seed: rs[0].result.seed, depth: rs[0].result.depth, stats, fired, seen, threads: workers };
    if (hit?.error) return { ...base, status: 'error', error: hit.error };
    if (signal?.aborted) return { ...base, status: 'incomplete', incompleteReason: String(signal.reason ?? 'interrupted') };
    if (hit?.found) return { ...base, status: 'violation', found: hit.found };
    return { ...base, status: 'ok', ...(rs.some((r) => r.result.incompleteReason) ? { incompleteReason: rs.find((r) => r.result.incompleteReason)!.result.incompleteReason } : {}) };
  } finally {
    signal?.removeEventListener('abort', abort);
    await Promise.all(threads.map((w) => w.terminate()));
  }
}
