// Says, in its name, the JS heap limit of the process that loaded it (in GiB, rounded), so a
// test can see that `kripke check --memory` raised Node's heap limit to the budget.
import { Record } from 'immutable';
import { getHeapStatistics } from 'node:v8';
import { defineSpec } from '../../../src/index.js';

const S = Record({ n: 0 });
export default defineSpec({
  name: `heap-limit-${Math.round(getHeapStatistics().heap_size_limit / 2 ** 30)}GiB`,
  build: () => ({ init: S(), deadlock: false, actions: {} }),
});
