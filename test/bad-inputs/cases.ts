/**
 * The bad-input corpus: broken specs, impure specs, bad flags and constants, corrupt traces,
 * unwritable outputs, limits, signals and a small memory budget, each with the exit code and the
 * first line it must give. `bad-inputs.test.ts` runs them all and also checks that none gives a
 * stack trace, an internal error (255) or more than one error line on stderr.
 *
 * The first line is stderr's first line when stderr has one (load, config and trace-file
 * errors), else the first stdout line that starts with `Error:`, `Search` or `Model checking`.
 * Arguments may use `$DIR` (a fresh temporary folder) and `$TRACE` (a fresh copy of a valid
 * tlbbench MODE=local trace, after the case's `trace` edit).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A valid ITF document, parsed, for a case to corrupt. */
type Doc = Record<string, any>;

export interface BadInput {
  readonly name: string;
  readonly args: readonly string[];
  readonly code: number;
  readonly first: RegExp;
  /** Files to create in $DIR first. */
  readonly setup?: (dir: string) => void;
  /** Edits the valid trace copied to $TRACE: returns the new document, or raw text. */
  readonly trace?: (doc: Doc) => Doc | string;
  /** Run through the real bin in a child process (needed for signals, memory, pipes). */
  readonly bin?: boolean;
  /** Signals sent to the child once it has started checking. */
  readonly signals?: readonly NodeJS.Signals[];
  /** Output that must not appear. */
  readonly absent?: RegExp;
}

const BROKEN = 'test/bad-inputs/specs/broken.ts';
const TLB = 'bench/tlbbench.ts';
const broken = (bug: string) => ['check', BROKEN, '--const', `BUG=${bug}`, '--out', '$DIR', '--quiet'];
const write = (name: string, text: string) => (dir: string) => writeFileSync(join(dir, name), text);
const spec = (body: string) => `import { defineSpec } from '${process.cwd()}/src/index.ts';\nconst S = () => 0;\n${body}\n`;
const replay = ['replay', TLB, '$TRACE'];

/**
 * Edits the structured `#meta` field `key` of a trace (`constants`, `violation`), which kripke
 * writes as JSON text (itf-rs reads every extra `#meta` key as a string); older files hold an object.
 */
const editMeta = (key: string, edit: (v: Record<string, unknown>) => void) => (d: Doc): Doc => {
  const meta = d['#meta'];
  const text = typeof meta[key] === 'string';
  const value = text ? JSON.parse(meta[key]) : meta[key];
  edit(value);
  meta[key] = text ? JSON.stringify(value) : value;
  return d;
};

