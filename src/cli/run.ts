/**
 * One model-checking run as the CLI does it: compile, check, rebuild each counterexample by
 * replay, and write it as an ITF file. Shared by `check` and `suite`.
 */
import { join, relative } from 'node:path';
import { checkParallel } from '../core/parallel.js';
import { check, type CheckOptions, type CheckResult, type Violation } from '../core/explorer.js';
import { compile, selectProperties, type CompiledModel } from '../core/model.js';
import type { ConstValue, Spec } from '../core/spec.js';
import { stringifyItf, traceToItf } from '../trace/itf.js';
import { replayPath, type Trace, type TraceClaim } from '../trace/trace.js';
import { safeName, writeFileAtomic } from './files.js';

export interface RunInput {
  readonly spec: Spec<any, any>;
  /** The spec already compiled with these constants and properties (else compiled here). */
  readonly model?: CompiledModel;
  /** The spec module path as the user gave it (recorded in traces and replay commands). */
  readonly specPath: string;
  readonly constants: readonly (readonly [string, string | ConstValue])[];
  readonly properties?: readonly string[];
  readonly options?: CheckOptions;
  /** Where trace files go; none written when undefined. */
  readonly outDir?: string;
  /** File name stem for traces (default: the spec name). */
  readonly stem?: string;
  /** Worker threads (default 1: the explorer runs in this thread). */
  readonly workers?: number;
}

/** A counterexample (or witness), rebuilt and possibly written. */
export interface TraceOut {
  readonly claim: TraceClaim;
  readonly violation?: Violation;
  readonly trace: Trace;
  readonly file?: string;
}

export interface RunOutcome {
  readonly model: CompiledModel;
  readonly result: CheckResult;
  readonly traces: readonly TraceOut[];
}

export function displayPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}

export async function runModel(input: RunInput): Promise<RunOutcome> {
  const model = input.model ?? selectProperties(compile(input.spec, input.constants), input.properties ?? []);
  const result =
    (input.workers ?? 1) > 1
      ? await checkParallel(input.specPath, input.constants.map(([k, v]) => [k, String(v)] as const), {
          ...input.options,
          workers: input.workers!,
          properties: input.properties,
        })
      : check(model, input.options);
  const traces: TraceOut[] = [];
  const stem = safeName(input.stem ?? input.spec.name);
  const emit = (claim: TraceClaim, path: readonly number[], violation?: Violation, suffix = '') => {
    const trace: Trace = { ...replayPath(model, path), claim };
    let file: string | undefined;
    if (input.outDir !== undefined) {
      file = displayPath(join(input.outDir, `${stem}-${safeName(claim.property)}${suffix}.itf.json`));
      writeFileAtomic(file, stringifyItf(traceToItf(model, trace, input.specPath)));
    }
    traces.push({ claim, violation, trace, file });
  };
  for (const v of result.violations) emit({ property: v.property, kind: v.kind, reason: v.reason }, v.path, v);
  for (const w of result.sometimes) {
    if (w.witness) emit({ property: w.property, kind: 'sometimes' }, w.witness, undefined, '-witness');
  }
  return { model: model as CompiledModel, result, traces };
}

/** The command line that replays a trace file or path. */
export function replayCommand(specPath: string, target: string, constants: readonly (readonly [string, string | ConstValue])[]): string {
  const c = constants.length ? ` --const ${constants.map(([k, v]) => `${k}=${String(v)}`).join(',')}` : '';
  const isFile = target.endsWith('.json');
  return `npx kripke replay ${specPath} ${target}${isFile ? '' : c}`;
}
