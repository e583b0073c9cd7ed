/**
 * The spec API: what a spec module default-exports.
 *
 * A spec declares constants (with defaults and allowed values) and a `build` function that,
 * given the constants, returns the model: initial states, named action families with parameter
 * domains, and properties. Everything is pure: actions map a state (and parameters) to the next
 * state, or to "not enabled" (`null`, `undefined` or `false`).
 */
import type { Change } from './change.js';

/** A constant's value. */
export type ConstValue = number | string | boolean;

/** Declaration of one constant. */
export interface ConstDecl<T extends ConstValue = ConstValue> {
  /** The value used when the command line does not set one. */
  readonly default: T;
  /** The allowed values; when absent, any value of the default's type (within min/max). */
  readonly values?: readonly T[];
  /** Bounds for integer constants. */
  readonly min?: number;
  readonly max?: number;
  /** One line shown by `kripke list`. */
  readonly doc?: string;
}

/** The constants' values, as `build` receives them. */
export type Consts<C> = { readonly [K in keyof C]: C[K] extends ConstDecl<infer T> ? Widen<T> : never };
type Widen<T> = T extends number ? number : T extends boolean ? boolean : T extends string ? T : T;

/** A failed property: optionally with a reason printed next to the violation. */
export interface Violated {
  readonly violated: true;
  readonly reason: string;
}

/** Marks a property as violated, with the values that broke it. */
export function violated(reason: string): Violated {
  return { violated: true, reason };
}

/** What a property returns: `true` holds, `false` or `violated(reason)` fails. */
export type Verdict = boolean | Violated;

/** Parameter domains of an action family: name -> values, enumerated in declaration order. */
export type Domains<P> = { readonly [K in keyof P]: readonly P[K][] };

/** What an action returns: the next state, a `change(s)` of it, or "not enabled". */
export type Next<S> = S | Change<S> | null | undefined | false;

/** One action family: a named, parameterised transition. */
export interface ActionDef<S, P extends Record<string, unknown> = Record<string, never>> {
  /** Parameter domains (omit for an action without parameters). */
  readonly params?: Domains<P>;
  /** The transition. Must be pure. */
  readonly apply: (s: S, p: P) => Next<S>;
  /**
   * Named conjuncts of the enabling condition, checked (in order) before `apply`, which runs
   * only if all hold. Naming them lets `kripke mutate` drop each in turn (`Family.guard`): then
   * `apply` runs without it, so it must make sense of a state the guard would have refused.
   */
  readonly guards?: { readonly [name: string]: (s: S, p: P) => boolean };
  /** Who performs it (shown in traces), e.g. `(p) => \`CPU ${p.c}\``. */
  readonly actor?: (p: P) => string;
  /** What it stands for (shown in traces), e.g. the kernel function. */
  readonly doc?: string;
  /**
   * The column of a trace it is drawn in (`--lanes`, the viewer, sequence diagrams), e.g.
   * `(p) => \`CPU ${p.c}\``; default its actor. Several actors may share a lane (a thread and the
   * CPU it runs on).
   */
  readonly lane?: (p: P) => string;
  /** Where its code lives (file, function, the version modelled): traces print it with the step. */
  readonly anchor?: Anchor | readonly Anchor[];
  /**
   * Explains a step, only when a trace is rendered (never during the search): a note ("CPU 1
   * skipped: mask read {0}"), or notes and the messages the step sends or receives.
   */
  readonly explain?: (s: S, p: P, t: S) => Explanation | string | readonly string[] | undefined;
}

/** A place in source code an action models: `{ file: 'mm/memory.c', fn: 'zap_pte_range', version: 'v4.17' }`. */
export interface Anchor {
  readonly file: string;
  readonly fn?: string;
  /** the version of the code modelled ('v4.17', 'mainline 6.15') */
  readonly version?: string;
  readonly line?: number;
}

/**
 * A message a step sends (an IPI): drawn from the sending step to the later step that receives
 * the same `id`, or, if none does, to the lane `to` at the sending step.
 */
export interface Message {
  readonly id: string;
  /** the lane of the receiver */
  readonly to: string;
  readonly label: string;
}

/** What `explain` returns: notes, and messages sent and received (ids of earlier sends). */
export interface Explanation {
  readonly note?: string | readonly string[];
  readonly send?: readonly Message[];
  readonly receive?: readonly string[];
}

