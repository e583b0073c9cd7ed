/**
 * `kripke check`: explores a spec and reports. The verdict, each counterexample and the command
 * that replays it are printed first; trace and report files are written after, and a file that
 * cannot be written is one error line that keeps the verdict's exit code. A signal stops the
 * search at the next state and the partial result is reported the same way (exit 130/143/129).
 */
import { join } from 'node:path';
import type { CheckResult } from '../core/explorer.js';
import { KripkeError } from '../core/errors.js';
import { compile, selectProperties } from '../core/model.js';
import { formatPath, replayPath } from '../trace/trace.js';
import { plain, type Paint } from './colour.js';
import { EXIT } from './exit-codes.js';
import { reportError, toStderr, type Io } from './io.js';
import { checkReport, reportText } from './json-report.js';
import { loadSpec } from './load.js';
import { makeProgress } from './progress.js';
import { coverageLines, describeConstants, shown, statsLines, symmetryLine, violationBlock } from './report.js';
import { displayPath, replayCommand, runModel, writeOrReport, writeTraces } from './run.js';
import { catchInterrupts } from './signals.js';
import { num, secs } from './format.js';
import { threadsOf, workersFor, workersLine } from './workers.js';
import { checkDisplay, DEFAULT_DISPLAY, traceText, type TraceDisplay } from './trace-display.js';

/** What `kripke check` was asked to do. */
export interface CheckArgs {
  spec: string;
  constants: [string, string][];
  properties: string[];
  continue: boolean;
  maxStates?: number;
  maxDepth?: number;
  timeoutSec?: number;
  /** Memory budget, bytes. */
  memory: number;
  outDir: string;
  reporter: 'text' | 'json';
  coverage: boolean;
  quiet: boolean;
  workers: number;
  /** Symmetry reduction (`--symmetry`). */
  symmetry?: 'sort' | 'exhaustive';
  /** How traces print (`--lanes`, `--plain`, `--show-all`, `--hide`, `--show`, `--width`). */
  display?: TraceDisplay;
  /** `--html`: a viewer file beside each trace file. */
  html?: boolean;
  /** `--minimise`: each counterexample the shortest one with the fewest lane switches. */
  minimise?: boolean;
}

/**
 * The exit code of a result: an evaluation error first, then a violation found (even when a
 * limit also stopped the search, with --continue), a deadlock, an incomplete search (or the
 * signal that interrupted it), a `sometimes` property without witness, else 0.
 */
export function exitOf(r: CheckResult, signalExit: number | null = null): number {
  if (r.status === 'error') return EXIT.evalError;
  if (r.violations.some((v) => v.kind !== 'deadlock')) return EXIT.violation;
  if (r.violations.length > 0) return EXIT.deadlock;
  if (r.status === 'incomplete') return signalExit ?? EXIT.incomplete;
  if (r.sometimes.some((s) => s.witness === null)) return EXIT.violation;
  return EXIT.ok;
}

/**
 * Runs `kripke check`. With `--out -` (and `--reporter json`) stdout carries the JSON report
 * alone: the human output goes to stderr and no file is written (the report and the printed
 * replay commands give each trace's index path).
 */
