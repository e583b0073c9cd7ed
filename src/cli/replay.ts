/**
 * `kripke replay`: re-validates a trace file (or an action-index path) on a spec, step by step,
 * then checks the claim the file makes. A corrupt file is exit 152, a trace that does not replay
 * or does not show what it claims is exit 153; "Confirmed" is printed only when the claimed
 * property fails at the end.
 *
 * A file whose states do not name their actions (Apalache's, Quint's, an implementation's log
 * turned into ITF) is validated instead (validate-trace.ts): kripke finds, for each step, the
 * action instances that produce the next recorded state, prints the behaviour found and reports
 * the first step no action explains. Such a file claims a violation only if it says so (Quint's
 * `#meta.status` "violation": some invariant fails in the last state).
 *
 * It never runs code the user did not name: given only a trace file, it loads the spec module the
 * file records (`#meta.source`, relative to the file's folder) only if that module exists under
 * the file's folder or the current directory, and it says which module it loads.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { resolveConstants } from '../core/constants.js';
import { KripkeError, messageOf } from '../core/errors.js';
import { compile, formatAction, selectProperties, type CompiledModel } from '../core/model.js';
import type { ConstValue, Spec, Verdict } from '../core/spec.js';
import { parseItf, printable, type ItfFile } from '../trace/itf-read.js';
import { instanceOfMeta, itfDiff, itfToConst, stateVars, toItf, type ItfValue } from '../trace/itf.js';
import { viewOf } from '../trace/hooks.js';
import { MAX_FRONTIER, validateTrace } from '../trace/validate-trace.js';
import { confirmClaim, evaluate, formatPath, parsePath, replayPath, type Trace, type TraceClaim } from '../trace/trace.js';
import type { Io } from './commands.js';
import { EXIT } from './exit-codes.js';
import { loadSpec } from './load.js';
import { describeConstants } from './report.js';
import { displayPath } from './run.js';
import { checkDisplay, DEFAULT_DISPLAY, traceText, type TraceDisplay } from './trace-display.js';

/** What `kripke replay` was asked to do. */
export interface ReplayArgs {
  /** The spec module (for a lone trace file, the one `traceSource` found in it). */
  spec: string;
  /** A trace file, or an action-index path such as `0/3/1/7`. */
  target: string;
  /** `--const`: overrides the constants a trace file records. */
  constants: [string, string][];
  /** `--invariant`: the properties an index path is checked against. */
  properties: string[];
  /** How the trace prints (`--lanes`, `--plain`, `--show-all`, ...). */
  display?: TraceDisplay;
}

const MODULE = /\.[cm]?[jt]s$/;
const KINDS: readonly string[] = ['invariant', 'action', 'deadlock', 'sometimes'];

const fileError = (message: string) => new KripkeError('trace-file', printable(message));

/** The path itself, with symbolic links resolved when it exists. */
function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

function sameFile(a: string, b: string): boolean {
  return real(a) === real(b);
}

/** Whether `p` is `root` or lies below it. */
function within(p: string, root: string): boolean {
  const r = relative(root, p);
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

/** Reads and validates an ITF trace file (KripkeError 'trace-file' if unreadable or corrupt). */
function readTraceFile(file: string): ItfFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw fileError(`cannot read trace file ${file}: ${(e as NodeJS.ErrnoException).code ?? messageOf(e)}`);
  }
  return parseItf(text, file);
}

/** The module a trace file records as its source, resolved against the file's folder. */
function recordedModule(doc: ItfFile, file: string): string | undefined {
  const source = doc['#meta']?.source;
  return typeof source === 'string' && MODULE.test(source) ? resolve(dirname(file), source) : undefined;
}

/**
 * The spec module a trace file records (`#meta.source`, relative to the file's folder), as a path
 * to load from the current directory. Refused (KripkeError 'trace-file') unless it is a module that
 * exists under the trace file's folder or the current directory: kripke runs no code on a file's say.
 */
