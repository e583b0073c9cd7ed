/**
 * A simulation worker (simulate-parallel.ts): loads the spec module itself, compiles it with the
 * constants and properties asked, walks its share of the walks (simulate.ts) and answers with the
 * result and the fingerprints it saw.
 */
import { parentPort } from 'node:worker_threads';
import { messageOf } from './errors.js';
import { importModule } from './import-module.js';
import { compile, selectProperties } from './model.js';
import { simulateSync, type SimulateOptions } from './simulate.js';
import { isSpec } from './spec.js';

export interface SimWorkerRequest {
  readonly specPath: string;
  readonly constants: readonly (readonly [string, string])[];
  readonly properties: readonly string[];
  readonly opts: Omit<SimulateOptions, 'share' | 'signal' | 'onProgress'>;
  readonly start: number;
  readonly stride: number;
  readonly best: SharedArrayBuffer;
}

parentPort!.on('message', async (msg: SimWorkerRequest) => {
  try {
    const mod = await importModule(msg.specPath);
    if (!isSpec(mod.default)) throw new Error(`${msg.specPath}: the default export is not a spec`);
    const m = selectProperties(compile(mod.default, msg.constants), msg.properties);
    const r = simulateSync(m, { ...msg.opts, share: { start: msg.start, stride: msg.stride, best: new Int32Array(msg.best) } });
    const table = r.seen!.toTable();
    const { seen: _seen, ...rest } = r;
    parentPort!.postMessage({ ok: true, result: rest, table }, [table.buffer as ArrayBuffer, r.fired.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ ok: false, message: messageOf(e) });
  }
});
