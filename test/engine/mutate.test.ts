/**
 * Which guards and rules are necessary (core/mutate.ts, `kripke mutate`): guards dropped, rules
 * negated through build's mutation, verdicts per weakening, and the kernel's answers.
 */
import { Record } from 'immutable';
import { describe, expect, it } from 'vitest';
import { change, compile, defineSpec, violated, type Mutation } from '../../src/index.js';
import { mutateSpec, weakenings } from '../../src/core/mutate.js';
import kernel from '../../spec/kernel.js';

type V = { a: number; b: number };
const S = Record<V>({ a: 0, b: 0 });
type St = ReturnType<typeof S>;
/** a counter a kept below 2 by a guard that matters, b by one that does not (b never passes 1 anyway), and a rule */
const spec = defineSpec({
  name: 'guarded',
  build: (_k, m?: Mutation) => ({
    init: S(),
    deadlock: false,
    actions: {
      IncA: { guards: { belowTwo: (s: St) => s.a < 1 }, apply: (s: St) => s.a < 3 && change(s).set('a', s.a + 1) },
      IncB: { guards: { belowFive: (s: St) => s.b < 5 }, apply: (s: St) => s.b < 1 && change(s).set('b', s.b + 1) },
      ...(m?.negate === 'noReset' ? {} : { Reset: { apply: (s: St) => s.a > 0 && change(s).set('a', 0) } }),
    },
    invariants: { ASmall: (s: St) => s.a < 2 || violated(`a = ${s.a}`), Never: () => true },
    rules: { noReset: 'Reset may always bring a back to 0' },
  }),
});

describe('mutate', () => {
  it('drops each guard and negates each rule in turn: necessary, redundant, and the shortest counterexample', async () => {
    const run = await mutateSpec(spec, [], []);
    expect(run.baseline.result.status).toBe('ok');
    expect(weakenings(run.baseline.model).map((w) => w.label)).toEqual(['guard IncA.belowTwo dropped', 'guard IncB.belowFive dropped', 'rule noReset negated']);
    const [a, b, r] = run.mutants;
    expect(a.verdict).toBe('necessary');
    expect(a.result.violations.map((v) => [v.property, v.length])).toEqual([['ASmall', 3]]);
    expect(b.verdict).toBe('redundant');
    expect(r.verdict).toBe('redundant'); // without Reset a still stops at 1
    expect(r.model.families.map((f) => f.name)).not.toContain('Reset');
  });

  it('a baseline cut short judges no weakening; a negated policy rule keeps the rest of the policy', async () => {
    const cut = await mutateSpec(kernel, [['VARIANT', 'V2b']], ['NoStaleTranslation'], { maxStates: 500 }, ['maskGuard']);
    expect(cut.baseline.result.status).toBe('incomplete');
    expect(cut.mutants).toEqual([]); // nothing to judge them against: not checked
    // V2b reads the mask early: its mutant without the guard still does (ReadMmCpumask stays)
    const m = compile(kernel, [['VARIANT', 'V2b']], { negate: 'maskGuard' });
    expect(m.families.map((f) => f.name)).toContain('ReadMmCpumask');
    await expect(mutateSpec(kernel, [['VARIANT', 'V0']], [], {}, ['nothing'])).rejects.toThrow(/no guard or rule named nothing/);
  });

  it('compile refuses a guard or rule the spec does not have, and records the mutation', () => {
    expect(() => compile(spec, [], { drop: 'IncA.nope' })).toThrow(/has no guard IncA.nope \(its guards: IncA.belowTwo, IncB.belowFive\)/);
    expect(() => compile(spec, [], { negate: 'nope' })).toThrow(/has no rule nope \(its rules: noReset\)/);
    expect(compile(spec, [], { drop: 'IncA.belowTwo' }).mutation).toEqual({ drop: 'IncA.belowTwo' });
  });

  it('the kernel: the ack wait is necessary where mmu_gather frees (V0-mixed), the lazy tlb_gen check in V4a, skipping lazy CPUs is not', async () => {
    const mixed = await mutateSpec(kernel, [['VARIANT', 'V0-mixed']], ['NoStaleTranslation'], {}, ['TlbFinishMmu.ackWait', 'ipiOthers']);
    expect(mixed.mutants.map((x) => [x.weakening.label, x.verdict, x.result.violations[0]?.length])).toEqual([
      ['guard TlbFinishMmu.ackWait dropped', 'necessary', 12],
      ['rule ipiOthers negated', 'necessary', 8],
    ]);
    const lazy = await mutateSpec(kernel, [['VARIANT', 'V4a']], ['NoStaleTranslation'], {}, ['lazyGenCheck', 'skipLazy']);
    expect(lazy.mutants.map((x) => [x.weakening.mutation.negate, x.verdict])).toEqual([['lazyGenCheck', 'necessary'], ['skipLazy', 'redundant']]);
    const mainline = await mutateSpec(kernel, [['VARIANT', 'V0b']], ['NoStaleTranslation'], {}, ['switchingIsLoaded', 'mbWhenBitSet']);
    expect(mainline.mutants.map((x) => [x.weakening.mutation.negate, x.verdict, x.result.violations[0]?.length])).toEqual([['switchingIsLoaded', 'necessary', 18], ['mbWhenBitSet', 'necessary', 18]]);
  });
});
