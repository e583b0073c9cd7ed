/**
 * `kripke simulate`: random walks (core/simulate.ts) for configurations too big for the BFS. A
 * violation is shrunk (core/shrink.ts) and reported as a BFS counterexample is: the trace, its
 * file, the replay command, and the command that finds it again. Statistics: walks, steps and
 * steps/s, distinct states seen (and the share of the space with --space), coverage by family.
 * With several threads the statistics count every walk taken, some past the first violating one.
 * A walk that finds nothing proves nothing: the verdict line says so.
 */
import type { Violation } from '../core/explorer.js';
import { compile, selectProperties } from '../core/model.js';
import { coverageOf } from '../core/result.js';
import { shrinkFinding } from '../core/shrink.js';
import { DEFAULT_DEPTH, simulate, type SimResult } from '../core/simulate.js';
import type { Finding } from '../core/walk.js';
import { formatPath, replayPath } from '../trace/trace.js';
import { plain } from './colour.js';
import { EXIT } from './exit-codes.js';
import { num, rate, secs } from './format.js';
import { reportError, type Io } from './io.js';
import { loadSpec } from './load.js';
import { runStem } from './names.js';
import { coverageLines, describeConstants, shown, violationBlock } from './report.js';
import { replayCommand, traceOut, writeTraces } from './run.js';
import { catchInterrupts } from './signals.js';
import { simulateParallel } from '../core/simulate-parallel.js';
import { workersFor } from './workers.js';
import { checkDisplay, DEFAULT_DISPLAY, traceText, type TraceDisplay } from './trace-display.js';

export interface SimulateArgs {
  spec: string;
  constants: [string, string][];
  properties: string[];
  seed: number;
  depth?: number;
  runs?: number;
  timeoutSec?: number;
  /** The number of reachable states, if known: the share of it the walks saw is printed. */
  space?: number;
  /** Keep the first counterexample as found (no shrinking). */
  noShrink: boolean;
  outDir: string;
  quiet: boolean;
  display?: TraceDisplay;
  html?: boolean;
  /** Worker threads (walks w, w + N, ... on worker w). */
  workers: number;
}

/** The exit code of a simulation: a violation (or deadlock) found, an error, an interruption, else 0. */
function exitOf(r: SimResult, signalExit: number | null): number {
  if (r.status === 'error') return EXIT.evalError;
  if (r.found) return r.found.finding.kind === 'deadlock' ? EXIT.deadlock : EXIT.violation;
  if (r.status === 'incomplete') return signalExit ?? EXIT.incomplete;
  return EXIT.ok;
}

/** The command line that runs this simulation again (same seed, depth and walks: the same result). */
function againCommand(a: SimulateArgs, r: SimResult): string {
  const c = a.constants.length ? ` --const ${a.constants.map(([k, v]) => `${k}=${v}`).join(',')}` : '';
  const props = a.properties.map((p) => ` --invariant ${p}`).join('');
  // the walks up to the one that found it: with any number of threads, the same walk is first
  const runs = r.found ? r.found.run + 1 : r.stats.runs;
  return `npx kripke simulate ${a.spec}${c}${props} --seed ${r.seed} --depth ${r.depth} --runs ${runs}`;
}