/** A reference to an action instance, passed to action properties. */
export interface ActionRef {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** An action property: checked on every transition (s, action, t) of the named families. */
export interface ActionPropertyDef<S> {
  readonly check: (s: S, a: ActionRef, t: S) => Verdict;
  /** Only transitions of these families are checked (default: all). */
  readonly actions?: readonly string[];
  readonly doc?: string;
}

/** A state predicate with an optional description. */
export type StatePredicate<S> = ((s: S) => Verdict) | { readonly check: (s: S) => Verdict; readonly doc?: string };

/** The model a spec builds for one choice of constants. */
export interface Model<S> {
  /** One initial state or several. */
  readonly init: S | readonly S[];
  /** Action families, in the order they are enumerated. */
  readonly actions: { readonly [name: string]: ActionDef<S, any> };
  /** Invariants: must hold in every reachable state. */
  readonly invariants?: { readonly [name: string]: StatePredicate<S> };
  /** Action properties: must hold on every transition. */
  readonly actionProperties?: { readonly [name: string]: ActionPropertyDef<S> };
  /** `sometimes` properties: some reachable state must satisfy each (catches vacuous specs). */
  readonly sometimes?: { readonly [name: string]: StatePredicate<S> };
  /** State constraints: states outside are kept (and checked) but not expanded. */
  readonly constraints?: { readonly [name: string]: (s: S) => boolean };
  /** Report states with no enabled action (default true). */
  readonly deadlock?: boolean;
  /** Renders a state's variables for traces (default: the state's own fields). */
  readonly view?: (s: S) => unknown;
  /**
   * Note fields of the state Record: explanation that traces show ("why CPU 1 was skipped"), not
   * part of the state. They are not fingerprinted; every action and property sees a state with
   * its notes at their defaults; a state's notes are what the action that produced it wrote.
   */
  readonly notes?: readonly string[];
  /**
   * Bookkeeping: paths of the state (`'ops.*.phase'`, `'sw'`; `*` is any key) whose changes
   * traces hide by default (`--show-all` shows them). They stay part of the state.
   */
  readonly bookkeeping?: readonly SymmetryPath[];
  /** The order of trace lanes (lanes not listed follow, in order of appearance). */
  readonly lanes?: readonly string[];
  /**
   * Symmetric sets (TLC's SYMMETRY, Rumur's scalarsets): values of a set are interchangeable in
   * the spec's logic, so `--symmetry` explores one state per orbit under every permutation of
   * each set (and their product). See symmetry/declare.ts for where a set's values may appear.
   */
  readonly symmetry?: { readonly [set: string]: SymmetricSet };
  /**
   * Named rules of the model (a policy's, an era's ordering), each with what it says: rules
   * `kripke mutate` can negate, by building the model again with `mutation.negate` set.
   */
  readonly rules?: { readonly [name: string]: string };
}

/** A path into a state: `'tlb.*'` or `['tlb', '*']`; `*` is every field, entry or element. */
export type SymmetryPath = string | readonly (string | number)[];

/**
 * One symmetric set: its values (numbers or strings; any other value is left alone, such as 0
 * for "none"), and every place the state holds one of them. A value of the set anywhere else
 * breaks the symmetry, and `--symmetry` refuses the spec (it checks samples of states).
 */
export interface SymmetricSet {
  readonly values: readonly (number | string)[];
  /** Maps whose keys are the set's values (`running`, `tlb`: one entry per CPU). */
  readonly keys?: readonly SymmetryPath[];
  /**
   * Values that are one of the set's values (`opPage`, `tlb.*.*`, `mask.*` for a Set of CPUs),
   * or, with `map`, values that name them some other way (`'f1:ro'`): `map(v, rename)` returns
   * `v` with each of the set's values `x` in it replaced by `rename(x)`.
   */
  readonly refs?: readonly (SymmetryPath | { readonly path: SymmetryPath; readonly map: (v: any, rename: (x: any) => any) => unknown })[];
}

/** A spec: constants and the model built from them. */
export interface Spec<S = any, C extends Record<string, ConstDecl> = Record<string, ConstDecl>> {
  readonly kind: 'kripke.spec';
  readonly name: string;
  readonly doc?: string;
  readonly constants: C;
  readonly build: (k: Consts<C>, mutation?: Mutation) => Model<S>;
}

/**
 * A weakened spec (`kripke mutate`): one named guard dropped (`Family.guard`), or one of the
 * model's named rules negated (`build` receives it and builds the model without the rule).
 */
export interface Mutation {
  readonly drop?: string;
  readonly negate?: string;
}

/** Input of `defineSpec`. */
export interface SpecInput<S, C extends Record<string, ConstDecl>> {
  readonly name: string;
  readonly doc?: string;
  readonly constants?: C;
  /** `mutation.negate`, when set, names one of the model's `rules` to build without. */
  readonly build: (k: Consts<C>, mutation?: Mutation) => Model<S>;
}

/** Defines a spec; the module's default export. */
export function defineSpec<S, C extends Record<string, ConstDecl> = Record<string, never>>(
  input: SpecInput<S, C>,
): Spec<S, C> {
  return {
    kind: 'kripke.spec',
    name: input.name,
    doc: input.doc,
    constants: (input.constants ?? {}) as C,
    build: input.build,
  };
}

/** Declares an action family with typed parameters (helps inference in `actions: {...}`). */
export function action<S, P extends Record<string, unknown> = Record<string, never>>(
  def: ActionDef<S, P>,
): ActionDef<S, P> {
  return def;
}

/** Whether a value is a spec made by `defineSpec`. */
export function isSpec(x: unknown): x is Spec {
  return typeof x === 'object' && x !== null && (x as Spec).kind === 'kripke.spec' && typeof (x as Spec).build === 'function';
}

/** The integers lo..hi inclusive (TLA+'s `lo..hi`). */
export function range(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let i = lo; i <= hi; i++) out.push(i);
  return out;
}
