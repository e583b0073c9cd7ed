import { defineSpec } from '../../../src/index.js';
export default defineSpec({ name: 'prim', build: () => ({ init: 0, deadlock: false,
  actions: { Inc: { apply: (s: number) => s < 3 && s + 1 } },
  invariants: { Ok: (s: number) => s < 3 } }) });
