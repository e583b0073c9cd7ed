/**
 * `kripke suite`: runs every row of a suite (one property of one spec configuration each) and
 * prints the verdict table, then writes the counterexamples. A signal stops the row being run
 * and the rows after it; the table of what ran is still printed (exit 130/143/129). With
 * `--out -` (and `--reporter json`) stdout carries the JSON report alone: the table goes to
 * stderr and no file is written (the report gives each trace's index path).
 */
import { join } from 'node:path';
import { KripkeError } from '../core/errors.js';
import type { CheckResult } from '../core/explorer.js';
import { compile, selectProperties } from '../core/model.js';
import type { SuiteRow } from '../core/suite.js';
import { formatPath } from '../trace/trace.js';
import { plain } from './colour.js';
import { EXIT } from './exit-codes.js';
import { safeName } from './files.js';
import { num, secs, table } from './format.js';
import { reportError, toStderr, type Io } from './io.js';
import { reportText, suiteReport, type SuiteRowReport } from './json-report.js';
import { loadSuite } from './load.js';
import { makeProgress } from './progress.js';
import { displayPath, runModel, writeOrReport, writeTraces, type TraceOut } from './run.js';
import { catchInterrupts } from './signals.js';

/** What `kripke suite` was asked to do. */
export interface SuiteArgs {
  suite: string;
  outDir: string;
  only: string[];
  reporter: 'text' | 'json';
  quiet: boolean;
  /** Memory budget of each row's search, bytes. */
  memory: number;
  /** `--html`: a viewer file beside each trace file. */
  html?: boolean;
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

/** Runs `kripke suite`. */
export async function suiteCommand(a: SuiteArgs, given: Io): Promise<number> {
  const toStdout = a.outDir === '-';
  const io = toStdout ? toStderr(given) : given;
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
  const json: SuiteRowReport[] = [];
  const pending: TraceOut[] = [];
  let mismatches = 0;
  let ran = 0;
  const interrupts = catchInterrupts(io.err);
  for (const row of rows) {
    if (interrupts.signal.aborted) break;
    const t = Date.now();
    const outDir = join(a.outDir, safeName(suite.name));
    let outcome;
    try {
      const constants = Object.entries(row.constants ?? {});
      const model = selectProperties(compile(row.spec, constants), [row.property]);
      outcome = await runModel({
        spec: row.spec,
        model,
        specPath: row.module ?? row.spec.name,
        constants,
        properties: [row.property],
        outDir: toStdout ? undefined : outDir,
        stem: row.variant,
        html: a.html,
        options: { onProgress: (s) => progress.update(s, model.inits.length), progressIntervalMs: progress.intervalMs, signal: interrupts.signal, memoryBudgetBytes: a.memory },
      });
    } catch (e) {
      interrupts.dispose();
      throw e;
    } finally {
      progress.done();
    }
    const { result, traces } = outcome;
    ran++;
    pending.push(...traces);
    const v = verdictOf(row, result);
    if (!v.ok) mismatches++;
    const ms = Date.now() - t;
    const expected = row.expect + (row.expectLength !== undefined ? ` (depth ${row.expectLength})` : '');
    table_.push([row.variant, row.property, v.verdict, v.ok ? 'yes' : `NO, expected ${expected}`, num(result.stats.distinct), secs(ms)]);
    for (const tr of traces) if (tr.file) files.push(`${row.variant} ${row.property}: ${tr.file}${tr.htmlFile ? ` (viewer: ${tr.htmlFile})` : ''}`);
    if (row.note) notes.push(`${row.variant} ${row.property}: ${row.note}`);
    json.push({
      variant: row.variant,
      property: row.property,
      expect: row.expect,
      verdict: v.verdict,
      asExpected: v.ok,
      status: result.status,
      depth: v.depth,
      distinct: result.stats.distinct,
      ms,
      traces: traces.flatMap((x) => (x.file ? [x.file] : [])),
      paths: traces.map((x) => formatPath(x.trace.path)),
    });
  }
  interrupts.dispose();
  const signalled = interrupts.exitCode();
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
  const skipped = rows.length - ran;
  const code = signalled ?? (mismatches === 0 ? EXIT.ok : EXIT.suiteMismatch);
  const summary =
    `${ran} rows in ${secs(Date.now() - t0)}: ${ran - mismatches} as expected, ${mismatches} not` +
    (signalled !== null ? `; interrupted, ${skipped} row(s) not run.` : '.');
  io.out((io.paint?.out ?? plain)(code === EXIT.ok ? 'ok' : signalled !== null && mismatches === 0 ? 'warn' : 'bad', summary));
  // Files last: the table is already on the screen.
  const report = (line: string) => reportError(io, line);
  if (!toStdout) writeTraces(pending, report);
  if (a.reporter === 'json') {
    const doc = suiteReport({ suite: suite.name, source: a.suite, exitCode: code, interrupted: signalled !== null, rows: json });
    if (toStdout) given.out(reportText(doc).trimEnd());
    else {
      const file = displayPath(join(a.outDir, safeName(suite.name), 'suite.result.json'));
      if (writeOrReport(file, reportText(doc), report)) io.out(`JSON result: ${file}`);
    }
  }
  return code;
}
