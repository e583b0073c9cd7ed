// A counter whose action busy-waits 1.5 s per step (a stand-in for a very slow spec): signals
// arrive while the search is inside an action.
import { Record } from 'immutable';
import { change, defineSpec } from '../../../src/index.js';

const S = Record({ n: 0 });
export default defineSpec({
  name: 'slow',
  build: () => ({
    init: S(),
    deadlock: false,
    actions: {
      Inc: {
        apply: (s: ReturnType<typeof S>) => {
          const until = Date.now() + 1500;
          while (Date.now() < until) {
            /* busy */
          }
          return s.n < 10 && change(s).set('n', s.n + 1);
        },
      },
    },
  }),
});