export function traceSource(file: string): string {
  const doc = readTraceFile(file);
  const abs = recordedModule(doc, file);
  const explicitly = `pass the spec explicitly: kripke replay <spec.ts> ${file}`;
  if (abs === undefined) throw fileError(`${file} does not record its spec module: ${explicitly}`);
  const recorded = `${file} records its spec module as ${doc['#meta']!.source}`;
  const where = real(abs);
  if (!within(where, real(dirname(file))) && !within(where, real(process.cwd()))) {
    throw fileError(`${recorded}, outside both the trace file's folder and the current directory, so kripke will not run it: ${explicitly}`);
  }
  if (!statSync(abs, { throwIfNoEntry: false })?.isFile()) throw fileError(`${recorded}, and ${displayPath(abs)} is not a file: ${explicitly}`);
  return displayPath(abs);
}

/**
 * The constants the file records (kripke's `#meta.constants`, else Apalache's `params` set in the
 * first state, where the spec has a constant of that name), minus those `--const` overrides; one
 * the spec refuses is the file's fault. Parameters the spec has no constant for are noted.
 */
function recordedConstants(spec: Spec, doc: ItfFile, file: string, overridden: ReadonlySet<string>, io: Io): [string, ConstValue][] {
  const out: [string, ConstValue][] = [];
  let recorded = Object.entries(doc['#meta']?.constants ?? {});
  let what = 'recorded constant';
  if (doc['#meta']?.constants === undefined && doc.params !== undefined) {
    what = 'recorded parameter';
    const ignored = doc.params.filter((p) => !Object.hasOwn(spec.constants ?? {}, p) || doc.states[0][p] === undefined);
    if (ignored.length > 0) io.out(`Note: the file's parameters ${ignored.join(', ')} are not constants of spec ${spec.name} set in its first state: ignored.`);
    recorded = doc.params.filter((p) => !ignored.includes(p)).map((p) => [p, doc.states[0][p] as ItfValue]);
  }
  for (const [k, v] of recorded) {
    if (overridden.has(k)) continue;
    let c: ConstValue;
    try {
      c = itfToConst(v);
    } catch {
      throw fileError(`${file}: the ${what} ${k} is not a number, string or boolean`);
    }
    try {
      resolveConstants(spec.constants, [[k, c]]);
    } catch (e) {
      throw e instanceof KripkeError ? fileError(`${file}: the ${what} ${k} is refused by spec ${spec.name}: ${e.message}`) : e;
    }
    out.push([k, c]);
  }
  return out;
}

/** A foreign file's claim: Quint's `#meta.status` "violation", which names no property. */
export const SOME_INVARIANT = 'some invariant';

/** The claim of the file, if any; an unknown or missing kind is KripkeError('trace'). */
function claimOf(doc: ItfFile, file: string): TraceClaim | typeof SOME_INVARIANT | undefined {
  const v = doc['#meta']?.violation;
  if (v === undefined) return doc['#meta']?.status === 'violation' ? SOME_INVARIANT : undefined;
  const kinds = `invariant, action, deadlock or sometimes`;
  if (v.kind === undefined) throw new KripkeError('trace', `${file} claims a violation of ${v.property} but not its kind (${kinds})`);
  if (!KINDS.includes(v.kind)) throw new KripkeError('trace', `${file} claims a violation of ${v.property} of kind '${v.kind}', which is not one of ${kinds}`);
  return { property: v.property, kind: v.kind as TraceClaim['kind'], reason: v.reason };
}

/** Replays the actions the file's states name; every step must reproduce the recorded state. */
function replayDoc(m: CompiledModel, doc: ItfFile): Trace {
  const path = [doc.states[0]['#meta']?.actionIndex ?? 0];
  doc.states.slice(1).forEach((st, i) => path.push(instanceOfMeta(m, st['#meta'] as { action: string }, i + 1)));
  const trace = replayPath(m, path);
  const view = viewOf(m, trace.notes ?? []);
  trace.steps.forEach((st, i) => {
    const replayed = Object.fromEntries(Object.entries(stateVars(view(st.state))).map(([k, v]) => [k, toItf(v)]));
    const want = Object.fromEntries(doc.vars.map((k) => [k, doc.states[i][k] as ItfValue]));
    const diffs = itfDiff(want, replayed);
    if (diffs.length > 0) {
      const what = st.action ? formatAction(st.action) : 'the initial state';
      throw new KripkeError('trace', `step ${i}: ${what} does not reproduce the recorded state: ${diffs.join('; ')}`);
    }
  });
  return trace;
}

