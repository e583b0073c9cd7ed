/**
 * deep: a search of many levels with few states each (a counter to MAX with a flag toggled on the
 * way), for the benchmark (`npm run bench -- --jobs deep-300k`). It measures what every level
 * costs besides its states (a level's storage starts small), and a slot whose domain holds
 * hundreds of thousands of values (the counter).
 */
import { Record, type RecordOf } from 'immutable';
import { change, defineSpec } from '../../src/index.js';

interface Vars {
  n: number;
  flag: boolean;
  /** idle fields: a state as wide as a real spec's */
  pad: RecordOf<{ a: number; b: number; c: boolean; d: string }>;
}
type State = RecordOf<Vars>;
const Pad = Record({ a: 0, b: 0, c: false, d: 'x' });
const S = Record<Vars>({ n: 0, flag: false, pad: Pad() });

export default defineSpec({
  name: 'deep',
  doc: 'a counter to MAX with a flag: MAX levels of two states',
  constants: { MAX: { default: 1000, min: 1, max: 10_000_000, doc: 'the counter bound' } },
  build: ({ MAX }) => ({
    init: S() as State,
    deadlock: false,
    actions: {
      Inc: { doc: 'count', apply: (s: State) => s.n < MAX && change(s).set('n', s.n + 1) },
      Toggle: { doc: 'flip the flag', apply: (s: State) => change(s).set('flag', !s.flag) },
    },
    invariants: { Bounded: (s: State) => s.n <= MAX },
    sometimes: { Top: (s: State) => s.n === MAX },
  }),
});
