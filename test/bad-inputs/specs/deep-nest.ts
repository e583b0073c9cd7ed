import { List, Record } from 'immutable';
import { change, defineSpec } from '../../../src/index.js';
let v: any = 0; for (let i = 0; i < 20000; i++) v = List([v]);
const S = Record({ d: v as any, n: 0 });
export default defineSpec({ name: 'nest', build: () => ({ init: S(), deadlock: false,
  actions: { Inc: { apply: (s: any) => s.n < 3 && change(s).set('n', s.n + 1) } },
  invariants: { Ok: (s: any) => s.n < 3 } }) });
