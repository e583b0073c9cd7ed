/**
 * `kripke mutate`: which of a spec's named guards and rules are necessary (core/mutate.ts). One
 * table: each weakening, its verdict, the properties it breaks with the length of each shortest
 * counterexample; then, for each necessary weakening, its first counterexample's trace file (it
 * records the weakening, so `kripke replay` rebuilds the same mutant).
 */
import { mutateSpec } from '../core/mutate.js';
import { EXIT } from './exit-codes.js';
import { num, secs, table } from './format.js';
import { reportError, type Io } from './io.js';
import { loadSpec } from './load.js';
import { runStem } from './names.js';
import { describeConstants } from './report.js';
import { replayCommand, traceOut, writeTraces, type TraceOut } from './run.js';
import { safeName } from './files.js';

export interface MutateArgs {
  spec: string;
  constants: [string, string][];
  properties: string[];
  /** Only these guards (Family.guard) and rules. */
  only: string[];
  maxStates?: number;
  timeoutSec?: number;
  outDir: string;
}

export async function mutateCommand(a: MutateArgs, io: Io): Promise<number> {
  const spec = await loadSpec(a.spec);
  const opts = { maxStates: a.maxStates, timeoutMs: a.timeoutSec !== undefined ? a.timeoutSec * 1000 : undefined };
  const run = await mutateSpec(spec, a.constants, a.properties, opts, a.only);
  const { baseline } = run;
  const props = [...baseline.model.invariants, ...baseline.model.actionProperties].map((p) => p.name);
  io.out(`kripke mutate ${a.spec}: spec ${spec.name} (${describeConstants(baseline.model.constants)}); properties ${props.join(', ')}`);
  const broken = baseline.result.violations.map((v) => `${v.property} (${v.length})`);
  const status = baseline.result.status === 'incomplete' ? `no verdict: ${baseline.result.incompleteReason}, so no weakening is judged${broken.length ? ` (violated before it stopped: ${broken.join(', ')})` : ''}`
    : baseline.result.status === 'error' ? `error: ${baseline.result.error?.message}`
    : broken.length ? `violated: ${broken.join(', ')}` : 'every property holds';
  io.out(`As it is: ${status} (${num(baseline.result.stats.distinct)} states, ${secs(baseline.result.stats.elapsedMs)})`);
  io.out('');
  const stem = runStem(spec, baseline.model.constants);
  const traces: { name: string; t: TraceOut }[] = [];
  const same = (x: (typeof run.mutants)[number]) =>
    x.result.stats.distinct === baseline.result.stats.distinct && x.result.stats.generated === baseline.result.stats.generated;
  const rows = run.mutants.map((x) => {
    const fails = x.result.violations.filter((v) => !baseline.result.violations.some((b) => b.property === v.property));
    const first = fails[0];
    if (x.verdict === 'necessary' && first) {
      const name = x.weakening.mutation.drop ?? x.weakening.mutation.negate!;
      traces.push({ name, t: traceOut(x.model, { outDir: a.outDir, specPath: a.spec, stem: `${stem}-mutate-${safeName(name)}` }, { property: first.property, kind: first.kind, reason: first.reason }, first.path, first) });
    }
    const what = x.verdict === 'necessary' ? `necessary: ${fails.map((v) => `${v.property} fails (${v.length})`).join(', ')}`
      : x.verdict === 'redundant' ? (same(x) ? 'no effect here: the same states and transitions (nothing in this configuration exercises it)' : 'redundant: every property still holds (or they are too weak to need it)')
      : x.verdict === 'incomplete' ? `no verdict: ${x.result.incompleteReason}`
      : `error: ${x.result.error?.message}`;
    return [x.weakening.label, what, num(x.result.stats.distinct)];
  });
  if (rows.length === 0) io.out('No weakening was checked: the spec as it is has no verdict to judge them against.');
  else io.out(table(['weakening', 'verdict (shortest counterexample, states)', 'states'], rows));
  for (const x of run.mutants) if (x.weakening.doc) io.out(`  rule ${x.weakening.mutation.negate}: ${x.weakening.doc}`);
  for (const { name, t } of traces) {
    io.out('');
    io.out(`Without ${name}, ${t.trace.claim?.property} fails${t.violation?.reason ? `: ${t.violation.reason}` : ''}`);
    if (t.file) io.out(`Trace file: ${t.file}`);
    io.out(`Replay:     ${replayCommand(a.spec, t.file ?? '', a.constants)}`);
  }
  writeTraces(traces.map((x) => x.t), (l) => reportError(io, l));
  const code = run.mutants.some((x) => x.verdict === 'error') || baseline.result.status === 'error' ? EXIT.evalError
    : baseline.result.status === 'incomplete' || run.mutants.some((x) => x.verdict === 'incomplete') ? EXIT.incomplete
    : EXIT.ok;
  io.verdict?.(code);
  return code;
}
