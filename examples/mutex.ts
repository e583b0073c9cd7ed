// A naive lock: each process checks the other's flag, then sets its own. Two steps, not one.
import { Map as IMap, Record, type RecordOf } from 'immutable';
import { change, defineSpec, range, violated } from '../src/index.js';

type Pc = 'idle' | 'checked' | 'critical';
type State = RecordOf<{ pc: IMap<number, Pc>; flag: IMap<number, boolean> }>;

export default defineSpec({
  name: 'mutex',
  constants: { N: { default: 2, min: 2, max: 5, doc: 'processes' } },
  build: ({ N }) => {
    const PROCS = range(1, N);
    const S = Record({ pc: IMap(PROCS.map((p) => [p, 'idle' as Pc])), flag: IMap(PROCS.map((p) => [p, false])) });
    return {
      init: S() as State,
      actions: {
        Check: { params: { p: PROCS }, apply: (s: State, { p }) =>
          s.pc.get(p) === 'idle' && !s.flag.some((f) => f) && change(s).setIn(['pc', p], 'checked') },
        Enter: { params: { p: PROCS }, apply: (s: State, { p }) =>
          s.pc.get(p) === 'checked' && change(s).setIn(['pc', p], 'critical').setIn(['flag', p], true) },
        Leave: { params: { p: PROCS }, apply: (s: State, { p }) =>
          s.pc.get(p) === 'critical' && change(s).setIn(['pc', p], 'idle').setIn(['flag', p], false) },
      },
      invariants: {
        MutualExclusion: (s: State) => {
          const inside = PROCS.filter((p) => s.pc.get(p) === 'critical');
          return inside.length <= 1 || violated(`processes ${inside.join(' and ')} are both critical`);
        },
      },
      // the processes are interchangeable: `--symmetry` explores one state per orbit
      symmetry: { PROCS: { values: PROCS, keys: ['pc', 'flag'] } },
    };
  },
});
