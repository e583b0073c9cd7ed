// Subsets of 0..19 as immutable Sets (the tree path keeps a level's states as objects): about
// 180,000 states in the widest level, far more than a 64 MiB JS heap holds.
import { Set as ISet } from 'immutable';
import { defineSpec, range } from '../../../src/index.js';

export default defineSpec({
  name: 'heap-hungry',
  build: () => ({
    init: ISet<number>(),
    deadlock: false,
    actions: { Add: { params: { x: range(0, 19) }, apply: (s: ISet<number>, { x }: { x: number }) => !s.has(x) && s.add(x) } },
  }),
});
