/**
 * The CLI commands: check, replay, list, suite. Each returns its exit code; output goes to the
 * given streams. Nothing here reaches back into the explorer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compile, formatAction, selectProperties } from '../core/model.js';
import { KripkeError } from '../core/errors.js';
import type { CheckResult } from '../core/explorer.js';
import type { ConstValue } from '../core/spec.js';
import type { SuiteRow } from '../core/suite.js';
import { instanceOfMeta, itfDiff, itfToConst, parseItf, toItf, stateVars, type ItfTrace } from '../trace/itf.js';
import { renderTrace } from '../trace/text.js';
import { confirmClaim, evaluate, formatPath, parsePath, replayPath, type TraceClaim } from '../trace/trace.js';
import { EXIT } from './exit-codes.js';
import { safeName, writeFileAtomic } from './files.js';
import { num, secs, table } from './format.js';
import { loadSpec, loadSuite } from './load.js';
import { makeProgress } from './progress.js';
import { coverageLines, describeConstants, statsLines, violationBlock } from './report.js';
import { displayPath, replayCommand, runModel } from './run.js';

export interface Io {
  out: (line: string) => void;
  err: NodeJS.WriteStream;
}

export interface CheckArgs {
  spec: string;
  constants: [string, string][];
  properties: string[];
  continue: boolean;
  maxStates?: number;
  maxDepth?: number;
  timeoutSec?: number;
  outDir: string;
  reporter: 'text' | 'json';
  coverage: boolean;
  quiet: boolean;
  workers: number;
}

function exitOf(r: CheckResult): number {
  if (r.status === 'error') return EXIT.evalError;
  if (r.status === 'violation') return EXIT.violation;
  if (r.status === 'deadlock') return EXIT.deadlock;
  if (r.status === 'incomplete') return EXIT.incomplete;
  if (r.sometimes.some((s) => s.witness === null)) return EXIT.violation;
  return EXIT.ok;
}

export async function checkCommand(a: CheckArgs, io: Io): Promise<number> {
  const spec = await loadSpec(a.spec);
  const progress = makeProgress(io.err, a.quiet);
  const probe = selectProperties(compile(spec, a.constants), a.properties);
  io.out(`kripke check ${a.spec}: spec ${spec.name} (${describeConstants(probe.constants)})`);
  io.out(
    `Checking ${probe.invariants.length} invariant(s), ${probe.actionProperties.length} action propert${probe.actionProperties.length === 1 ? 'y' : 'ies'}, ` +
      `${probe.sometimes.length} sometimes propert${probe.sometimes.length === 1 ? 'y' : 'ies'}; deadlock ${probe.deadlock ? 'on' : 'off'}; ` +
      `${probe.instances.length} action instances in ${probe.families.length} families`,
  );
  if (a.workers > 1) io.out(`Workers: ${a.workers} (level-synchronous; specs whose states do not fit the compact encoding run in one thread)`);
  const { model, result, traces } = await runModel({
    spec,
    model: probe,
    specPath: a.spec,
    workers: a.workers,
    constants: a.constants,
    properties: a.properties,
    outDir: a.outDir,
    options: {
      continue: a.continue,
      maxStates: a.maxStates,
      maxDepth: a.maxDepth,
      timeoutMs: a.timeoutSec !== undefined ? a.timeoutSec * 1000 : undefined,
      onProgress: (s) => progress.update(s),
      progressIntervalMs: progress.intervalMs,
    },
  });
  progress.done();

  for (const t of traces) {
    if (!t.violation) continue;
    io.out('');
    io.out(violationBlock(model, t.violation, t.trace, replayCommand(a.spec, t.file ?? formatPath(t.violation.path), a.constants), t.file));
  }
  if (result.error) {
    io.out('');
    io.out(`Error: ${result.error.message}`);
    if (result.error.path.length > 0) {
      const trace = replayPath(model, result.error.path);
      io.out(`It happened in the last state of this trace${result.error.action ? `, applying ${result.error.action}` : ''}:`);
      io.out(renderTrace(trace, (model.model.view ?? ((s: unknown) => s)) as (s: unknown) => unknown));
      io.out(`Index path: ${formatPath(result.error.path)}`);
    }
  }
  for (const s of result.sometimes) {
    const t = traces.find((x) => x.claim.kind === 'sometimes' && x.claim.property === s.property);
    if (s.witness) io.out(`Sometimes ${s.property}: witness found at depth ${s.witness.length}${t?.file ? ` (${t.file})` : ''}`);
    else if (result.status === 'ok') io.out(`Error: sometimes property ${s.property} was never satisfied in any reachable state`);
  }
  io.out('');
  const code = exitOf(result);
  if (result.status === 'ok') io.out(code === EXIT.ok ? 'Model checking completed. No violation found.' : 'Model checking completed.');
  else if (result.status === 'incomplete') io.out(`Search incomplete: ${result.incompleteReason}. No verdict: the state space was not fully explored.`);
  else if (result.status === 'violation' || result.status === 'deadlock') io.out(`Model checking stopped: ${result.violations.length} violation(s) found.`);
  for (const l of statsLines(result.stats, model.inits.length)) io.out(l);
  if (a.coverage || result.status === 'ok') for (const l of coverageLines(result)) io.out(l);

  if (a.reporter === 'json') {
    const file = displayPath(join(a.outDir, `${safeName(spec.name)}.result.json`));
    const doc = {
      spec: spec.name,
      source: a.spec,
      constants: model.constants,
      status: result.status,
      exitCode: code,
      incompleteReason: result.incompleteReason,
      stats: result.stats,
      violations: traces
        .filter((t) => t.violation)
        .map((t) => ({ ...t.claim, length: t.violation!.length, path: formatPath(t.violation!.path), file: t.file })),
      sometimes: result.sometimes.map((s) => ({ property: s.property, witnessed: s.witness !== null, path: s.witness ? formatPath(s.witness) : null })),
      error: result.error ? { ...result.error, path: formatPath(result.error.path) } : undefined,
      coverage: result.coverage,
    };
    writeFileAtomic(file, JSON.stringify(doc, null, 2) + '\n');
    io.out(`JSON result: ${file}`);
  }
  return code;
}

function sameFile(a: string, b: string): boolean {
  return resolve(a) === resolve(b);
}

export interface ReplayArgs {
  spec: string;
  target: string;
  constants: [string, string][];
  properties: string[];
}

/** Reads and validates an ITF trace file (KripkeError 'trace-file' if unreadable or corrupt). */
function readTraceFile(file: string): ItfTrace {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new KripkeError('trace-file', `cannot read trace file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseItf(text, file);
}

/** The spec module a trace file records as its source (`#meta.source`). */
export function traceSource(file: string): string {
  const source = readTraceFile(file)['#meta']?.source;
  if (typeof source !== 'string' || !/\.[cm]?[jt]s$/.test(source)) {
    throw new KripkeError('trace-file', `${file} does not record its spec module: give it as 'kripke replay <spec.ts> ${file}'`);
  }
  return source;
}

export async function replayCommand_(a: ReplayArgs, io: Io): Promise<number> {
  const spec = await loadSpec(a.spec);
  const fromFile = a.target.endsWith('.json') || existsSync(a.target);
  if (!fromFile) {
    const path = parsePath(a.target);
    const m = selectProperties(compile(spec, a.constants), a.properties);
    const trace = replayPath(m, path);
    io.out(`Replaying ${formatPath(path)} on spec ${spec.name} (${describeConstants(m.constants)}):`);
    io.out(renderTrace(trace, (m.model.view ?? ((s: unknown) => s)) as (s: unknown) => unknown));
    io.out('');
    io.out(`Every step is an enabled action (${path.length} states).`);
    const failing = m.invariants
      .map((p) => ({ p, r: evaluate(p.check(trace.steps[trace.steps.length - 1].state)) }))
      .filter((x) => !x.r.ok);
    for (const f of failing) io.out(`In the last state, invariant ${f.p.name} is violated${f.r.reason ? `: ${f.r.reason}` : ''}`);
    if (failing.length === 0) io.out('Every invariant holds in the last state.');
    return EXIT.ok;
  }

  const doc = readTraceFile(a.target);
  const source = doc['#meta']?.source;
  if (typeof source === 'string' && source !== a.spec && /\.[cm]?[jt]s$/.test(source) && !sameFile(source, a.spec)) {
    io.err.write(`kripke: note: ${a.target} was recorded from ${source}, replaying on ${a.spec}\n`);
  }
  // Constants recorded in the trace, overridden by --const.
  const recorded: [string, string | ConstValue][] = [];
  for (const [k, v] of Object.entries(doc['#meta']?.constants ?? {})) {
    try {
      recorded.push([k, itfToConst(v)]);
    } catch {
      throw new KripkeError('trace-file', `${a.target}: constant ${k} is not a number, string or boolean`);
    }
  }
  const overrides = new Map<string, string | ConstValue>([...recorded, ...a.constants]);
  const m = selectProperties(compile(spec, overrides), a.properties);
  const initMeta = doc.states[0]['#meta'];
  const path = [typeof initMeta.actionIndex === 'number' ? initMeta.actionIndex : 0];
  doc.states.slice(1).forEach((st, i) => path.push(instanceOfMeta(m, st['#meta'], i + 1)));
  const trace = replayPath(m, path);
  const view = (m.model.view ?? ((s: unknown) => s)) as (s: unknown) => unknown;
  trace.steps.forEach((st, i) => {
    const vars = stateVars(view(st.state));
    const replayed: Record<string, ReturnType<typeof toItf>> = {};
    for (const [k, v] of Object.entries(vars)) replayed[k] = toItf(v);
    const want: Record<string, ReturnType<typeof toItf>> = {};
    for (const k of doc.vars) want[k] = doc.states[i][k] as ReturnType<typeof toItf>;
    const diffs = itfDiff(want, replayed);
    if (diffs.length > 0) {
      const what = st.action ? formatAction(st.action) : 'the initial state';
      throw new KripkeError('trace', `step ${i}: ${what} does not reproduce the recorded state: ${diffs.join('; ')}`);
    }
  });
  io.out(`Replayed ${a.target} on spec ${spec.name} (${describeConstants(m.constants)}): ${trace.steps.length} states; every step is an enabled action that reproduces the recorded state.`);
  const v = doc['#meta']?.violation;
  if (v) {
    const claim: TraceClaim = { property: v.property, kind: v.kind, reason: v.reason };
    const reason = confirmClaim(m, trace, claim);
    const what = claim.kind === 'sometimes' ? `The last state is a witness of ${claim.property}` : `${claim.property} is violated at the end${reason ? `: ${reason}` : ''}`;
    io.out(`Confirmed: ${what}.`);
  }
  return EXIT.ok;
}

export interface ListArgs {
  spec: string;
  constants: [string, string][];
}

export async function listCommand(a: ListArgs, io: Io): Promise<number> {
  const spec = await loadSpec(a.spec);
  const m = compile(spec, a.constants);
  io.out(`Spec ${spec.name}${spec.doc ? `: ${spec.doc}` : ''}`);
  io.out('');
  io.out('Constants:');
  for (const [k, d] of Object.entries(spec.constants)) {
    const allowed = d.values ? ` in {${d.values.join(', ')}}` : d.min !== undefined || d.max !== undefined ? ` in ${d.min ?? ''}..${d.max ?? ''}` : '';
    io.out(`  ${k} = ${String(m.constants[k])} (default ${String(d.default)}${allowed})${d.doc ? `  ${d.doc}` : ''}`);
  }
  io.out('');
  io.out(`Actions (${m.instances.length} instances):`);
  for (const f of m.families) {
    const params = f.paramNames.length ? `(${f.paramNames.join(', ')})` : '';
    io.out(`  ${f.name}${params}  ${f.count} instance(s)${f.def.doc ? `  ${f.def.doc}` : ''}`);
  }
  const props = [
    ...m.invariants.map((p) => ['invariant', p.name, p.doc]),
    ...m.actionProperties.map((p) => ['action property', p.name, p.doc]),
    ...m.sometimes.map((p) => ['sometimes', p.name, p.doc]),
    ...m.constraints.map((p) => ['constraint', p.name, undefined]),
  ];
  io.out('');
  io.out('Properties:');
  for (const [kind, name, doc] of props) io.out(`  ${name}  (${kind})${doc ? `  ${doc}` : ''}`);
  io.out(`  deadlock checking: ${m.deadlock ? 'on' : 'off'}`);
  return EXIT.ok;
}

export interface SuiteArgs {
  suite: string;
  outDir: string;
  only: string[];
  reporter: 'text' | 'json';
  quiet: boolean;
}

function verdictOf(row: SuiteRow, r: CheckResult): { verdict: string; ok: boolean; depth?: number } {
  if (r.status === 'error') return { verdict: `error: ${r.error?.message}`, ok: false };
  if (r.status === 'incomplete') return { verdict: `incomplete (${r.incompleteReason})`, ok: false };
  const sometimes = r.sometimes.find((s) => s.property === row.property);
  if (sometimes) {
    const found = sometimes.witness !== null;
    const ok = found ? row.expect === 'witness' : row.expect === 'no-witness';
    return { verdict: found ? `witness found at depth ${sometimes.witness!.length}` : 'no witness', ok: ok && (!found || row.expectLength === undefined || row.expectLength === sometimes.witness!.length), depth: sometimes.witness?.length };
  }
  const v = r.violations.find((x) => x.property === row.property || x.kind === 'deadlock');
  if (v) {
    const okLen = row.expectLength === undefined || row.expectLength === v.length;
    return { verdict: v.kind === 'deadlock' ? `deadlock at depth ${v.length}` : `violated at depth ${v.length}`, ok: row.expect === 'violated' && okLen && v.kind !== 'deadlock', depth: v.length };
  }
  return { verdict: 'holds', ok: row.expect === 'holds' };
}

export async function suiteCommand(a: SuiteArgs, io: Io): Promise<number> {
  const suite = await loadSuite(a.suite);
  const rows = a.only.length ? suite.rows.filter((r) => a.only.includes(r.variant)) : suite.rows;
  if (a.only.length && rows.length === 0) throw new KripkeError('config', `no row of suite ${suite.name} has variant ${a.only.join(', ')}`);
  io.out(`kripke suite ${a.suite}: ${suite.name}${suite.doc ? ` — ${suite.doc}` : ''}`);
  io.out('');
  const progress = makeProgress(io.err, a.quiet);
  const t0 = Date.now();
  const table_: string[][] = [];
  const files: string[] = [];
  const notes: string[] = [];
  const json: unknown[] = [];
  let mismatches = 0;
  for (const row of rows) {
    const t = Date.now();
    const outDir = join(a.outDir, safeName(suite.name));
    const { result, traces } = await runModel({
      spec: row.spec,
      specPath: row.module ?? row.spec.name,
      constants: Object.entries(row.constants ?? {}),
      properties: [row.property],
      outDir,
      stem: row.variant,
      options: { onProgress: (s) => progress.update(s), progressIntervalMs: progress.intervalMs },
    });
    progress.done();
    const v = verdictOf(row, result);
    if (!v.ok) mismatches++;
    const ms = Date.now() - t;
    const expected = row.expect + (row.expectLength !== undefined ? ` (depth ${row.expectLength})` : '');
    table_.push([row.variant, row.property, v.verdict, v.ok ? 'yes' : `NO, expected ${expected}`, num(result.stats.distinct), secs(ms)]);
    for (const tr of traces) if (tr.file) files.push(`${row.variant} ${row.property}: ${tr.file}`);
    if (row.note) notes.push(`${row.variant} ${row.property}: ${row.note}`);
    json.push({ variant: row.variant, property: row.property, expect: row.expect, verdict: v.verdict, asExpected: v.ok, depth: v.depth, distinct: result.stats.distinct, ms, traces: traces.map((x) => x.file) });
  }
  io.out(table(['variant', 'property', 'verdict', 'as expected', 'distinct', 'time'], table_));
  io.out('');
  if (notes.length) {
    io.out('Notes:');
    for (const n of notes) io.out(`  ${n}`);
    io.out('');
  }
  if (files.length) {
    io.out('Counterexamples and witnesses (ITF):');
    for (const f of files) io.out(`  ${f}`);
    io.out('');
  }
  io.out(`${rows.length} rows in ${secs(Date.now() - t0)}: ${rows.length - mismatches} as expected, ${mismatches} not.`);
  if (a.reporter === 'json') {
    const file = displayPath(join(a.outDir, safeName(suite.name), 'suite.result.json'));
    writeFileAtomic(file, JSON.stringify({ suite: suite.name, rows: json }, null, 2) + '\n');
    io.out(`JSON result: ${file}`);
  }
  return mismatches === 0 ? EXIT.ok : EXIT.suiteMismatch;
}
