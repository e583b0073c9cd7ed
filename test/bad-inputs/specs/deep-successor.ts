// An action that builds a List nested 20,000 levels deep: refused (kripke's nesting limit), with
// the action named, not a stack overflow.
import { List, Record } from 'immutable';
import { change, defineSpec } from '../../../src/index.js';

let deep: unknown = 0;
for (let i = 0; i < 20_000; i++) deep = List([deep]);

const S = Record({ d: 0 as unknown, n: 0 });
export default defineSpec({
  name: 'deep-successor',
  build: () => ({
    init: S(),
    deadlock: false,
    actions: { Wrap: { apply: (s: ReturnType<typeof S>) => s.n === 0 && change(s).set('d', deep).set('n', 1) } },
    invariants: { Shallow: (s: ReturnType<typeof S>) => s.n < 1 },
  }),
});
