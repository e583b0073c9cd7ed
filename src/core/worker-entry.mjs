// Entry of a worker thread: registers tsx (spec modules may be TypeScript), then loads the worker
// proper: worker.ts (parallel checking) or, as workerData.entry says, simulate-worker.ts; the
// .ts in a source checkout, the compiled .js in the package.
import { existsSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
globalThis[Symbol.for('kripke.tsx-registered')] = true; // see tsx.ts
const entry = workerData?.entry === 'simulate-worker' ? 'simulate-worker' : 'worker';
const source = new URL(`./${entry}.ts`, import.meta.url);
await import(existsSync(source) ? source.href : new URL(`./${entry}.js`, import.meta.url).href);