/** Whether every step of the file names its action (kripke's files), so it replays as recorded. */
function namesItsActions(doc: ItfFile): boolean {
  const named = (i: number) => typeof doc.states[i]['#meta']?.action === 'string';
  return doc.states.length === 1 ? named(0) : doc.states.slice(1).every((_, i) => named(i + 1));
}

/** Validates a file whose states do not name their actions, and prints the behaviour found. */
function validateDoc(m: CompiledModel, doc: ItfFile, file: string, io: Io, display: TraceDisplay): Trace {
  const v = validateTrace(m, doc);
  const trace = replayPath(m, v.path);
  io.out(
    `Validated ${file} on spec ${m.spec.name} (${describeConstants(m.constants)}): ${trace.steps.length} states; ` +
      'each step is explained by an action of the spec (the file does not name them):',
  );
  io.out(traceText(m, trace, display));
  v.explaining.forEach((xs, i) => {
    if (xs.length < 2) return;
    const names = xs.map((x) => (i === 0 ? `initial state ${x}` : formatAction(m.instances[x])));
    const shown = i === 0 ? `initial state ${v.path[0]}` : formatAction(m.instances[v.path[i]]);
    io.out(`Step ${i} (State ${i + 1} above) is explained by ${xs.length} ${i === 0 ? 'initial states' : 'instances'}: ${names.join(', ')}; the trace shows ${shown}.`);
  });
  if (v.notRecorded.length > 0) io.out(`Not recorded in the file, so not compared: ${v.notRecorded.join(', ')}.`);
  if (v.truncated) io.out(`Note: more than ${MAX_FRONTIER} spec states matched a step; the search kept the first ${MAX_FRONTIER}.`);
  if (doc.loop !== undefined) io.out(`Note: the file's loop (back to step ${doc.loop}) is not checked.`);
  return trace;
}

/** Confirms Quint's claim (`status` "violation", no property named): some invariant fails at the end. */
export function confirmSomeInvariant(m: CompiledModel, trace: Trace, file: string): string {
  const last = trace.steps[trace.steps.length - 1].state;
  for (const p of m.invariants) {
    let r;
    try {
      r = evaluate(p.check(last), p.name);
    } catch (e) {
      throw e instanceof KripkeError ? e : new KripkeError('eval', `property ${p.name} threw: ${messageOf(e)}`);
    }
    if (!r.ok) return `${p.name} is violated at the end${r.reason ? `: ${r.reason}` : ''} (the file claims a violation, #meta.status, without naming the property)`;
  }
  throw new KripkeError('trace', `${file} claims a violation (#meta.status "violation") but no invariant of spec ${m.spec.name} is violated in its last state`);
}

/** A trace file opened on a spec: the model, the trace it replays to, and what it claims. */
export interface OpenedTrace {
  readonly model: CompiledModel;
  readonly selected: CompiledModel;
  readonly trace: Trace;
  readonly claim: TraceClaim | typeof SOME_INVARIANT | undefined;
}

/**
 * Loads the spec, compiles it with the file's constants (and `--const`) and replays (or, for a
 * file that does not name its actions, validates) the file; `io` gets the progress lines.
 */