export const CASES: readonly BadInput[] = [
  // ---- the spec module cannot be loaded (150) ----
  { name: 'missing module', args: ['check', 'spec/nope.ts'], code: 150, first: /^kripke: error: cannot load spec\/nope\.ts: no such file$/ },
  { name: 'a folder, not a file', args: ['check', 'spec'], code: 150, first: /^kripke: error: cannot load spec: not a file$/ },
  { name: 'no default export', args: ['check', 'test/cli/fixtures/no-default.ts'], code: 150, first: /has no default export/ },
  { name: 'default export is not a spec', args: ['check', 'test/cli/fixtures/not-a-spec.ts'], code: 150, first: /not a spec made by defineSpec/ },
  { name: 'module throws when imported', args: ['check', 'test/cli/fixtures/throws-on-import.ts'], code: 150, first: /boom at import/ },
  {
    name: 'syntax error: file, line, column, message',
    args: ['check', '$DIR/bad.ts'],
    setup: write('bad.ts', "export default { name: 'x' ;\n"),
    code: 150,
    first: /^kripke: error: cannot load .*bad\.ts: .*bad\.ts:1:\d+: Expected "}" but found ";"$/,
  },
  {
    name: 'syntax error in a module the spec imports names that module',
    args: ['check', '$DIR/spec.ts'],
    setup: (dir) => {
      write('spec.ts', "import x from './helper.ts';\nexport default x;\n")(dir);
      write('helper.ts', 'export default (1 +;\n')(dir);
    },
    code: 150,
    first: /helper\.ts:1:\d+: /,
  },
  { name: 'a suite given to check', args: ['check', 'test/cli/fixtures/suite-ok.ts'], code: 150, first: /is not a spec: it is a suite/ },
  { name: 'a spec given to suite', args: ['suite', TLB], code: 150, first: /is not a suite: it is a spec/ },
  {
    name: 'build() returns nothing',
    args: ['check', '$DIR/s.ts'],
    setup: write('s.ts', spec("export default defineSpec({ name: 'nothing', build: () => undefined as never });")),
    code: 150,
    first: /build\(\) must return \{ init, actions, \.\.\. \}/,
  },
  {
    name: 'an action without apply',
    args: ['check', '$DIR/s.ts'],
    setup: write('s.ts', spec("export default defineSpec({ name: 'x', build: () => ({ init: S(), actions: { A: {} as never } }) });")),
    code: 150,
    first: /action A has no apply function/,
  },
  {
    name: 'a parameter domain that is not an array',
    args: ['check', '$DIR/s.ts'],
    setup: write('s.ts', spec("export default defineSpec({ name: 'x', build: () => ({ init: S(), actions: { A: { params: { p: 3 as never }, apply: () => null } } }) });")),
    code: 150,
    first: /the domain of parameter p is not an array/,
  },
  {
    name: 'an action property naming an unknown action',
    args: ['check', '$DIR/s.ts'],
    setup: write('s.ts', spec("export default defineSpec({ name: 'x', build: () => ({ init: S(), actions: { A: { apply: () => null } }, actionProperties: { P: { check: () => true, actions: ['B'] } } }) });")),
    code: 150,
    first: /action property P names unknown action B/,
  },

  // ---- bad constants, flags and property names (151) ----
  { name: 'unknown constant', args: ['check', TLB, '--const', 'Q=3'], code: 151, first: /unknown constant 'Q' \(the spec declares N, P, F, MODE\)/ },
  { name: 'value outside the allowed set', args: ['check', TLB, '--const', 'MODE=lazy'], code: 151, first: /MODE=lazy is not allowed: expected shootdown, local/ },
  { name: 'not an integer', args: ['check', TLB, '--const', 'N=two'], code: 151, first: /N=two is not allowed: expected an integer in 1\.\.16/ },
  { name: 'integer out of range', args: ['check', TLB, '--const', 'N=0'], code: 151, first: /N=0 is not allowed/ },
  { name: 'malformed assignment', args: ['check', TLB, '--const', 'N'], code: 151, first: /expected NAME=VALUE/ },
  { name: 'unknown property', args: ['check', TLB, '--invariant', 'Nope'], code: 151, first: /unknown property 'Nope'/ },
  { name: 'unknown flag', args: ['check', TLB, '--frobnicate'], code: 151, first: /Unknown option '--frobnicate'/ },
  { name: 'a flag of another command', args: ['list', TLB, '--continue'], code: 151, first: /option --continue does not apply to 'list'/ },
  { name: '--max-states not a number', args: ['check', TLB, '--max-states', 'many'], code: 151, first: /--max-states expects a positive integer, got 'many'/ },
  { name: '--max-depth 0', args: ['check', TLB, '--max-depth', '0'], code: 151, first: /--max-depth expects a positive integer, got '0'/ },
  { name: '--timeout negative', args: ['check', TLB, '--timeout=-1'], code: 151, first: /--timeout expects a positive number of seconds, got '-1'/ },
  { name: '--timeout followed by a dash value', args: ['check', TLB, '--timeout', '-1'], code: 151, first: /^kripke: error: --timeout expects a positive number of seconds, got '-1'$/ },
  { name: '--reporter xml', args: ['check', TLB, '--reporter', 'xml'], code: 151, first: /--reporter expects text or json, got 'xml'/ },
  { name: '--workers 0', args: ['check', TLB, '--workers', '0'], code: 151, first: /--workers expects a positive integer, got '0'/ },
  { name: '--workers abc', args: ['check', TLB, '--workers', 'abc'], code: 151, first: /--workers expects a positive integer, got 'abc'/ },
  { name: '--memory lots', args: ['check', TLB, '--memory', 'lots'], code: 151, first: /--memory expects a size such as 8GiB or 512MiB, got 'lots'/ },
  { name: '--memory 0', args: ['check', TLB, '--memory', '0'], code: 151, first: /--memory expects a size/ },
  { name: 'unknown command', args: ['frob'], code: 151, first: /unknown command 'frob'/ },
  { name: 'help for an unknown command', args: ['help', 'frob'], code: 151, first: /^kripke: error: unknown command 'frob' \(commands: check, simulate, mutate, replay, view, test, list, suite, graph, help\)$/ },
  { name: '--version with an argument', args: ['--version', 'now'], code: 151, first: /^kripke: error: unexpected argument 'now'$/ },
  { name: '--out - without --reporter json', args: ['check', TLB, '--out', '-'], code: 151, first: /^kripke: error: --out - writes the JSON report to stdout: it needs --reporter json$/ },
  { name: 'missing argument', args: ['check'], code: 151, first: /'kripke check' needs a spec module/ },
  { name: 'graph --format svg', args: ['graph', 'examples/mutex.ts', '--format', 'svg'], code: 151, first: /^kripke: error: --format expects dot or json for 'kripke graph', got 'svg'$/ },
  { name: 'graph past its limit', args: ['graph', 'examples/mutex.ts', '--max-states', '5'], code: 151, first: /^kripke: error: the state graph of spec mutex has more than 5 states, the limit: raise it with --max-states N/ },
  { name: 'extra argument', args: ['check', TLB, 'extra'], code: 151, first: /unexpected argument 'extra'/ },
  { name: 'suite --only with no such variant', args: ['suite', 'test/cli/fixtures/suite-ok.ts', '--only', 'V99', '--quiet'], code: 151, first: /no row of suite .* has variant V99/ },

  // ---- wrong verdicts that must be errors (75) ----
  { name: 'an invariant returning undefined', args: broken('invariant-undefined'), code: 75, first: /^Error: invariant Small returned undefined, not true, false or violated\(\.\.\.\) \(a block body without 'return'\?\)$/ },
  { name: 'an invariant returning a string', args: broken('invariant-string'), code: 75, first: /^Error: invariant Small returned a string \("no"\)/ },
  { name: 'an invariant returning a number', args: broken('invariant-number'), code: 75, first: /^Error: invariant Small returned a number \(0\)/ },
  { name: 'an invariant returning a malformed violated object', args: broken('invariant-object'), code: 75, first: /^Error: invariant Small returned an object with a "violated" field that is not true/ },
  { name: 'a sometimes property returning undefined', args: broken('sometimes-undefined'), code: 75, first: /^Error: sometimes property ReachesTwo returned undefined/ },
  { name: 'an action property returning undefined', args: broken('action-property-undefined'), code: 75, first: /^Error: action property Grows returned undefined/ },
  { name: 'a constraint returning undefined', args: broken('constraint-undefined'), code: 75, first: /^Error: constraint Bound returned undefined, not true or false/ },
  { name: 'an action returning true', args: broken('action-true'), code: 75, first: /^Error: action Inc returned true, not a state \(a Record with fields n, tag\)/ },
  { name: 'an action returning a number', args: broken('action-number'), code: 75, first: /^Error: action Inc returned a number \(7\), not a state/ },
  { name: 'an action returning a string', args: broken('action-string'), code: 75, first: /^Error: action Inc returned a string \("next"\), not a state/ },
  { name: 'an action returning a Record of another type', args: broken('action-other-record'), code: 75, first: /^Error: action Inc returned a Record of another type \(fields n, tag\)/ },
  { name: 'an action returning a Map for a Record state', args: broken('action-map'), code: 75, first: /^Error: action Inc returned a Map, not a state/ },
  { name: 'a change(s) write to a misspelt field', args: broken('misspelt-field'), code: 75, first: /^Error: action Inc: change\(s\) writes \[nn\], but the state is a Record with no field 'nn' \(its fields: n, tag\)$/ },
  { name: 'an action that throws', args: broken('action-throws'), code: 75, first: /^Error: action Inc threw: n must stay below 2$/ },
  { name: 'an invariant that throws', args: broken('invariant-throws'), code: 75, first: /^Error: property Small threw: cannot judge n = 2$/ },
  { name: 'an action property that throws is blamed on the property', args: broken('action-property-throws'), code: 75, first: /^Error: action property Grows threw on Inc: cannot compare$/ },
  { name: 'a constraint that throws', args: broken('constraint-throws'), code: 75, first: /^Error: constraint Bound threw: cannot bound$/ },
  { name: 'a mutable value in a successor', args: broken('mutable-value'), code: 75, first: /^Error: action Inc produced a state kripke refuses: state\.tag is a plain object$/ },
  { name: 'a mutable value in the initial state', args: broken('init-mutable'), code: 75, first: /the initial state is refused: init\.tag is a plain array/ },
  { name: 'build() throws', args: broken('build-throws'), code: 75, first: /build\(\) threw: cannot build the model/ },
  { name: 'no initial state', args: broken('no-init'), code: 75, first: /no initial state/ },
  { name: 'an impure action', args: broken('impure-action'), code: 75, first: /^Error: action Inc is not deterministic \(or mutates its input\): it produced a state the search never reached/ },
  { name: 'an impure invariant', args: broken('impure-invariant'), code: 75, first: /^Error: property Small is not deterministic: the last state failed during the search but holds/ },
  { name: 'an impure sometimes property', args: broken('impure-sometimes'), code: 75, first: /^Error: property ReachesTwo is not deterministic: the last state held during the search but not/ },
  { name: 'an initial state nested 20,000 deep', args: ['check', 'test/bad-inputs/specs/deep-nest.ts', '--quiet'], code: 75, first: /the initial state is refused: init\.d.*is nested more than 1000 collections deep/ },
  { name: 'a successor nested 20,000 deep', args: ['check', 'test/bad-inputs/specs/deep-successor.ts', '--quiet', '--out', '$DIR'], code: 75, first: /^Error: action Wrap produced a state kripke refuses: state\.d.*nested more than 1000 collections deep/ },

  // ---- inputs that must work, verdict intact ----
  { name: 'a primitive state (init: 0)', args: ['check', 'test/bad-inputs/specs/primitive-state.ts', '--quiet', '--out', '$DIR'], code: 12, first: /^Error: Invariant Ok is violated$/ },
  { name: 'a List of 20,000 elements', args: ['check', 'test/bad-inputs/specs/deep-list.ts', '--quiet', '--out', '$DIR'], code: 12, first: /^Error: Invariant Ok is violated$/ },
  { name: 'a throwing actor hook hides nothing', args: broken('actor-throws'), code: 12, first: /^Error: Invariant Small is violated: n = 3$/ },
  { name: 'a throwing doc hook hides nothing', args: broken('doc-throws'), code: 12, first: /^Error: Invariant Small is violated: n = 3$/ },
  { name: 'a throwing view hides nothing', args: broken('view-throws'), code: 12, first: /^Error: Invariant Small is violated: n = 3$/ },

  // ---- outputs that cannot be written keep the verdict ----
  {
    name: '--out names a file: the verdict stays, one line names the path and the OS error',
    args: ['check', TLB, '--const', 'MODE=local', '--invariant', 'NoStaleTranslation', '--out', '$DIR/file', '--quiet'],
    setup: write('file', 'not a folder'),
    code: 12,
    first: /^kripke: error: cannot write .*file\/tlbbench-local-NoStaleTranslation\.itf\.json: (ENOTDIR|EEXIST): /,
  },
  {
    name: 'the JSON report cannot be written either',
    args: ['check', TLB, '--out', '$DIR/file', '--reporter', 'json', '--quiet'],
    setup: write('file', 'not a folder'),
    code: 0,
    first: /^kripke: error: cannot write .*file\/tlbbench\.result\.json: (ENOTDIR|EEXIST): /,
  },
  {
    name: 'suite: the whole table, then the write error',
    args: ['suite', 'test/cli/fixtures/suite-ok.ts', '--out', '$DIR/file', '--quiet'],
    setup: write('file', 'not a folder'),
    code: 0,
    first: /^kripke: error: cannot write .*file\/.*\.itf\.json: (ENOTDIR|EEXIST): /,
  },

  // ---- limits ----
  { name: '--max-states: incomplete', args: ['check', TLB, '--max-states', '10', '--quiet'], code: 4, first: /^Search incomplete: --max-states 10 reached\. No verdict/ },
  {
    name: '--continue: a violation decides the exit code even when a limit also stopped the search',
    args: ['check', TLB, '--const', 'MODE=local', '--continue', '--max-states', '300', '--quiet', '--out', '$DIR'],
    code: 12,
    first: /^Error: Invariant TlbCoherent is violated/,
  },
  { name: '--max-depth at the depth of the space: complete', args: ['check', TLB, '--max-depth', '10', '--quiet'], code: 0, first: /^Model checking completed\. No violation found\.$/ },
  { name: '--max-depth below it: incomplete, states lie beyond', args: ['check', TLB, '--max-depth', '9', '--quiet'], code: 4, first: /^Search incomplete: --max-depth 9 reached: there are states beyond depth 9/ },

  // ---- corrupt trace files (152) and traces that do not show their claim (153) ----
  { name: 'trace file missing', args: ['replay', TLB, '$DIR/none.itf.json'], code: 152, first: /cannot read trace file .*none\.itf\.json: ENOENT/ },
  { name: 'truncated trace', args: replay, trace: (d) => JSON.stringify(d).slice(0, 500), code: 152, first: /not valid JSON \(truncated or corrupt\)/ },
  { name: 'null in a state', args: replay, trace: (d) => ((d.states[3].pte['#map'][0][1] = null), d), code: 152, first: /\$\.states\[3\]\.pte\["#map"\]\[0\]\[1\] is null/ },
  { name: 'a bare record where a set is expected', args: replay, trace: (d) => ((d.states[2].tlb = 5.5), d), code: 152, first: /\$\.states\[2\]\.tlb/ },
  { name: 'map entries that are not pairs', args: replay, trace: (d) => ((d.states[1].pte['#map'][0] = [1]), d), code: 152, first: /\$\.states\[1\]\.pte\["#map"\]\[0\]/ },
  { name: 'valid JSON that is not ITF', args: replay, trace: () => JSON.stringify({ states: [] }), code: 152, first: /not an ITF trace: .*vars/ },
  { name: 'a recorded constant the spec refuses', args: replay, trace: editMeta('constants', (c) => (c.MODE = 'lazy')), code: 152, first: /the recorded constant MODE is refused/ },
  {
    name: 'a lone trace whose source lies outside its folder and the current one',
    args: ['replay', '$TRACE'],
    trace: (d) => ((d['#meta'].source = '/etc/evil.ts'), d),
    code: 152,
    first: /kripke replay <spec\.ts>/,
  },
  { name: 'a tampered state', args: replay, trace: (d) => ((d.states[4].pte['#map'][0][1] = { '#bigint': '2' }), d), code: 153, first: /step 4: Fill\(c=1, p=1\) does not reproduce the recorded state/ },
  { name: 'an index path whose step is not enabled', args: ['replay', TLB, '0/18'], code: 153, first: /step 1: action Unmap\(c=1, p=1\) is not enabled/ },
  { name: 'an action the spec does not have', args: replay, trace: (d) => ((d.states[2]['#meta'].action = 'Teleport'), d), code: 153, first: /step 2: the spec has no action Teleport/ },
  { name: 'an unknown violation kind', args: replay, trace: editMeta('violation', (v) => (v.kind = 'liveness')), code: 153, first: /liveness/ },
  { name: 'a violation without a kind', args: replay, trace: editMeta('violation', (v) => delete v.kind), code: 153, first: /kind/ },
  { name: 'a claim of a property the spec lacks', args: replay, trace: editMeta('violation', (v) => (v.property = 'Imaginary')), code: 153, first: /Imaginary/ },
  { name: 'a trace cut before the failure it claims', args: replay, trace: (d) => ((d.states = d.states.slice(0, -1)), d), code: 153, first: /holds in the last state/ },

  // ---- signals and memory (through the real bin) ----
  { name: 'SIGINT: interrupted, partial statistics, exit 130', args: ['check', TLB, '--const', 'N=4,P=3,F=3'], bin: true, signals: ['SIGINT'], code: 130, first: /^kripke: SIGINT: stopping at the next state/ },
  { name: 'SIGTERM: exit 143', args: ['check', TLB, '--const', 'N=4,P=3,F=3'], bin: true, signals: ['SIGTERM'], code: 143, first: /^kripke: SIGTERM: stopping at the next state/ },
  { name: 'SIGHUP: exit 129', args: ['check', TLB, '--const', 'N=4,P=3,F=3'], bin: true, signals: ['SIGHUP'], code: 129, first: /^kripke: SIGHUP: stopping at the next state/ },
  {
    name: 'a second SIGINT exits at once (no partial report)',
    args: ['check', 'test/bad-inputs/specs/slow.ts'],
    bin: true,
    signals: ['SIGINT', 'SIGINT'],
    code: 130,
    first: /^kripke: SIGINT( again: exiting at once|: stopping at the next state)/,
    absent: /Search interrupted/,
  },
  { name: 'one SIGINT inside a slow action: stops after it', args: ['check', 'test/bad-inputs/specs/slow.ts'], bin: true, signals: ['SIGINT'], code: 130, first: /^kripke: SIGINT: stopping at the next state/ },
  { name: 'SIGINT during a suite: the table so far', args: ['suite', '$DIR/suite.ts', '--out', '$DIR'], bin: true, signals: ['SIGINT'], setup: slowSuite, code: 130, first: /^kripke: SIGINT: stopping at the next state/ },
  { name: 'a small memory budget: stops cleanly, incomplete', args: ['check', TLB, '--const', 'N=4,P=3,F=3', '--memory', '120MiB', '--quiet'], bin: true, code: 4, first: /^Search incomplete: memory budget reached: .* of the 120 MiB budget \(--memory\)/ },
  { name: '--workers above the CPUs: a warning, capped', args: ['check', TLB, '--workers', '64', '--quiet'], bin: true, code: 0, first: /^kripke: warning: --workers 64 is more than the \d+ CPUs of this machine: using \d+$/ },
];

/** A suite of two slow rows (tlbbench M), for the signal case. */
function slowSuite(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const root = process.cwd();
  writeFileSync(
    join(dir, 'suite.ts'),
    `import { defineSuite } from '${root}/src/index.ts';\nimport tlb from '${root}/bench/tlbbench.ts';\n` +
      `const row = (variant: string) => ({ variant, spec: tlb, module: '${root}/bench/tlbbench.ts', constants: { N: 4, P: 3, F: 3 }, property: 'NoStaleTranslation', expect: 'holds' as const });\n` +
      `export default defineSuite({ name: 'slow', rows: [row('M1'), row('M2')] });\n`,
  );
}
