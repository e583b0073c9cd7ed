// The annotated spec of notes.test.ts, as a module of its own (checkParallel loads specs by path).
import { Record, Set as ISet } from 'immutable';
import { change, defineSpec, violated } from '../../src/index.js';

const S = Record({ n: 0, seen: ISet<number>(), why: '', peeked: false });
type St = ReturnType<typeof S>;

export default defineSpec({
  name: 'annotated',
  build: () => ({
    init: S(),
    notes: ['why'],
    actions: {
      Inc: { params: { by: [1, 2] }, apply: (s: St, { by }: { by: number }) => s.n < 6 && change(s).set('n', s.n + by).set('seen', s.seen.add(s.n)).set('why', `+${by} from ${s.n}`) },
      Wrap: { apply: (s: St) => s.n >= 6 && change(s).set('n', 0).set('why', `wrapped at ${s.n}`) },
      Peek: { apply: (s: St) => s.why !== '' && change(s).set('peeked', true) },
    },
    invariants: { Small: (s: St) => s.n < 8 || violated(`n is ${s.n}`), NoteUnseen: (s: St) => s.why === '' },
    sometimes: { Wrapped: (s: St) => s.n === 0 && s.seen.size > 0 },
  }),
});
