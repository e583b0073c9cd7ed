/**
 * A spec instantiated for one choice of constants: action families expanded into a flat,
 * deterministically ordered list of action instances (family order, then parameter order with
 * the last parameter varying fastest), and properties in declaration order.
 *
 * The index of an instance in that list is what counterexample paths record (`0/3/1/7`), so a
 * path replays to the same states.
 */
import { resolveConstants } from './constants.js';
import { KripkeError, messageOf } from './errors.js';
import type { ActionDef, ActionPropertyDef, ActionRef, ConstValue, Model, Mutation, Spec, StatePredicate, Verdict } from './spec.js';
import { findMutable } from './values.js';
import { checkNotes, stripper } from './notes.js';
import { checkPresentation } from './presentation.js';
import { normaliseSymmetry, type Symmetry } from './symmetry/declare.js';

/** One action family of the instantiated model. */
export interface Family<S = unknown> {
  readonly index: number;
  readonly name: string;
  readonly def: ActionDef<S, any>;
  readonly paramNames: readonly string[];
  /** Index of the family's first instance in `instances`. */
  readonly first: number;
  readonly count: number;
}

/** One action with concrete parameters. */
export interface Instance<S = unknown> extends ActionRef {
  readonly index: number;
  readonly family: Family<S>;
  readonly apply: (s: S, p: any) => unknown;
}

/** A named state predicate, normalised. */
export interface NamedPredicate<S = unknown> {
  readonly name: string;
  readonly check: (s: S) => Verdict;
  readonly doc?: string;
}

export interface NamedActionProperty<S = unknown> {
  readonly name: string;
  readonly check: ActionPropertyDef<S>['check'];
  /** Which families are checked (by family index). */
  readonly families: ReadonlySet<number>;
  readonly doc?: string;
}

/** A spec, instantiated. */
export interface CompiledModel<S = unknown> {
  readonly spec: Spec<S, any>;
  readonly constants: Readonly<Record<string, ConstValue>>;
  readonly model: Model<S>;
  readonly inits: readonly S[];
  readonly families: readonly Family<S>[];
  readonly instances: readonly Instance<S>[];
  readonly invariants: readonly NamedPredicate<S>[];
  readonly actionProperties: readonly NamedActionProperty<S>[];
  readonly sometimes: readonly NamedPredicate<S>[];
  readonly constraints: readonly { name: string; check: (s: S) => boolean }[];
  readonly deadlock: boolean;
  /** The state's note fields (see notes.ts): not part of the state. */
  readonly notes: readonly string[];
  /** The symmetric sets the spec declares (used with `--symmetry`), or null. */
  readonly symmetry: Symmetry | null;
  /** The weakening this model was built with (`kripke mutate`), if any. */
  readonly mutation?: Mutation;
  /** The named guards (`Family.guard`) and rules (name -> what it says) `kripke mutate` can weaken. */
  readonly guards: readonly string[];
  readonly rules: Readonly<Record<string, string>>;
}

function normalisePredicates<S>(m: { readonly [n: string]: StatePredicate<S> } | undefined): NamedPredicate<S>[] {
  return Object.entries(m ?? {}).map(([name, p]) =>
    typeof p === 'function' ? { name, check: p } : { name, check: p.check, doc: p.doc },
  );
}

function product(names: readonly string[], domains: readonly (readonly unknown[])[]): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  names.forEach((n, i) => {
    const next: Record<string, unknown>[] = [];
    for (const partial of out) for (const v of domains[i]) next.push({ ...partial, [n]: v });
    out = next;
  });
  return out;
}

/** Formats an action instance as `Name(p=v, ...)`. */
export function formatAction(a: ActionRef): string {
  const ps = Object.entries(a.params).map(([k, v]) => `${k}=${typeof v === 'string' ? v : String(v)}`);
  return ps.length ? `${a.name}(${ps.join(', ')})` : a.name;
}

/**
 * Instantiates a spec. Throws KripkeError('config') for bad constants, ('eval') when `build`
 * or the initial states are broken.
 */
