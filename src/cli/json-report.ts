/**
 * The JSON reports of `check` and `suite` (`--reporter json`), described by the JSON Schema
 * docs/result.schema.json: each carries `schema` (that schema's id), `version` (kripke's) and
 * `kind`. Within one schema id fields are only ever added; a change that breaks a reader gets a
 * new id. Statistics count as the text does: `generated` is every state generated, the
 * `initial` ones included, and `transitions` the successors among them.
 */
import type { CheckResult, Stats } from '../core/explorer.js';
import type { CompiledModel } from '../core/model.js';
import type { ConstValue } from '../core/spec.js';
import { formatPath } from '../trace/trace.js';
import type { TraceOut } from './run.js';
import { kripkeVersion } from './version.js';
import type { Threads } from './workers.js';

/** The `$id` of docs/result.schema.json, and the `schema` of every report. */
export const SCHEMA_ID = 'urn:kripke:result:1';

/** The statistics of a report. */
export interface StatsReport extends Omit<Stats, 'generated'> {
  /** States generated, initial states included (the text's "states generated"). */
  readonly generated: number;
  /** Successor states generated (transitions), duplicates included. */
  readonly transitions: number;
  /** Initial states. */
  readonly initial: number;
}

/** `stats` of a report: the explorer's, with initial states counted in `generated`. */
export function statsReport(s: Stats, initial: number): StatsReport {
  return {
    generated: s.generated + initial,
    transitions: s.generated,
    initial,
    distinct: s.distinct,
    depth: s.depth,
    queue: s.queue,
    elapsedMs: s.elapsedMs,
    peakRssBytes: s.peakRssBytes,
    storeBytes: s.storeBytes,
    collisionProbability: s.collisionProbability,
  };
}

function header(kind: 'check' | 'suite') {
  return { schema: SCHEMA_ID, version: kripkeVersion(), kind };
}

/** What `checkReport` is made from. */
export interface CheckReportInput {
  readonly spec: string;
  readonly source: string;
  readonly model: CompiledModel<any>;
  readonly result: CheckResult;
  readonly traces: readonly TraceOut[];
  readonly exitCode: number;
  readonly workers: Threads;
  /** `--symmetry`, if given. */
  readonly symmetry?: 'sort' | 'exhaustive';
}

/** The JSON report of a check. */
export function checkReport(x: CheckReportInput): Record<string, unknown> {
  const { result, traces } = x;
  const fileOf = (property: string, kind: string) => traces.find((t) => t.claim.property === property && t.claim.kind === kind)?.file;
  return {
    ...header('check'),
    spec: x.spec,
    source: x.source,
    constants: x.model.constants as Record<string, ConstValue>,
    status: result.status,
    exitCode: x.exitCode,
    incompleteReason: result.incompleteReason,
    stats: statsReport(result.stats, x.model.inits.length),
    workers: x.workers,
    symmetry:
      x.symmetry !== undefined && x.model.symmetry !== null
        ? { mode: x.symmetry, sets: x.model.symmetry.sets.map((s: { name: string; values: readonly (number | string)[] }) => ({ name: s.name, values: [...s.values] })) }
        : undefined,
    violations: traces
      .filter((t) => t.violation)
      .map((t) => ({ ...t.claim, length: t.violation!.length, path: formatPath(t.violation!.path), file: t.file })),
    sometimes: result.sometimes.map((s) => ({
      property: s.property,
      witnessed: s.witness !== null,
      path: s.witness ? formatPath(s.witness) : null,
      ...(s.witness ? { length: s.witness.length, file: fileOf(s.property, 'sometimes') } : {}),
    })),
    error: result.error ? { ...result.error, path: formatPath(result.error.path) } : undefined,
    coverage: result.coverage,
  };
}

/** One row of a suite report. */
export interface SuiteRowReport {
  readonly variant: string;
  readonly property: string;
  readonly expect: string;
  readonly verdict: string;
  readonly asExpected: boolean;
  readonly status: CheckResult['status'];
  readonly depth?: number;
  readonly distinct: number;
  readonly ms: number;
  /** Trace files written (none with `--out -`). */
  readonly traces: readonly string[];
  /** The index path of each counterexample or witness. */
  readonly paths: readonly string[];
}

/** The JSON report of a suite. */
export function suiteReport(x: { suite: string; source: string; exitCode: number; interrupted: boolean; rows: readonly SuiteRowReport[] }): Record<string, unknown> {
  return { ...header('suite'), suite: x.suite, source: x.source, exitCode: x.exitCode, interrupted: x.interrupted, rows: x.rows };
}

/** A report as written: two-space JSON and a final newline. */
export function reportText(doc: unknown): string {
  return JSON.stringify(doc, null, 2) + '\n';
}
