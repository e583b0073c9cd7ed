// Entry of a parallel-checking worker: registers tsx (the spec module is TypeScript), then loads
// the worker proper.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