export function compile<S>(spec: Spec<S, any>, overrides: Iterable<readonly [string, string | ConstValue]> = [], mutation?: Mutation): CompiledModel<S> {
  const constants = resolveConstants(spec.constants, overrides);
  let model: Model<S>;
  try {
    model = mutation ? spec.build(constants as never, mutation) : spec.build(constants as never);
  } catch (e) {
    throw new KripkeError('eval', `spec '${spec.name}': build() threw: ${messageOf(e)}`);
  }
  if (!model || typeof model !== 'object' || !model.actions) {
    throw new KripkeError('load', `spec '${spec.name}': build() must return { init, actions, ... }`);
  }
  const inits = (Array.isArray(model.init) ? model.init : [model.init]) as S[];
  if (inits.length === 0 || model.init === undefined) throw new KripkeError('eval', `spec '${spec.name}': no initial state`);
  inits.forEach((s, i) => {
    const bad = findMutable(s, inits.length > 1 ? `init[${i}]` : 'init');
    if (bad) throw new KripkeError('eval', `spec '${spec.name}': the initial state is refused: ${bad}`);
  });

  const notes = checkNotes(spec.name, inits[0], model.notes);
  // Actions and properties see states with their notes at their defaults.
  const strip = stripper<S>(notes);
  const bare = <A extends unknown[], R>(f: (s: S, ...a: A) => R): ((s: S, ...a: A) => R) => (notes.length === 0 ? f : (s, ...a) => f(strip(s), ...a));
  const families: Family<S>[] = [];
  const instances: Instance<S>[] = [];
  const guardNames: string[] = [];
  for (const [name, def] of Object.entries(model.actions)) {
    if (!def || typeof def.apply !== 'function') throw new KripkeError('load', `spec '${spec.name}': action ${name} has no apply function`);
    const params = (def.params ?? {}) as Record<string, readonly unknown[]>;
    const paramNames = Object.keys(params);
    for (const p of paramNames) {
      if (!Array.isArray(params[p])) throw new KripkeError('load', `spec '${spec.name}': action ${name}: the domain of parameter ${p} is not an array`);
    }
    const combos = product(paramNames, paramNames.map((p) => params[p]));
    const family: Family<S> = { index: families.length, name, def, paramNames, first: instances.length, count: combos.length };
    families.push(family);
    const guards = Object.entries(def.guards ?? {});
    for (const [g, f] of guards) {
      if (typeof f !== 'function') throw new KripkeError('load', `spec '${spec.name}': action ${name}: guard ${g} is not a function`);
      guardNames.push(`${name}.${g}`);
    }
    const kept = guards.filter(([g]) => mutation?.drop !== `${name}.${g}`).map(([, f]) => f);
    const [g0] = kept;
    const run = def.apply;
    const apply = kept.length === 0 ? run
      : kept.length === 1 ? (st: S, p: any) => (g0(st, p) ? run(st, p) : null)
      : (st: S, p: any) => {
        for (const g of kept) if (!g(st, p)) return null;
        return run(st, p);
      };
    for (const c of combos) {
      instances.push({ index: instances.length, family, name, params: Object.freeze(c), apply: bare(apply) });
    }
  }
  const rules = model.rules ?? {};
  if (mutation?.drop !== undefined && !guardNames.includes(mutation.drop)) {
    throw new KripkeError('config', `spec '${spec.name}' has no guard ${mutation.drop} (its guards: ${guardNames.join(', ') || 'none'})`);
  }
  if (mutation?.negate !== undefined && !Object.hasOwn(rules, mutation.negate)) {
    throw new KripkeError('config', `spec '${spec.name}' has no rule ${mutation.negate} (its rules: ${Object.keys(rules).join(', ') || 'none'})`);
  }

  checkPresentation(spec.name, model as Model<unknown>);
  const familyIndex = new Map(families.map((f) => [f.name, f.index]));
  const actionProperties = Object.entries(model.actionProperties ?? {}).map(([name, p]) => {
    const fams = p.actions ?? families.map((f) => f.name);
    for (const f of fams) {
      if (!familyIndex.has(f)) throw new KripkeError('load', `spec '${spec.name}': action property ${name} names unknown action ${f}`);
    }
    const check = p.check;
    const bareCheck = notes.length === 0 ? check : (s: S, a: ActionRef, t: S) => check(strip(s), a, strip(t));
    return { name, check: bareCheck, doc: p.doc, families: new Set(fams.map((f) => familyIndex.get(f)!)) };
  });

  return {
    spec,
    constants,
    model,
    inits,
    families,
    instances,
    invariants: normalisePredicates(model.invariants).map((p) => ({ ...p, check: bare(p.check) })),
    actionProperties,
    sometimes: normalisePredicates(model.sometimes).map((p) => ({ ...p, check: bare(p.check) })),
    constraints: Object.entries(model.constraints ?? {}).map(([name, check]) => ({ name, check: bare(check) })),
    deadlock: model.deadlock ?? true,
    notes,
    symmetry: normaliseSymmetry(spec.name, model.symmetry, strip(inits[0])),
    ...(mutation ? { mutation } : {}),
    guards: guardNames,
    rules,
  };
}

/** The names of all properties of a model, by kind. */
export function propertyNames(m: CompiledModel<unknown>): string[] {
  return [...m.invariants.map((p) => p.name), ...m.actionProperties.map((p) => p.name), ...m.sometimes.map((p) => p.name)];
}

/**
 * Keeps only the named properties (for `--invariant`); unknown names are a config error.
 */
export function selectProperties<S>(m: CompiledModel<S>, names: readonly string[]): CompiledModel<S> {
  if (names.length === 0) return m;
  const known = new Set(propertyNames(m as CompiledModel<unknown>));
  for (const n of names) {
    if (!known.has(n)) {
      throw new KripkeError('config', `unknown property '${n}' (the spec has ${[...known].join(', ') || 'none'})`);
    }
  }
  const keep = new Set(names);
  return {
    ...m,
    invariants: m.invariants.filter((p) => keep.has(p.name)),
    actionProperties: m.actionProperties.filter((p) => keep.has(p.name)),
    sometimes: m.sometimes.filter((p) => keep.has(p.name)),
  };
}
