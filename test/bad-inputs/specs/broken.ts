/**
 * A counter 0..3 with one bug chosen by the constant BUG: each value is a way a spec can be
 * wrong (a property that does not answer true/false/violated, an action that does not return a
 * state, an impure action or property, a throwing hook...). The bad-input corpus runs each one.
 * Written in plain JavaScript style (casts instead of types), as a spec run without type
 * checking would be.
 */
import { List, Map as IMap, Record, type RecordOf } from 'immutable';
import { change, defineSpec, violated } from '../../../src/index.js';

type S = RecordOf<{ n: number; tag: string }>;
const R = Record({ n: 0, tag: 'a' });
const Other = Record({ n: 0, tag: 'a' });

export const BUGS = [
  'none',
  'invariant-undefined',
  'invariant-string',
  'invariant-number',
  'invariant-object',
  'sometimes-undefined',
  'action-property-undefined',
  'constraint-undefined',
  'action-true',
  'action-number',
  'action-string',
  'action-other-record',
  'action-map',
  'misspelt-field',
  'action-throws',
  'invariant-throws',
  'action-property-throws',
  'constraint-throws',
  'mutable-value',
  'impure-action',
  'impure-invariant',
  'impure-sometimes',
  'actor-throws',
  'doc-throws',
  'view-throws',
  'build-throws',
  'no-init',
  'init-mutable',
] as const;
type Bug = (typeof BUGS)[number];

let calls = 0;
let flaky = 0;

export default defineSpec({
  name: 'broken',
  doc: 'a counter with one bug (BUG)',
  constants: { BUG: { default: 'none' as Bug, values: BUGS } },
  build: ({ BUG }) => {
    calls = 0;
    flaky = 0;
    const bug = (b: Bug) => BUG === b;
    if (bug('build-throws')) throw new Error('cannot build the model');
    const any = (x: unknown) => x as never;
    const inc = (s: S) => {
      if (bug('action-throws') && s.n === 2) throw new Error('n must stay below 2');
      if (s.n >= 3) return false;
      if (bug('action-true')) return any(true);
      if (bug('action-number') && s.n === 1) return any(7);
      if (bug('action-string')) return any('next');
      if (bug('action-other-record')) return any(Other({ n: s.n + 1 }));
      if (bug('action-map')) return any(IMap({ n: s.n + 1 }));
      if (bug('misspelt-field')) return change(s).set('nn', s.n + 1);
      if (bug('mutable-value') && s.n === 1) return any(s.set('tag', any({ plain: 'object' })));
      calls++;
      // impure: from the 4th call on (after the search, when the trace is replayed) it also retags
      if (bug('impure-action') && calls > 3) return change(s).set('n', s.n + 1).set('tag', 'b');
      return change(s).set('n', s.n + 1);
    };
    return {
      init: bug('no-init') ? any([]) : bug('init-mutable') ? any(R({ tag: any(['a']) })) : R(),
      deadlock: false,
      actions: {
        Inc: {
          apply: inc,
          actor: () => {
            if (bug('actor-throws')) throw new Error('no actor here');
            return 'CPU 0';
          },
          get doc(): string {
            if (bug('doc-throws')) throw new Error('no doc here');
            return 'n++';
          },
        },
      },
      invariants: {
        Small: (s: S) => {
          if (bug('invariant-throws') && s.n === 2) throw new Error('cannot judge n = 2');
          if (bug('impure-invariant')) return !(s.n === 3 && ++flaky === 1) || violated('n reached 3 (once)');
          if (bug('invariant-undefined')) return any(s.n === 3 ? undefined : true);
          if (bug('invariant-string')) return any(s.n === 3 ? 'no' : true);
          if (bug('invariant-number')) return any(s.n === 3 ? 0 : true);
          if (bug('invariant-object')) return any(s.n === 3 ? { violated: 'yes' } : true);
          return s.n < 3 || violated(`n = ${s.n}`);
        },
      },
      sometimes: {
        ReachesTwo: (s: S) => {
          if (bug('sometimes-undefined')) return any(undefined);
          if (bug('impure-sometimes')) return s.n === 2 && ++flaky === 1;
          return s.n === 2;
        },
      },
      actionProperties: {
        Grows: {
          check: (s: S, _a: unknown, t: S) => {
            if (bug('action-property-undefined') && t.n === 2) return any(undefined);
            if (bug('action-property-throws') && t.n === 2) throw new Error('cannot compare');
            return t.n > s.n;
          },
        },
      },
      constraints: {
        Bound: (s: S) => {
          if (bug('constraint-undefined') && s.n === 2) return any(undefined);
          if (bug('constraint-throws') && s.n === 2) throw new Error('cannot bound');
          return s.n <= 3;
        },
      },
      view: (s: S) => {
        if (bug('view-throws')) throw new Error('no view here');
        return s;
      },
    };
  },
});
