/**
 * Help texts: `kripke help` (the commands, signals and exit codes) and `kripke help <command>`
 * (= `kripke <command> --help`: its usage and its own options, from the one table of options).
 */
import { ALLOWED, OPTION_TABLE, type Command, type OptionSpec } from './options.js';

/** The general help. */
export const USAGE = `kripke: a TLA-style explicit-state model checker

Usage:
  kripke check <spec.ts> [options]          check every reachable state (BFS)
  kripke simulate <spec.ts> [options]       random walks from Init; a violation is shrunk to a
                                            short trace (for configurations too big for BFS)
  kripke mutate <spec.ts> [options]         which named guards and rules are necessary: each
                                            dropped or negated in turn, and checked again
  kripke replay [<spec.ts>] <file.itf.json> re-validate a trace file step by step (default spec:
                                            the module the file records as its source)
  kripke replay <spec.ts> <index path>      replay an action-index path (e.g. 0/3/1/7)
  kripke view [<spec.ts>] <file.itf.json>   a trace as one self-contained HTML page (lanes,
                                            IPI arrows, notes, code anchors), or --format
                                            mermaid|plantuml|text: a sequence diagram
  kripke test [<spec.ts>] <file.itf.json | dir>...
                                            write a vitest test per trace: it still replays and
                                            shows its claim (or, --expect holds, no longer does)
  kripke list <spec.ts> [--const ...]       constants, actions and properties of a spec
  kripke suite <suite.ts> [options]         run a table of checks with expected verdicts
  kripke graph <spec.ts> [options]          write the reachable state graph (dot or json) of a
                                            small configuration, the violating path highlighted
  kripke help [<command>]                   this text, or the options of one command
  kripke --version                          print kripke's version

'kripke help <command>' (or 'kripke <command> --help') lists the options of that command.
SIGINT, SIGTERM, SIGHUP stop a check or suite at the next state: partial results are printed
(exit 130, 143, 129); a second signal exits at once. Colour: on a terminal only; NO_COLOR=1
turns it off, FORCE_COLOR=1 on (FORCE_COLOR=0 off).

Exit codes: 0 ok, 4 incomplete search, 11 deadlock, 12 property violated, 14 suite verdicts differ
from expectations, 75 an action or property threw, returned a non-verdict or is not deterministic,
129/130/143 interrupted by SIGHUP/SIGINT/SIGTERM, 150 spec cannot be loaded, 151 bad constants or
flags, 152 unreadable or corrupt trace file, 153 trace does not replay or show its claim, 255
internal error.`;

const ABOUT: Record<Command, { usage: readonly string[]; about: string }> = {
  check: {
    usage: ['kripke check <spec.ts> [options]'],
    about:
      'Explores every reachable state breadth-first, level by level: the first violation reported is at minimal depth and its trace is a shortest one. ' +
      'Trace files are DIR/<spec>[-<constants>]-<property>.itf.json, where <constants> are those set to other than their defaults (N3, or a string value alone: local).',
  },
  simulate: {
    usage: ['kripke simulate <spec.ts> [options]'],
    about:
      'Random walks from Init, each at most --depth actions, each step to a successor chosen uniformly among the enabled ones: every state is judged by the invariants, every enabled transition of a family with action properties by them. ' +
      'The first violation stops the walks; it is then shrunk with fast-check (fewer steps, then earlier actions) to a locally minimal trace, written and replayable as a check\'s. Deterministic: --seed, --depth and --runs give the same walks. Finding nothing proves nothing.',
  },
  mutate: {
    usage: ['kripke mutate <spec.ts> [options]'],
    about:
      'Checks the spec as it is, then once per weakening: each named guard of an action dropped (ActionDef.guards, shown as Family.guard) and each named rule negated (Model.rules), with the same properties. ' +
      'A weakening that makes a property fail is necessary, and the shortest counterexample is written (it records the weakening: kripke replay rebuilds the same mutant); one after which every property holds is redundant for them, or they are too weak. Sometimes properties are not judged.',
  },
  replay: {
    usage: ['kripke replay [<spec.ts>] <file.itf.json> [options]', 'kripke replay <spec.ts> <index path> [options]'],
    about:
      'Re-validates a trace: every step must be an enabled action that produces exactly the recorded state, and the property the file records must fail at the end. ' +
      'Without <spec.ts>, the spec is the module the file records as its source. With an index path (0/3/1/7) it prints the trace and the invariants that fail in its last state.',
  },
  view: {
    usage: ['kripke view [<spec.ts>] <file.itf.json> [options]'],
    about:
      'Replays a trace file (as kripke replay does) and writes it for a reader: one self-contained HTML file (no network) with a lane per actor, arrows for messages (an IPI to the handler that ran it), ' +
      'the notes and code anchors of each step, the state diff of the selected step and keyboard navigation (j/k, arrows, Home/End); or, on stdout, a sequence diagram whose participants are the lanes: Mermaid, PlantUML or plain text for a mail.',
  },
  test: {
    usage: ['kripke test [<spec.ts>] <file.itf.json | folder>... [options]'],
    about:
      'Counterexamples as tests: writes a vitest file with one test per trace, which replays it on its spec (the recorded source, or <spec.ts>) and asserts every step still replays and its claim still shows at the last step, with the same reason. ' +
      'With --expect holds (and --const, or another <spec.ts>, for the fixed configuration) each test asserts the counterexample is gone and a check of the property finds no violation. The traces must show (or not) what the test asserts when it is written.',
  },
  list: {
    usage: ['kripke list <spec.ts> [options]'],
    about: "The spec's constants (values, defaults, allowed values), action families with their parameters and instance counts, and properties by kind.",
  },
  suite: {
    usage: ['kripke suite <suite.ts> [options]'],
    about:
      'Runs every row of a suite (one property of one spec configuration each) and prints the verdict table; counterexamples and witnesses go to DIR/<suite>/<variant>-<property>.itf.json. ' +
      'Exit 14 if a verdict differs from the expected one.',
  },
  graph: {
    usage: ['kripke graph <spec.ts> [options]'],
    about:
      'Writes the reachable state graph of a small configuration: Graphviz dot (variables one per line, initial states as double octagons, violating states red, the shortest path to the first one bold red) or JSON. ' +
      'A graph of more than --max-states states (default 2000) is refused and nothing is written.',
  },
};

/** `text` broken into lines of at most `width` characters (words longer than that stay whole). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The help of one command: usage, what it does, and its options only. */
export function commandHelp(command: Command): string {
  const { usage, about } = ABOUT[command];
  const rows = ALLOWED[command].map((name) => {
    const o: OptionSpec = OPTION_TABLE[name as keyof typeof OPTION_TABLE];
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.arg ? ` ${o.arg}` : ''}`;
    return [flag, o.for[command]!] as const;
  });
  const w = Math.max(...rows.map(([f]) => f.length)) + 2;
  const lines = [`Usage: ${usage[0]}`, ...usage.slice(1).map((u) => `       ${u}`), '', ...wrap(about, 100), '', 'Options:'];
  for (const [flag, text] of rows) {
    const body = wrap(text, 98 - w);
    lines.push(`  ${flag.padEnd(w)}${body[0]}`);
    for (const more of body.slice(1)) lines.push(`  ${''.padEnd(w)}${more}`);
  }
  lines.push('', "Exit codes and signals: 'kripke help'.");
  return lines.join('\n');
}