export async function checkCommand(a: CheckArgs, given: Io): Promise<number> {
  const toStdout = a.outDir === '-';
  const io = toStdout ? toStderr(given) : given;
  const paint = io.paint?.out ?? plain;
  const spec = await loadSpec(a.spec);
  const probe = selectProperties(compile(spec, a.constants), a.properties);
  const display = a.display ?? DEFAULT_DISPLAY;
  checkDisplay(probe as never, display);
  const workers = workersFor(a.workers, io);
  io.out(`kripke check ${a.spec}: spec ${spec.name} (${describeConstants(probe.constants)})`);
  io.out(
    `Checking ${probe.invariants.length} invariant(s), ${probe.actionProperties.length} action propert${probe.actionProperties.length === 1 ? 'y' : 'ies'}, ` +
      `${probe.sometimes.length} sometimes propert${probe.sometimes.length === 1 ? 'y' : 'ies'}; deadlock ${probe.deadlock ? 'on' : 'off'}; ` +
      `${probe.instances.length} action instances in ${probe.families.length} families`,
  );
  if (a.symmetry !== undefined) {
    if (probe.symmetry === null) throw new KripkeError('config', `--symmetry: spec '${spec.name}' declares no symmetric sets (see the README: Symmetry)`);
    io.out(`Symmetry (${a.symmetry}): ${symmetryLine(probe.symmetry)}; one state per orbit`);
  }
  const progress = makeProgress(io.err, a.quiet);
  const interrupts = catchInterrupts(io.err);
  let outcome;
  try {
    outcome = await runModel({
      spec,
      model: probe,
      specPath: a.spec,
      workers,
      constants: a.constants,
      properties: a.properties,
      outDir: toStdout ? undefined : a.outDir,
      html: a.html,
      htmlFields: display.fields,
      minimise: a.minimise,
      options: {
        continue: a.continue,
        maxStates: a.maxStates,
        maxDepth: a.maxDepth,
        timeoutMs: a.timeoutSec !== undefined ? a.timeoutSec * 1000 : undefined,
        memoryBudgetBytes: a.memory,
        symmetry: a.symmetry,
        signal: interrupts.signal,
        onProgress: (s) => progress.update(s, probe.inits.length),
        progressIntervalMs: progress.intervalMs,
      },
    });
  } finally {
    interrupts.dispose();
    progress.done();
  }
  const { model, result, traces } = outcome;
  const signalled = interrupts.exitCode();
  const code = exitOf(result, signalled);
  io.verdict?.(code);
  const error = paint('heading', 'Error:');

  if (result.error) {
    io.out('');
    io.out(`${error} ${result.error.message}`);
    if (result.error.path.length > 0) {
      try {
        const trace = replayPath(model, result.error.path);
        io.out(`It happened in the last state of this trace${result.error.action ? `, applying ${result.error.action}` : ''}:`);
        io.out(shown(() => traceText(model, trace, display)));
        for (const n of trace.notes ?? []) io.out(`Note: ${n}`);
      } catch {
        io.out('(the path to that state does not replay: the spec is not deterministic)');
      }
      io.out(`Index path: ${formatPath(result.error.path)}`);
    }
  }
  for (const t of traces) {
    if (!t.violation) continue;
    io.out('');
    if (t.minimised) {
      const x = t.minimised;
      io.out(`Minimised: ${x.switches} lane switch${x.switches === 1 ? '' : 'es'} (the BFS's trace had ${x.given}), the fewest among the shortest counterexamples; ${num(x.entries)} (state, lane) entries in ${secs(x.elapsedMs)}`);
    }
    io.out(violationBlock(model, t.violation, t.trace, replayCommand(a.spec, t.file ?? formatPath(t.violation.path), a.constants), t.file, paint, display, t.htmlFile, t.minimised ? 'shortest counterexample with the fewest lane switches' : undefined));
  }
  for (const s of result.sometimes) {
    const t = traces.find((x) => x.claim.kind === 'sometimes' && x.claim.property === s.property);
    if (s.witness) io.out(`Sometimes ${s.property}: witness found at depth ${s.witness.length}${t?.file ? ` (${t.file})` : ''}`);
    else if (result.status === 'ok') io.out(`${error} sometimes property ${s.property} was never satisfied in any reachable state`);
  }
  io.out('');
  const verdict = verdictLine(result, code, signalled !== null, paint);
  if (verdict !== null) io.out(verdict);
  for (const l of statsLines(result.stats, model.inits.length)) io.out(l);
  const threads = threadsOf(a.workers, workers, result);
  const wl = workersLine(threads);
  if (wl !== null) io.out(wl);
  if (a.coverage || result.status === 'ok') for (const l of coverageLines(result)) io.out(l);

  // Files last: what was found is already on the screen.
  const report = (line: string) => reportError(io, line);
  if (!toStdout) writeTraces(traces, report);
  if (a.reporter === 'json') {
    const doc = checkReport({ spec: spec.name, source: a.spec, model, result, traces, exitCode: code, workers: threads, symmetry: a.symmetry });
    if (toStdout) given.out(reportText(doc).trimEnd());
    else {
      const file = displayPath(join(a.outDir, `${outcome.stem}.result.json`));
      if (writeOrReport(file, reportText(doc), report)) io.out(`JSON result: ${file}`);
    }
  }
  return code;
}

/** The verdict line (none for an evaluation error, whose Error: line says it), coloured: green no violation, red violation or error, yellow incomplete. */
function verdictLine(result: CheckResult, code: number, signalled: boolean, paint: Paint): string | null {
  const found = result.violations.length;
  if (result.status === 'ok') {
    if (code === EXIT.ok) return paint('ok', 'Model checking completed. No violation found.');
    return paint('bad', found ? `Model checking completed: ${found} violation(s) found.` : 'Model checking completed.');
  }
  if (result.status === 'incomplete') {
    const what = signalled ? `Search ${result.incompleteReason}` : `Search incomplete: ${result.incompleteReason}`;
    return found
      ? paint('bad', `${what}. ${found} violation(s) found before it stopped; the rest of the state space was not explored.`)
      : paint('warn', `${what}. No verdict: the state space was not fully explored.`);
  }
  if (result.status === 'violation' || result.status === 'deadlock') return paint('bad', `Model checking stopped: ${found} violation(s) found.`);
  return null; // an evaluation error: its Error: line above says it
}
