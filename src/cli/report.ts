/**
 * Human-readable reports of a check: verdict, counterexample traces, statistics, coverage.
 * Pure functions from results to text; the commands decide where it goes.
 */
import type { Symmetry } from '../core/symmetry/declare.js';
import { groupSize } from '../core/symmetry/permute.js';
import type { CheckResult, Stats, Violation } from '../core/explorer.js';
import type { CompiledModel } from '../core/model.js';
import { formatAction } from '../core/model.js';
import { DEFAULT_DISPLAY, traceText, type TraceDisplay } from './trace-display.js';
import { formatPath, type Trace } from '../trace/trace.js';
import { messageOf } from '../core/errors.js';
import { plain, type Paint } from './colour.js';
import { mib, num, rate, secs } from './format.js';

/** `N=3, MODE=local`, or `no constants`. */
export function describeConstants(c: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(c).map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? parts.join(', ') : 'no constants';
}

/**
 * The statistics: states generated count the `inits` initial states (as TLC and the JSON
 * report's `generated` do), with the initial states and the transitions shown apart.
 */
export function statsLines(s: Stats, inits: number): string[] {
  const perState = s.distinct >= 100_000 ? ` (${(s.storeBytes / s.distinct).toFixed(1)} bytes/state in the store)` : '';
  const generated = s.generated + inits;
  return [
    `${num(s.distinct)} distinct states found, ${num(generated)} states generated (${num(inits)} initial, ${num(s.generated)} transitions), depth ${s.depth}, ${num(s.queue)} states left on queue`,
    `${secs(s.elapsedMs)}: ${rate(s.distinct, s.elapsedMs)} distinct, ${rate(generated, s.elapsedMs)} generated; peak memory ${mib(s.peakRssBytes)}${perState}`,
    `Fingerprint collision probability (optimistic): ${s.collisionProbability.toExponential(1)}`,
  ];
}

/**
 * Per action family: times fired, instances enabled, the instances never enabled (`taken`: a
 * simulation's wording, where an instance counts when a walk took it).
 */
export function coverageLines(r: Pick<CheckResult, 'coverage'>, taken = false): string[] {
  const lines = [taken ? 'Coverage (times the walks took each action family):' : 'Coverage (times each action family fired):'];
  const w = Math.max(...r.coverage.map((c) => c.family.length), 6);
  const never = taken ? 'never taken' : 'never enabled';
  for (const c of r.coverage) {
    const enabled = c.instances - c.neverEnabled.length;
    lines.push(`  ${c.family.padEnd(w)}  ${num(c.fired).padStart(12)}  ${enabled}/${c.instances} instances ${taken ? 'taken' : 'enabled'}`);
    if (c.neverEnabled.length > 0 && c.neverEnabled.length <= 6) lines.push(`  ${''.padEnd(w)}  ${never}: ${c.neverEnabled.join(', ')}`);
    else if (c.neverEnabled.length > 6) lines.push(`  ${''.padEnd(w)}  ${never}: ${c.neverEnabled.slice(0, 6).join(', ')}, ... (${c.neverEnabled.length})`);
  }
  return lines;
}

/** `Invariant X is violated: reason` (or the deadlock's headline). */
export function violationHeadline(v: Violation): string {
  const what = v.kind === 'invariant' ? 'Invariant' : v.kind === 'action' ? 'Action property' : 'Deadlock:';
  const name = v.kind === 'deadlock' ? 'no action is enabled' : `${v.property} is violated`;
  const reason = v.kind !== 'deadlock' && v.reason ? `: ${v.reason}` : '';
  return `${what} ${name}${reason}`;
}

/** Text made by `make`, or one line saying why it cannot be shown (the verdict stays visible). */
export function shown(make: () => string): string {
  try {
    return make();
  } catch (e) {
    const why = e instanceof RangeError ? 'a state is nested too deeply to print' : messageOf(e);
    return `  (the trace cannot be shown: ${why}; replay it with the index path below)`;
  }
}

/** The text block of one counterexample; `paint` colours its `Error:` heading. */
export function violationBlock<S>(
  m: CompiledModel<S>, v: Violation, trace: Trace<S>, replayCmd: string, file?: string, paint: Paint = plain, display: TraceDisplay = DEFAULT_DISPLAY, html?: string,
  which = 'shortest counterexample',
): string {
  const claim = { property: v.property, kind: v.kind, reason: v.reason };
  const lines = [
    `${paint('heading', 'Error:')} ${violationHeadline(v)}`,
    `The ${which} has ${v.length} states (${v.length - 1} actions):`,
    shown(() => traceText(m, trace, display, claim)),
  ];
  const notes = trace.notes ?? [];
  if (v.kind === 'action' && trace.steps.length > 1) {
    const a = trace.steps[trace.steps.length - 1].action!;
    lines.push(`(${v.property} fails on the last transition, ${formatAction(a)})`);
  }
  for (const n of notes) lines.push(`Note: ${n}`);
  lines.push(`Index path: ${formatPath(v.path)}`);
  if (file) lines.push(`Trace file: ${file}`);
  if (html) lines.push(`Viewer:     ${html}`);
  lines.push(`Replay:     ${replayCmd}`);
  return lines.join('\n');
}

/** The declared symmetric sets, as the check's header says them: `CPUS {1, 2, 3} (6 permutations)`. */
export function symmetryLine(sym: Symmetry): string {
  const sets = sym.sets.map((s) => `${s.name} {${s.values.join(', ')}}`).join(' × ');
  const g = groupSize(sym);
  return `${sets} (${g.toLocaleString('en-US')} permutation${g === 1 ? '' : 's'})`;
}