export async function simulateCommand(a: SimulateArgs, io: Io): Promise<number> {
  const paint = io.paint?.out ?? plain;
  const spec = await loadSpec(a.spec);
  const model = selectProperties(compile(spec, a.constants), a.properties);
  const display = a.display ?? DEFAULT_DISPLAY;
  checkDisplay(model as never, display);
  io.out(`kripke simulate ${a.spec}: spec ${spec.name} (${describeConstants(model.constants)})`);
  const limit = a.runs !== undefined ? `${num(a.runs)} walks` : a.timeoutSec !== undefined ? `${a.timeoutSec} s` : '10,000 walks';
  io.out(
    `Simulating: ${model.invariants.length} invariant(s), ${model.actionProperties.length} action propert${model.actionProperties.length === 1 ? 'y' : 'ies'}; ` +
      `deadlock ${model.deadlock ? 'on' : 'off'}; seed ${a.seed}, depth ${a.depth ?? DEFAULT_DEPTH}, ${limit}` +
      (model.sometimes.length ? ` (sometimes properties are not judged by walks: ${model.sometimes.map((p) => p.name).join(', ')})` : ''),
  );
  const interrupts = catchInterrupts(io.err);
  let r: SimResult;
  const workers = workersFor(a.workers, io);
  try {
    const opts = {
      seed: a.seed, depth: a.depth, runs: a.runs, timeoutMs: a.timeoutSec !== undefined ? a.timeoutSec * 1000 : undefined, signal: interrupts.signal,
      onProgress: a.quiet ? undefined : (s: { runs: number; steps: number; distinct: number; elapsedMs: number }) => io.err.write(`Progress: ${num(s.runs)} walks, ${num(s.steps)} steps, ${num(s.distinct)} distinct states, ${secs(s.elapsedMs)}\n`),
      progressIntervalMs: 10_000,
    };
    r = workers > 1 ? await simulateParallel(a.spec, a.constants, a.properties, opts, workers) : await simulate(model, opts);
  } finally {
    interrupts.dispose();
  }
  const code = exitOf(r, interrupts.exitCode());
  io.verdict?.(code);
  const error = paint('heading', 'Error:');
  const report = (line: string) => reportError(io, line);
  if (r.error) {
    io.out('');
    io.out(`${error} ${r.error.message}`);
    try {
      io.out('It happened on this walk:');
      io.out(shown(() => traceText(model, replayPath(model, r.error!.path), display)));
    } catch {
      io.out('(the walk does not replay: the spec is not deterministic)');
    }
    io.out(`Index path: ${formatPath(r.error.path)}`);
  }
  if (r.found) {
    const raw = r.found.finding;
    let f: Finding = raw;
    let how = 'not shrunk (--no-shrink)';
    if (!a.noShrink) {
      const s = shrinkFinding(model, raw, r.seed);
      f = s.finding;
      how = `shrunk to ${f.path.length} in ${num(s.evaluations)} replays (${secs(s.elapsedMs)}), ${s.minimal ? 'locally minimal' : 'not locally minimal: the last pass ran out of its budget'}`;
    }
    const v: Violation = { kind: f.kind, property: f.property, reason: f.reason, path: f.path, length: f.path.length };
    const t = traceOut(model, { outDir: a.outDir, specPath: a.spec, html: a.html, htmlFields: display.fields, stem: `${runStem(spec, model.constants)}-sim` }, { property: v.property, kind: v.kind, reason: v.reason }, v.path, v);
    io.out('');
    io.out(`Walk ${r.found.run + 1} found it at ${raw.path.length} states; ${how}.`);
    io.out(violationBlock(model, v, t.trace, replayCommand(a.spec, t.file ?? formatPath(v.path), a.constants), t.file, paint, display, t.htmlFile, a.noShrink ? 'first counterexample' : 'shrunk counterexample'));
    io.out(`Again:      ${againCommand(a, r)}`);
    io.out('');
    io.out(paint('bad', `Simulation stopped: ${f.property === 'Deadlock' ? 'a deadlock' : `${f.property} violated`} (a BFS check gives the shortest counterexample).`));
    writeTraces([t], report);
  } else if (r.status === 'ok') {
    io.out('');
    io.out(paint('ok', `No violation found in ${num(r.stats.runs)} walks of at most ${r.depth} steps (simulation: not a proof).`));
  } else if (r.status === 'incomplete') {
    io.out('');
    io.out(paint('warn', `Simulation ${r.incompleteReason}: no violation found in the ${num(r.stats.runs)} walks taken.`));
  }
  const s = r.stats;
  const share = a.space !== undefined ? ` of ${num(a.space)} (${((100 * s.distinct) / a.space).toFixed(1)}%)` : '';
  if (r.threads !== undefined && r.threads > 1) io.out(`Workers: ${r.threads} threads walked (walk w on thread w mod ${r.threads}; the first violating walk is the one reported, whatever the number of threads)`);
  io.out(`${num(s.runs)} walks, ${num(s.steps)} steps in ${secs(s.elapsedMs)} (${rate(s.steps, s.elapsedMs).replace("/s", " steps/s")}); ${num(s.distinct)} distinct states seen${share}${s.deadEnds ? `; ${num(s.deadEnds)} walks ended with no action enabled` : ''}`);
  if (!r.found) for (const l of coverageLines({ coverage: coverageOf(model, r.fired) }, true)) io.out(l);
  return code;
}