export async function openTrace(a: ReplayArgs, io: Io, note: (n: string) => void, print = true): Promise<OpenedTrace> {
  const doc = readTraceFile(a.target);
  const recorded = recordedModule(doc, a.target);
  const same = recorded !== undefined && sameFile(recorded, a.spec);
  io.out(`Loading spec module ${a.spec} (${same ? 'recorded in the trace file' : 'given on the command line'})`);
  if (recorded !== undefined && !same) note(`${a.target} was recorded from ${doc['#meta']!.source} (${displayPath(recorded)}), replaying on ${a.spec}`);
  const spec = await loadSpec(a.spec);
  resolveConstants(spec.constants, a.constants); // --const is the user's: refused as a config error
  const recordedConsts = recordedConstants(spec, doc, a.target, new Set(a.constants.map(([k]) => k)), io);
  const mutation = doc['#meta']?.mutation;
  if (mutation) io.out(`The trace was found on a weakened spec (kripke mutate): ${mutation.drop ? `guard ${mutation.drop} dropped` : `rule ${mutation.negate} negated`}; replaying on the same`);
  const full = compile(spec, [...recordedConsts, ...a.constants], mutation && (mutation.drop || mutation.negate) ? mutation : undefined);
  const selected = selectProperties(full, a.properties); // names are checked; a named claim is checked against the whole spec
  const display = a.display ?? DEFAULT_DISPLAY;
  checkDisplay(full, display);
  const claim = claimOf(doc, a.target);
  let trace: Trace;
  if (namesItsActions(doc)) {
    trace = replayDoc(full, doc);
    io.out(
      `Replayed ${a.target} on spec ${spec.name} (${describeConstants(full.constants)}): ${trace.steps.length} states; ` +
        'every step is an enabled action that reproduces the recorded state.',
    );
  } else {
    trace = validateDoc(full, doc, a.target, print ? io : { ...io, out: () => {} }, display);
  }
  return { model: full, selected, trace, claim };
}

async function replayFile(a: ReplayArgs, io: Io, note: (n: string) => void): Promise<number> {
  const { model: full, selected, trace, claim } = await openTrace(a, io, note);
  if (claim === undefined) {
    io.out('The file claims no violation: there is nothing to confirm.');
    return EXIT.ok;
  }
  if (claim === SOME_INVARIANT) {
    io.out(`Confirmed: ${confirmSomeInvariant(selected, trace, a.target)}.`);
    return EXIT.ok;
  }
  const reason = confirmClaim(full, trace, claim);
  const what = claim.kind === 'sometimes' ? `The last state is a witness of ${claim.property}` : `${claim.property} is violated at the end${reason ? `: ${reason}` : ''}`;
  io.out(`Confirmed: ${what}.`);
  return EXIT.ok;
}

async function replayIndexPath(a: ReplayArgs, io: Io): Promise<number> {
  const spec = await loadSpec(a.spec);
  const path = parsePath(a.target);
  const m = selectProperties(compile(spec, a.constants), a.properties);
  const trace = replayPath(m, path);
  const display = a.display ?? DEFAULT_DISPLAY;
  checkDisplay(m, display);
  io.out(`Replaying ${formatPath(path)} on spec ${spec.name} (${describeConstants(m.constants)}):`);
  io.out(traceText(m, trace, display));
  io.out('');
  io.out(`Every step is an enabled action (${path.length} states).`);
  const last = trace.steps[trace.steps.length - 1].state;
  const failing = m.invariants
    .map((p) => {
      let v: Verdict;
      try {
        v = p.check(last);
      } catch (e) {
        throw new KripkeError('eval', `property ${p.name} threw: ${messageOf(e)}`);
      }
      return { p, r: evaluate(v, p.name) };
    })
    .filter((x) => !x.r.ok);
  for (const f of failing) io.out(`In the last state, invariant ${f.p.name} is violated${f.r.reason ? `: ${f.r.reason}` : ''}`);
  if (failing.length === 0) io.out('Every invariant holds in the last state.');
  return EXIT.ok;
}

/**
 * `kripke replay <spec> <file | index path>`: exit 0 when the trace replays and shows what it
 * claims; otherwise a KripkeError ('trace-file': 152, 'trace': 153, 'config': 151, ...) with a
 * one-line message. A note that the file was recorded from another module goes to stderr after a
 * successful replay, or into the error message of a failed one.
 */
export async function replayCommand_(a: ReplayArgs, io: Io): Promise<number> {
  if (!a.target.endsWith('.json') && !existsSync(a.target)) return replayIndexPath(a, io);
  let note: string | undefined;
  try {
    const code = await replayFile(a, io, (n) => (note = n));
    if (note !== undefined) io.err.write(`kripke: note: ${printable(note)}\n`);
    return code;
  } catch (e) {
    if (!(e instanceof KripkeError)) throw e;
    throw new KripkeError(e.kind, printable(note !== undefined ? `${e.message} (note: ${note})` : e.message));
  }
}
