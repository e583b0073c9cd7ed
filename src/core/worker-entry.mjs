// Entry of a parallel-checking worker: registers tsx (spec modules may be TypeScript), then loads
// the worker proper: worker.ts in a source checkout, the compiled worker.js in the package.
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
globalThis[Symbol.for('kripke.tsx-registered')] = true; // see tsx.ts
const source = new URL('./worker.ts', import.meta.url);
await import(existsSync(source) ? source.href : new URL('./worker.js', import.meta.url).href);
