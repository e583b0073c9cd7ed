/**
 * Suites: a table of checks, each one (spec, constants, property) with an expected verdict.
 * `kripke suite <module>` runs every row and prints a verdict table; the kernel spec's verdict
 * table (the main job) is a suite.
 */
import type { ConstValue, Spec } from './spec.js';

/** What a row expects. */
export type Expectation =
  /** the invariant or action property holds in every reachable state / transition */
  | 'holds'
  /** it is violated (a counterexample is found) */
  | 'violated'
  /** a `sometimes` property has a reachable witness */
  | 'witness'
  /** a `sometimes` property has no reachable witness */
  | 'no-witness';

export interface SuiteRow {
  /** Variant label shown in the table, e.g. "V1". */
  readonly variant: string;
  readonly spec: Spec<any, any>;
  /** The spec's module path (relative to the project root), recorded in trace files for replay. */
  readonly module?: string;
  readonly constants?: Readonly<Record<string, ConstValue>>;
  /** The property checked (only this one is checked in this row). */
  readonly property: string;
  readonly expect: Expectation;
  /** Expected counterexample length in states (actions + 1), if pinned. */
  readonly expectLength?: number;
  /** One line shown under the table. */
  readonly note?: string;
}

export interface Suite {
  readonly kind: 'kripke.suite';
  readonly name: string;
  readonly doc?: string;
  readonly rows: readonly SuiteRow[];
}

/** Defines a suite; the module's default export. */
export function defineSuite(input: { name: string; doc?: string; rows: readonly SuiteRow[] }): Suite {
  return { kind: 'kripke.suite', ...input };
}

export function isSuite(x: unknown): x is Suite {
  return typeof x === 'object' && x !== null && (x as Suite).kind === 'kripke.suite' && Array.isArray((x as Suite).rows);
}
