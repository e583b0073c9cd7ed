/**
 * One model-checking run as the CLI does it: compile, check (in this thread with `checkAsync`, so
 * signals are seen, or on worker threads), rebuild each counterexample by replay, and prepare its
 * ITF file. Files are written by `writeTraces`, after the command has printed its verdict and
 * traces: a file that cannot be written never hides what was found. Shared by `check` and `suite`.
 */
import { dirname, join, relative, resolve, sep } from 'node:path';
import { checkParallel } from '../core/parallel.js';
import { checkAsync, type CheckOptions, type CheckResult, type Violation } from '../core/explorer.js';
import { compile, selectProperties, type CompiledModel } from '../core/model.js';
import type { ConstValue, Spec } from '../core/spec.js';
import { stringifyItf, traceToItf } from '../trace/itf.js';
import { replayPath, type Trace, type TraceClaim } from '../trace/trace.js';
import { annotate } from '../trace/annotate.js';
import type { FieldChoice } from '../trace/fields.js';
import { renderHtml } from '../trace/html.js';
import { messageOf } from '../core/errors.js';
import { safeName, writeError, writeFileAtomic } from './files.js';
import { runStem } from './names.js';
import { fewestInterleavings, type Minimised } from '../core/interleavings.js';

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
  /**
   * File name stem for traces (default: the spec name and the constants that differ from
   * their defaults, see names.ts).
   */
  readonly stem?: string;
  /** Worker threads (default 1: the explorer runs in this thread). */
  readonly workers?: number;
  /** Also write each trace as an HTML viewer file beside its ITF file (`--html`), showing these fields. */
  readonly html?: boolean;
  readonly htmlFields?: FieldChoice;
  /** Replace each counterexample by the shortest one with the fewest lane switches (`--minimise`). */
  readonly minimise?: boolean;
}

/** A counterexample (or witness), rebuilt, with the file it goes to and that file's text. */
export interface TraceOut {
  readonly claim: TraceClaim;
  readonly violation?: Violation;
  readonly trace: Trace;
  readonly file?: string;
  /** The file's text, made when it is written (it may fail: a state too deep to encode). */
  readonly text?: () => string;
  /** The viewer file beside it (`--html`), and its text. */
  readonly htmlFile?: string;
  readonly html?: () => string;
  /** With `--minimise`: the lane switches before and after, and what the pass cost. */
  readonly minimised?: Minimised;
}

export interface RunOutcome {
  readonly model: CompiledModel;
  readonly result: CheckResult;
  readonly traces: readonly TraceOut[];
  /** The file name stem of the run's outputs. */
  readonly stem: string;
}

/** `p` relative to the current folder when it lies below it, else as given. */
export function displayPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}

/** Compiles (unless given a model), checks, and rebuilds each counterexample and witness with its ITF file. */
export async function runModel(input: RunInput): Promise<RunOutcome> {
  const model = input.model ?? selectProperties(compile(input.spec, input.constants), input.properties ?? []);
  const result =
    (input.workers ?? 1) > 1
      ? await checkParallel(input.specPath, input.constants.map(([k, v]) => [k, String(v)] as const), {
          ...input.options,
          workers: input.workers!,
          properties: input.properties,
        })
      : await checkAsync(model, input.options);
  const traces: TraceOut[] = [];
  const stem = input.stem !== undefined ? safeName(input.stem) : runStem(input.spec, model.constants);
  const emit = (claim: TraceClaim, path: readonly number[], violation?: Violation, suffix = '') =>
    traces.push(traceOut(model, { ...input, stem }, claim, path, violation, suffix));
  for (const found of result.violations) {
    const mini = input.minimise ? fewestInterleavings(model, found) : undefined;
    const v = mini ? { ...found, path: mini.path, reason: mini.reason } : found;
    emit({ property: v.property, kind: v.kind, reason: v.reason }, v.path, v);
    if (mini) traces[traces.length - 1] = { ...traces[traces.length - 1], minimised: mini };
  }
  for (const w of result.sometimes) {
    if (w.witness) emit({ property: w.property, kind: 'sometimes' }, w.witness, undefined, '-witness');
  }
  return { model: model as CompiledModel, result, traces, stem };
}

/** Where a run's traces go and how they are written: RunInput's fields, the stem decided. */
export type TraceTarget = Pick<RunInput, 'outDir' | 'specPath' | 'html' | 'htmlFields'> & { readonly stem: string };

/** A counterexample (or witness) rebuilt by replaying `path`, with its file (DIR/<stem>-<property><suffix>.itf.json) when `to.outDir` is set. */
export function traceOut(model: CompiledModel, to: TraceTarget, claim: TraceClaim, path: readonly number[], violation?: Violation, suffix = ''): TraceOut {
  const trace: Trace = { ...replayPath(model, path), claim };
  if (to.outDir === undefined) return { claim, violation, trace };
  const file = displayPath(join(to.outDir, `${to.stem}-${safeName(claim.property)}${suffix}.itf.json`));
  const text = () => stringifyItf(traceToItf(model, trace, sourceFrom(file, to.specPath)));
  if (!to.html) return { claim, violation, trace, file, text };
  return { claim, violation, trace, file, text, htmlFile: file.replace(/\.itf\.json$/, '.html'), html: () => renderHtml(annotate(model, trace, to.htmlFields ?? {}, claim)) };
}

/**
 * Writes each trace's file. A file that cannot be written (a folder that is a file, a read-only
 * folder, a full disk) is one line to `report`, naming the path and the OS error; the others are
 * still written. Returns the files written.
 */
export function writeTraces(traces: readonly TraceOut[], report: (line: string) => void): string[] {
  const written: string[] = [];
  for (const t of traces) {
    if (t.file === undefined || t.text === undefined) continue;
    if (writeOrReport(t.file, t.text, report)) written.push(t.file);
    if (t.htmlFile !== undefined && t.html !== undefined && writeOrReport(t.htmlFile, t.html, report)) written.push(t.htmlFile);
  }
  return written;
}

/** Writes a file atomically, or reports why it could not; true if written. */
export function writeOrReport(file: string, text: string | (() => string), report: (line: string) => void): boolean {
  let content: string;
  try {
    content = typeof text === 'string' ? text : text();
  } catch (e) {
    report(`cannot write ${file}: ${e instanceof RangeError ? 'a state is nested too deeply to encode' : messageOf(e)}`);
    return false;
  }
  try {
    writeFileAtomic(file, content);
    return true;
  } catch (e) {
    report(writeError(file, e));
    return false;
  }
}

/**
 * The spec module as a trace file records it (`#meta.source`): relative to the trace file's own
 * folder, with forward slashes, so that `kripke replay <file>` finds it from anywhere.
 */
export function sourceFrom(traceFile: string, specPath: string): string {
  if (!/\.[cm]?[jt]s$/.test(specPath)) return specPath; // not a module path (a spec given as an object)
  const rel = relative(dirname(resolve(traceFile)), resolve(specPath)).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** The command line that replays a trace file or path. */
export function replayCommand(specPath: string, target: string, constants: readonly (readonly [string, string | ConstValue])[]): string {
  const c = constants.length ? ` --const ${constants.map(([k, v]) => `${k}=${String(v)}`).join(',')}` : '';
  const isFile = target.endsWith('.json');
  return `npx kripke replay ${specPath} ${target}${isFile ? '' : c}`;
}
