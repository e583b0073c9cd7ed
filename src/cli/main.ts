/**
 * `kripke` command line: parses arguments, dispatches to a command, maps errors to exit codes.
 * Bad input is one line on stderr and a distinct exit code, never a stack trace
 * (set KRIPKE_DEBUG=1 to see one for internal errors).
 */
import { parseArgs } from 'node:util';
import { KripkeError, messageOf } from '../core/errors.js';
import { parseConstAssignments } from '../core/constants.js';
import { painter } from './colour.js';
import type { Io } from './io.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { commandHelp, USAGE } from './help.js';
import { clearLive, guardStream } from './live.js';
import { defaultBudget, parseSize } from './memory-size.mjs';
import { ALLOWED, COMMAND_NAMES, isCommand, PARSE_OPTIONS } from './options.js';
import { kripkeVersion } from './version.js';
import { displayOf } from './trace-display.js';

export { USAGE } from './help.js';

function positiveInt(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw new KripkeError('config', `--${flag} expects a positive integer, got '${v}'`);
  return Number(v);
}

function nonNegativeInt(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) throw new KripkeError('config', `--${flag} expects an integer from 0 to 4294967295, got '${v}'`);
  return Number(v);
}

/**
 * `--symmetry` may stand alone: it then means `--symmetry=sort`. A value that looks like a flag
 * (`--seed -1`) is joined to its option, so that the option's own check names what is wrong.
 */
function optionalValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const takesValue = args[i].startsWith('--') && (PARSE_OPTIONS as Record<string, { type: string }>)[args[i].slice(2)]?.type === 'string';
    if (args[i] === '--symmetry' && !['sort', 'exhaustive'].includes(args[i + 1] ?? '') && !/^-[\d.]/.test(args[i + 1] ?? '')) out.push('--symmetry=sort');
    else if (takesValue && /^-[\d.]/.test(args[i + 1] ?? '')) out.push(`${args[i]}=${args[++i]}`);
    else out.push(args[i]);
  }
  return out;
}

function symmetryOf(v: string | undefined): 'sort' | 'exhaustive' | undefined {
  if (v === undefined) return undefined;
  if (v !== 'sort' && v !== 'exhaustive') throw new KripkeError('config', `--symmetry expects sort or exhaustive, got '${v}'`);
  return v;
}

function positiveNumber(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0)) throw new KripkeError('config', `--${flag} expects a positive number of seconds, got '${v}'`);
  return n;
}

function memoryOf(v: string | undefined): number {
  if (v === undefined) return defaultBudget();
  const bytes = parseSize(v);
  if (bytes === null) throw new KripkeError('config', `--memory expects a size such as 8GiB or 512MiB, got '${v}'`);
  return bytes;
}

function reporterOf(v: string | undefined): 'text' | 'json' {
  if (v === undefined || v === 'text' || v === 'json') return v ?? 'text';
  throw new KripkeError('config', `--reporter expects text or json, got '${v}'`);
}

const unknownCommand = (name: string) => new KripkeError('config', `unknown command '${name}' (commands: ${[...COMMAND_NAMES, 'help'].join(', ')})`);

