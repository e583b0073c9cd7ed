/**
 * kripke's public API: what spec modules and tools import.
 */
export { defineSpec, action, violated, range, isSpec } from './core/spec.js';
export type {
  Spec,
  SpecInput,
  Model,
  ActionDef,
  ActionRef,
  ActionPropertyDef,
  Anchor,
  Explanation,
  Message,
  ConstDecl,
  ConstValue,
  Consts,
  Domains,
  Next,
  StatePredicate,
  SymmetricSet,
  SymmetryPath,
  Verdict,
  Violated,
  Mutation,
} from './core/spec.js';
export { change, Change } from './core/change.js';
export type { Path } from './core/change.js';
export { compile, formatAction, selectProperties, propertyNames } from './core/model.js';
export type { CompiledModel, Family, Instance } from './core/model.js';
export { check, checkAsync } from './core/explorer.js';
export { checkParallel } from './core/parallel.js';
export type { ParallelOptions } from './core/parallel.js';
export type { CheckOptions, CheckResult, Stats, Violation, SometimesResult, Coverage, EvalError, Status } from './core/explorer.js';
export { fingerprint } from './core/hash.js';
export type { Fingerprint } from './core/hash.js';
export { KripkeError } from './core/errors.js';
export { showValue, findMutable } from './core/values.js';
export { defineSuite, isSuite } from './core/suite.js';
export type { Suite, SuiteRow, Expectation } from './core/suite.js';

// ---- running a check, reading its traces (see checkSpec) ----
export { checkSpec, writeTrace } from './check-spec.js';
export type { CheckSpecOptions, SpecCheck } from './check-spec.js';
export { loadSpec, loadSuite } from './cli/load.js';
export { replayTraceFile } from './replay-file.js';
export type { ReplayFileOptions, TraceReplay } from './replay-file.js';
export { replayPath, formatPath, parsePath } from './trace/trace.js';
export type { Trace, Step, TraceClaim } from './trace/trace.js';
export { renderTrace } from './trace/text.js';
export { traceToItf, stringifyItf, parseItf } from './trace/itf.js';
