/**
 * Which guards and rules are necessary (`kripke mutate`): the spec is checked as it is, then
 * once per weakening, each named guard dropped (ActionDef.guards) and each named rule negated
 * (Model.rules), every time with the same properties. A weakening that makes a property fail is
 * necessary for it, and its shortest counterexample shows why; one after which every property
 * still holds is redundant for them (or they are too weak to see what it is for).
 */
import { checkAsync, type CheckOptions, type CheckResult } from './explorer.js';
import { compile, selectProperties, type CompiledModel } from './model.js';
import type { ConstValue, Mutation, Spec } from './spec.js';
import { KripkeError } from './errors.js';

export interface Weakening {
  readonly mutation: Mutation;
  /** 'guard Free.ackWait dropped', 'rule maskReadAfterWrite negated' */
  readonly label: string;
  /** What the rule says (rules only). */
  readonly doc?: string;
}

export interface MutantResult {
  readonly weakening: Weakening;
  readonly model: CompiledModel;
  readonly result: CheckResult;
  /** 'necessary': a property that held now fails; 'redundant': all still hold; else what stopped it. */
  readonly verdict: 'necessary' | 'redundant' | 'incomplete' | 'error';
}

export interface MutateRun {
  readonly baseline: { readonly model: CompiledModel; readonly result: CheckResult };
  readonly mutants: readonly MutantResult[];
}

/** The weakenings of a compiled model: each guard dropped, then each rule negated. */
export function weakenings(m: CompiledModel): Weakening[] {
  return [
    ...m.guards.map((g) => ({ mutation: { drop: g }, label: `guard ${g} dropped` })),
    ...Object.entries(m.rules).map(([r, doc]) => ({ mutation: { negate: r }, label: `rule ${r} negated`, doc })),
  ];
}

/** Checks the spec, then every weakening of it (`only`: a subset of the weakenings' names), with `properties` (default: every invariant and action property). */
export async function mutateSpec(
  spec: Spec<any, any>, constants: readonly (readonly [string, string | ConstValue])[], properties: readonly string[], opts: CheckOptions = {}, only?: readonly string[],
): Promise<MutateRun> {
  const select = (m: CompiledModel) => {
    const names = properties.length ? properties : [...m.invariants, ...m.actionProperties].map((p) => p.name);
    // sometimes properties say what is reachable, not what is safe: not judged here
    return { ...selectProperties(m, names), sometimes: [] } as CompiledModel;
  };
  const base = select(compile(spec, constants) as CompiledModel);
  const names = weakenings(base).map((w) => w.mutation.drop ?? w.mutation.negate!);
  if (names.length === 0) throw new KripkeError('config', `spec '${spec.name}' names no guards (ActionDef.guards) and no rules (Model.rules): there is nothing to weaken`);
  const unknown = (only ?? []).filter((n) => !names.includes(n));
  if (unknown.length) throw new KripkeError('config', `no guard or rule named ${unknown.join(', ')} (the spec's: ${names.join(', ')})`);
  const run = (m: CompiledModel) => checkAsync(m, { ...opts, continue: true });
  const baseline = { model: base, result: await run(base) };
  // a baseline cut short by a limit says nothing of what holds: no weakening can be judged against it
  const judged = baseline.result.status !== 'incomplete' && baseline.result.status !== 'error';
  const held = new Set([...base.invariants, ...base.actionProperties].map((p) => p.name).filter((n) => !baseline.result.violations.some((v) => v.property === n)));
  const mutants: MutantResult[] = [];
  // nothing can be judged against a baseline cut short or broken: its mutants are not checked
  if (!judged) return { baseline, mutants };
  for (const w of weakenings(base)) {
    const name = w.mutation.drop ?? w.mutation.negate!;
    if (only && only.length && !only.includes(name)) continue;
    const m = select(compile(spec, constants, w.mutation) as CompiledModel);
    const result = await run(m);
    const verdict = result.status === 'error' ? 'error'
      : result.violations.some((v) => held.has(v.property)) ? 'necessary'
      : result.status === 'incomplete' ? 'incomplete'
      : 'redundant';
    mutants.push({ weakening: w, model: m, result, verdict });
  }
  return { baseline, mutants };
}
