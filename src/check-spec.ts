/**
 * The library's one-call check, as the CLI runs one: load (or take) a spec, compile it with
 * constants, keep the named properties, explore (in this thread, or on worker threads), and
 * rebuild every counterexample and witness as a trace, ready to print (`renderTrace`) or to
 * write as ITF (`writeTrace`). Enough for a vitest test that asserts a verdict:
 *
 *   const { result } = await checkSpec('spec/kernel.ts', { constants: { VARIANT: 'V1-hyp-munmap' } });
 *   expect(result.status).toBe('violation');
 */
import { writeFileSync } from 'node:fs';
import { loadSpec } from './cli/load.js';
import { checkAsync, type CheckOptions, type CheckResult } from './core/explorer.js';
import { compile, selectProperties, type CompiledModel } from './core/model.js';
import { checkParallel } from './core/parallel.js';
import type { ConstValue, Spec } from './core/spec.js';
import { stringifyItf, traceToItf } from './trace/itf.js';
import { replayPath, type Trace } from './trace/trace.js';

/** The CLI's options of `kripke check`, for a library call. */
export interface CheckSpecOptions extends CheckOptions {
  /** Constants (as `--const`); the others keep their defaults. */
  readonly constants?: Readonly<Record<string, ConstValue>>;
  /** Check only these properties (as `--invariant`). */
  readonly properties?: readonly string[];
  /** Worker threads (as `--workers`; more than 1 needs the spec as a module path). */
  readonly workers?: number;
}

/** A finished check: the model, the result, and each counterexample and witness as a trace. */
export interface SpecCheck<S = unknown> {
  readonly model: CompiledModel<S>;
  readonly result: CheckResult;
  /** One per violation, then one per `sometimes` witness; each has its `claim`. */
  readonly traces: readonly Trace<S>[];
}

/** Checks a spec (or the spec module at a path) as `kripke check` does. */
export async function checkSpec<S>(spec: Spec<S, any> | string, opts: CheckSpecOptions = {}): Promise<SpecCheck<S>> {
  const loaded = (typeof spec === 'string' ? await loadSpec(spec) : spec) as Spec<S, any>;
  const constants = Object.entries(opts.constants ?? {});
  const model = selectProperties(compile(loaded, constants), opts.properties ?? []);
  const workers = opts.workers ?? 1;
  if (workers > 1 && typeof spec !== 'string') throw new TypeError('checkSpec: workers > 1 needs the spec as a module path');
  const result =
    workers > 1
      ? await checkParallel(spec as string, constants.map(([k, v]) => [k, String(v)] as const), { ...opts, workers, properties: opts.properties })
      : await checkAsync(model, opts);
  const traces: Trace<S>[] = [];
  for (const v of result.violations) traces.push({ ...replayPath(model, v.path), claim: { property: v.property, kind: v.kind, reason: v.reason } });
  for (const w of result.sometimes) if (w.witness) traces.push({ ...replayPath(model, w.witness), claim: { property: w.property, kind: 'sometimes' } });
  return { model, result, traces };
}

/**
 * Writes a trace as an ITF file (`source`: the spec module path recorded for `kripke replay`,
 * relative to the file's folder). Not atomic: the CLI's writer is.
 */
export function writeTrace<S>(model: CompiledModel<S>, trace: Trace<S>, file: string, source = ''): void {
  writeFileSync(file, stringifyItf(traceToItf(model, trace, source)));
}
