import { List, Record } from 'immutable';
import { change, defineSpec } from '../../../src/index.js';
const S = Record({ l: List<number>(), n: 0 });
export default defineSpec({ name: 'biglist', constants: { LEN: { default: 20000, min: 1 } }, build: ({ LEN }) => ({ init: S({ l: List(Array.from({ length: LEN }, (_, i) => i % 7)) }), deadlock: false,
  actions: { Inc: { apply: (s: any) => s.n < 3 && change(s).set('n', s.n + 1).setIn(['l', 5], s.n) } },
  invariants: { Ok: (s: any) => s.n < 3 } }) });
