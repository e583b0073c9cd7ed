/**
 * The command line's one table of options: what `parseArgs` accepts, which options each command
 * allows, and each command's `--help` are all derived from it, so they cannot disagree.
 */
import { DEFAULT_SHARE } from './memory-size.mjs';

/** The commands that take options. */
export const COMMAND_NAMES = ['check', 'simulate', 'mutate', 'replay', 'view', 'test', 'list', 'suite', 'graph'] as const;
export type Command = (typeof COMMAND_NAMES)[number];

/** One option: its parseArgs type, the placeholder of its value, and its help per command. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** The value's placeholder in help (`N`, `DIR`). */
  readonly arg?: string;
  /** The commands it applies to, each with its help text. */
  readonly for: Partial<Record<Command, string>>;
}

const budget = `default ${Math.round(DEFAULT_SHARE * 100)}% of this machine's memory or cgroup limit`;

/** Every option of every command. */
export const OPTION_TABLE = {
  const: {
    type: 'string',
    multiple: true,
    arg: 'NAME=VALUE[,...]',
    for: {
      check: 'set constants (repeatable); unknown names and disallowed values are refused',
      simulate: 'set constants (repeatable); unknown names and disallowed values are refused',
      mutate: 'set constants (repeatable): the configuration each weakening is checked in',
      replay: 'override the constants the trace file records (an index path: set them)',
      list: 'show the model built with these constants',
      graph: 'set constants (repeatable): the configuration whose graph is written',
      test: 'replay the traces with these constants (with --expect holds: the fixed configuration)',
    },
  },
  expect: {
    type: 'string',
    arg: 'violated|holds',
    for: { test: "violated (default): each test asserts its trace still replays and shows its claim; holds: that it no longer does (on a fixed spec or --const) and a check of the property finds nothing" },
  },
  invariant: {
    type: 'string',
    multiple: true,
    arg: 'NAME',
    for: {
      check: 'check only this property (repeatable; invariants, action properties and sometimes alike)',
      simulate: 'judge only this property on the walks (repeatable)',
      mutate: 'judge only this property (repeatable; default every invariant and action property)',
      replay: 'with an index path: the properties checked in its last state (repeatable)',
    },
  },
  continue: { type: 'boolean', for: { check: 'do not stop at the first violation: collect the first one of each property' } },
  minimise: {
    type: 'boolean',
    for: { check: 'report, for each violation, the shortest counterexample with the fewest lane switches (an exact second pass over (state, lane) to the same depth; its cost is printed)' },
  },
  'max-states': {
    type: 'string',
    arg: 'N',
    for: {
      check: 'stop after N distinct states (exit 4, incomplete); runs in one thread',
      mutate: 'stop each check after N distinct states (that weakening then has no verdict)',
      graph: 'refuse a graph of more than N states (default 2000), writing nothing (exit 151)',
    },
  },
  'max-depth': { type: 'string', arg: 'N', for: { check: 'do not explore beyond depth N, Init being depth 1 (exit 4 if states lie beyond)' } },
  timeout: { type: 'string', arg: 'SECONDS', for: { check: 'stop after SECONDS (exit 4, incomplete)', mutate: 'stop each check after SECONDS (that weakening then has no verdict)', simulate: 'walk for SECONDS (without --runs: as many walks as fit)' } },
  seed: { type: 'string', arg: 'N', for: { simulate: 'the seed of the walks (default 0): a seed, a depth and a number of walks give the same walks and the same trace' } },
  depth: { type: 'string', arg: 'N', for: { simulate: 'the most actions a walk takes (default 100)' } },
  runs: { type: 'string', arg: 'N', for: { simulate: 'how many walks (default 10,000, or as many as --timeout allows)' } },
  space: { type: 'string', arg: 'N', for: { simulate: 'the number of reachable states, if known (a BFS count): prints the share of it the walks saw' } },
  'no-shrink': { type: 'boolean', for: { simulate: 'report the violating walk as found, without shrinking it' } },
  out: {
    type: 'string',
    arg: 'DIR',
    for: {
      check: "where trace files go (default traces/out); '-' with --reporter json: the JSON report on stdout, the rest on stderr, no files",
      simulate: 'where the trace file goes (default traces/out): DIR/<spec>[-<constants>]-sim-<property>.itf.json',
      mutate: 'where the traces of necessary weakenings go (default traces/out): DIR/<spec>[-<constants>]-mutate-<guard or rule>-<property>.itf.json',
      suite: "where trace files go, in DIR/<suite>/ (default traces/out); '-' with --reporter json: the JSON report on stdout, the rest on stderr, no files",
    },
  },
  reporter: {
    type: 'string',
    arg: 'text|json',
    for: {
      check: 'json also writes DIR/<spec>[-<constants>].result.json (schema docs/result.schema.json)',
      suite: 'json also writes DIR/<suite>/suite.result.json (schema docs/result.schema.json)',
    },
  },
  coverage: { type: 'boolean', for: { check: 'print per-action coverage even when a violation is found' } },
  quiet: { type: 'boolean', for: { check: 'no progress lines on stderr', simulate: 'no progress lines on stderr', suite: 'no progress lines on stderr' } },
  memory: {
    type: 'string',
    arg: 'SIZE',
    for: {
      check: `stop cleanly (exit 4) before the process uses SIZE (8GiB, 512MiB, 2g; ${budget})`,
      suite: `memory budget of each row's search (8GiB, 512MiB, 2g; ${budget})`,
    },
  },
  workers: {
    type: 'string',
    arg: 'N',
    for: {
      check: 'explore each BFS level on N worker threads (same verdicts, counts and shortest traces; at most the CPUs; the report says how many ran, and why if fewer)',
      simulate: 'walk on N worker threads, walk w on thread w mod N: the same first violating walk, hence the same trace, as one thread (with --runs)',
    },
  },
  symmetry: {
    type: 'string',
    arg: '[sort|exhaustive]',
    for: {
      check:
        "explore one state per orbit under permutations of the spec's declared symmetric sets (TLC's SYMMETRY); 'sort' (the default) or 'exhaustive' canonicalisation, both exact; the declaration is checked on sampled states first, traces stay real paths",
    },
  },
  html: {
    type: 'boolean',
    for: {
      check: 'also write each trace as a self-contained HTML viewer beside its .itf.json (as kripke view does)',
      simulate: 'also write the trace as a self-contained HTML viewer beside its .itf.json (as kripke view does)',
      suite: 'also write each trace as a self-contained HTML viewer beside its .itf.json (as kripke view does)',
    },
  },
  lanes: {
    type: 'boolean',
    for: {
      check: 'print traces as lanes, one column per actor (the default when the spec\'s actions declare actors)',
      simulate: 'print the trace as lanes, one column per actor (the default when the spec\'s actions declare actors)',
      replay: 'print the trace as lanes, one column per actor (the default when the spec\'s actions declare actors)',
    },
  },
  plain: {
    type: 'boolean',
    for: { check: 'print traces one step under the other (no lanes)', simulate: 'print the trace one step under the other (no lanes)', replay: 'print the trace one step under the other (no lanes)' },
  },
  width: {
    type: 'string',
    arg: 'COLUMNS',
    for: {
      check: 'the width traces are laid out in (default: the terminal\'s, else $COLUMNS, else 80)',
      simulate: 'the width the trace is laid out in (default: the terminal\'s, else $COLUMNS, else 80)',
      replay: 'the width the trace is laid out in (default: the terminal\'s, else $COLUMNS, else 80)',
      view: 'the width of --format text (default 80)',
    },
  },
  'show-all': {
    type: 'boolean',
    for: {
      check: 'show the fields the spec marks as bookkeeping (hidden by default)',
      simulate: 'show the fields the spec marks as bookkeeping (hidden by default)',
      replay: 'show the fields the spec marks as bookkeeping (hidden by default)',
      view: 'show the fields the spec marks as bookkeeping (hidden by default)',
    },
  },
  hide: {
    type: 'string',
    multiple: true,
    arg: 'PATH[,...]',
    for: {
      check: "hide these state paths in traces ('tlb', 'ops.*.pending'; * is any key; repeatable)",
      simulate: "hide these state paths in the trace ('tlb', 'ops.*.pending'; * is any key; repeatable)",
      replay: "hide these state paths ('tlb', 'ops.*.pending'; * is any key; repeatable)",
      view: "hide these state paths ('tlb', 'ops.*.pending'; * is any key; repeatable)",
    },
  },
  show: {
    type: 'string',
    multiple: true,
    arg: 'PATH[,...]',
    for: {
      check: 'show only these state paths in traces (bookkeeping only if named; repeatable)',
      simulate: 'show only these state paths in the trace (bookkeeping only if named; repeatable)',
      replay: 'show only these state paths (bookkeeping only if named; repeatable)',
      view: 'show only these state paths (bookkeeping only if named; repeatable)',
    },
  },
  format: {
    type: 'string',
    arg: 'FORMAT',
    for: {
      graph: 'dot (Graphviz, the default) or json',
      view: 'html (default: one self-contained file, no network), or a sequence diagram on stdout: mermaid, plantuml, text (ASCII, for a mail)',
    },
  },
  output: {
    type: 'string',
    short: 'o',
    arg: 'FILE',
    for: {
      view: 'where the HTML goes (default: the trace file with .html for .itf.json); - for stdout',
      graph: "write the graph to FILE, atomically (default: stdout; '-' is stdout)",
      test: "write the test file to FILE, atomically (default: stdout; '-' is stdout); its paths are relative to it",
    },
  },
  only: { type: 'string', multiple: true, arg: 'VARIANT', for: { suite: 'run only the rows of this variant (repeatable)' } },
  weaken: { type: 'string', multiple: true, arg: 'NAME', for: { mutate: 'weaken only this guard (Family.guard) or rule (repeatable; default: every one)' } },
  help: { type: 'boolean', short: 'h', for: { check: 'print this help', simulate: 'print this help', mutate: 'print this help', test: 'print this help', replay: 'print this help', view: 'print this help', list: 'print this help', suite: 'print this help', graph: 'print this help' } },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTION_TABLE;

/** The options as `parseArgs` takes them. */
export const PARSE_OPTIONS = Object.fromEntries(
  Object.entries(OPTION_TABLE).map(([name, o]: [string, OptionSpec]) => [
    name,
    { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) },
  ]),
) as unknown as { [K in OptionName]: { type: (typeof OPTION_TABLE)[K]['type']; multiple: (typeof OPTION_TABLE)[K] extends { multiple: true } ? true : false } };

/** The options each command allows. */
export const ALLOWED: Readonly<Record<Command, readonly string[]>> = Object.fromEntries(
  COMMAND_NAMES.map((c) => [c, Object.entries(OPTION_TABLE).filter(([, o]: [string, OptionSpec]) => o.for[c] !== undefined).map(([n]) => n)]),
) as unknown as Record<Command, readonly string[]>;

/** Whether `name` is a command that takes options. */
export function isCommand(name: string): name is Command {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}