/** `kripke help [<command>]` (also `kripke --help [<command>]`). */
function help(topics: string[], io: Io): number {
  if (topics.length > 1) throw new KripkeError('config', `unexpected argument '${topics[1]}'`);
  const [topic] = topics;
  if (topic === undefined || topic === 'help') io.out(USAGE);
  else if (isCommand(topic)) io.out(commandHelp(topic));
  else throw unknownCommand(topic);
  return EXIT.ok;
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.out(USAGE);
    return EXIT.configError;
  }
  if (command === 'help' || command === '--help' || command === '-h') return help(rest, io);
  if (command === '--version') {
    if (rest.length > 0) throw new KripkeError('config', `unexpected argument '${rest[0]}'`);
    io.out(`kripke ${kripkeVersion()}`);
    return EXIT.ok;
  }
  if (!isCommand(command)) throw unknownCommand(command);
  const allowed = ALLOWED[command];
  let parsed;
  try {
    parsed = parseArgs({ args: optionalValues(rest), options: PARSE_OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new KripkeError('config', messageOf(e).replace(/\. To specify a positional argument.*$/, ''));
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    io.out(commandHelp(command));
    return EXIT.ok;
  }
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k)) throw new KripkeError('config', `option --${k} does not apply to '${command}'`);
  }
  if (v.out === '-' && reporterOf(v.reporter) !== 'json') {
    throw new KripkeError('config', "--out - writes the JSON report to stdout: it needs --reporter json");
  }
  const constants = parseConstAssignments(v.const ?? []);
  const need = (n: number, what: string) => {
    if (positionals.length < n) throw new KripkeError('config', `'kripke ${command}' needs ${what}`);
    if (positionals.length > n) throw new KripkeError('config', `unexpected argument '${positionals[n]}'`);
  };
  const outDir = v.out ?? 'traces/out';
  switch (command) {
    case 'check': {
      need(1, 'a spec module: kripke check <spec.ts>');
      const { checkCommand } = await import('./check.js'); // each command loads what it needs
      return checkCommand(
        {
          spec: positionals[0],
          constants,
          properties: v.invariant ?? [],
          continue: v.continue ?? false,
          maxStates: positiveInt('max-states', v['max-states']),
          maxDepth: positiveInt('max-depth', v['max-depth']),
          timeoutSec: positiveNumber('timeout', v.timeout),
          outDir,
          reporter: reporterOf(v.reporter),
          coverage: v.coverage ?? false,
          quiet: v.quiet ?? false,
          workers: positiveInt('workers', v.workers) ?? 1,
          memory: memoryOf(v.memory),
          symmetry: symmetryOf(v.symmetry),
          display: displayOf(v),
          html: v.html ?? false,
          minimise: v.minimise ?? false,
        },
        io,
      );
    }
    case 'simulate': {
      need(1, 'a spec module: kripke simulate <spec.ts>');
      const { simulateCommand } = await import('./simulate.js');
      return simulateCommand(
        {
          spec: positionals[0],
          constants,
          properties: v.invariant ?? [],
          seed: nonNegativeInt('seed', v.seed) ?? 0,
          depth: positiveInt('depth', v.depth),
          runs: positiveInt('runs', v.runs),
          timeoutSec: positiveNumber('timeout', v.timeout),
          space: positiveInt('space', v.space),
          noShrink: v['no-shrink'] ?? false,
          workers: positiveInt('workers', v.workers) ?? 1,
          outDir,
          quiet: v.quiet ?? false,
          display: displayOf(v),
          html: v.html ?? false,
        },
        io,
      );
    }
    case 'mutate': {
      need(1, 'a spec module: kripke mutate <spec.ts>');
      const { mutateCommand } = await import('./mutate.js');
      return mutateCommand({ spec: positionals[0], constants, properties: v.invariant ?? [], only: v.weaken ?? [], maxStates: positiveInt('max-states', v['max-states']), timeoutSec: positiveNumber('timeout', v.timeout), outDir }, io);
    }
    case 'replay': {
      if (positionals.length === 1 && positionals[0].endsWith('.json')) {
        // The spec is the one the trace file records as its source.
        const { replayCommand_, traceSource } = await import('./replay.js');
        const spec = traceSource(positionals[0]);
        return replayCommand_({ spec, target: positionals[0], constants, properties: v.invariant ?? [], display: displayOf(v) }, io);
      }
      need(2, 'a spec module and a trace: kripke replay [<spec.ts>] <file.itf.json | index path>');
      const { replayCommand_ } = await import('./replay.js');
      return replayCommand_({ spec: positionals[0], target: positionals[1], constants, properties: v.invariant ?? [], display: displayOf(v) }, io);
    }
    case 'view': {
      if (positionals.length === 0) throw new KripkeError('config', "'kripke view' needs a trace file: kripke view [<spec.ts>] <trace.itf.json>");
      if (positionals.length > 2) throw new KripkeError('config', `unexpected argument '${positionals[2]}'`);
      const { viewCommand } = await import('./view.js');
      const [spec, file] = positionals.length === 2 ? positionals : [undefined, positionals[0]];
      return viewCommand({ spec, file, constants, format: v.format, output: v.output, display: displayOf(v), width: v.width === undefined ? undefined : displayOf(v).width }, io);
    }
    case 'test': {
      const spec = positionals.length > 0 && /\.[cm]?[jt]s$/.test(positionals[0]) ? positionals[0] : undefined;
      const files = spec === undefined ? positionals : positionals.slice(1);
      if (v.expect !== undefined && v.expect !== 'violated' && v.expect !== 'holds') throw new KripkeError('config', `--expect expects violated or holds, got '${v.expect}'`);
      const { testGenCommand } = await import('./test-gen.js');
      return testGenCommand({ spec, files, constants, expect: (v.expect ?? 'violated') as 'violated' | 'holds', output: v.output, command: ['kripke', ...argv].join(' ') }, io);
    }
    case 'list': {
      need(1, 'a spec module: kripke list <spec.ts>');
      const { listCommand } = await import('./list.js');
      return listCommand({ spec: positionals[0], constants }, io);
    }
    case 'suite': {
      need(1, 'a suite module: kripke suite <suite.ts>');
      const { suiteCommand } = await import('./suite.js');
      return suiteCommand({ suite: positionals[0], outDir, only: v.only ?? [], reporter: reporterOf(v.reporter), quiet: v.quiet ?? false, memory: memoryOf(v.memory), html: v.html ?? false }, io);
    }
    case 'graph': {
      need(1, 'a spec module: kripke graph <spec.ts> [--format dot|json]');
      const { graphCommand } = await import('./graph.js');
      return graphCommand({ spec: positionals[0], constants, format: v.format, maxStates: positiveInt('max-states', v['max-states']), output: v.output }, io);
    }
  }
  return EXIT.internal;
}

/** The Io of a real run: stdout and stderr, coloured where they are terminals. */
function processIo(): Io {
  return {
    out: (l) => console.log(l),
    err: process.stderr,
    paint: { out: painter(process.stdout), err: painter(process.stderr) },
    verdict: (code) => void (process.exitCode = code),
  };
}

/**
 * Runs the CLI; returns the exit code (also set on process.exitCode by the bin). Any output
 * first clears the live progress line from `io.err` (the terminal it shares with stdout).
 */
export async function main(argv: string[], given: Io = processIo()): Promise<number> {
  const err = guardStream(given.err);
  const io: Io = {
    out: (l) => {
      clearLive(err);
      given.out(l);
    },
    err,
    paint: given.paint,
    verdict: given.verdict,
  };
  const bad = io.paint?.err('bad', 'error:') ?? 'error:';
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (e instanceof KripkeError) {
      io.err.write(`kripke: ${bad} ${e.message}\n`);
      return exitCodeOf(e.kind);
    }
    io.err.write(`kripke: internal ${bad} ${messageOf(e)}\n`);
    if (process.env.KRIPKE_DEBUG) io.err.write(`${(e as Error).stack}\n`);
    return EXIT.internal;
  }
}
