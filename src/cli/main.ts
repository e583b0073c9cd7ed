/**
 * `kripke` command line: parses arguments, dispatches to a command, maps errors to exit codes.
 * Bad input is one line on stderr and a distinct exit code, never a stack trace
 * (set KRIPKE_DEBUG=1 to see one for internal errors).
 */
import { parseArgs } from 'node:util';
import { KripkeError, messageOf } from '../core/errors.js';
import { parseConstAssignments } from '../core/constants.js';
import { checkCommand, listCommand, replayCommand_, suiteCommand, traceSource, type Io } from './commands.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { DEFAULT_SHARE, defaultBudget, parseSize } from './memory-size.mjs';

export const USAGE = `kripke: a TLA-style explicit-state model checker

Usage:
  kripke check <spec.ts> [options]          check every reachable state (BFS)
  kripke replay [<spec.ts>] <file.itf.json> re-validate a trace file step by step (default spec:
                                            the module the file records as its source)
  kripke replay <spec.ts> <index path>      replay an action-index path (e.g. 0/3/1/7)
  kripke list <spec.ts> [--const ...]       constants, actions and properties of a spec
  kripke suite <suite.ts> [options]         run a table of checks with expected verdicts
  kripke help                               this text

Options of check:
  --const NAME=VALUE[,NAME=VALUE...]   set constants (repeatable)
  --invariant NAME                     check only this property (repeatable; any kind)
  --continue                           do not stop at the first violation: one per property
  --max-states N                       stop after N distinct states (exit 4, incomplete)
  --max-depth N                        do not explore beyond depth N (exit 4, incomplete)
  --timeout SECONDS                    stop after SECONDS (exit 4, incomplete)
  --out DIR                            where trace files go (default traces/out)
  --reporter text|json                 json also writes DIR/<spec>.result.json
  --coverage                           print per-action coverage even when a violation is found
  --quiet                              no progress lines on stderr
  --memory SIZE                        stop cleanly (exit 4) before the process uses SIZE (e.g. 8GiB,
                                       512MiB; default ${Math.round(DEFAULT_SHARE * 100)}% of this machine's memory)
  --workers N                          explore each BFS level on N worker threads (same verdicts,
                                       counts and shortest traces; at most the number of CPUs)
Options of replay: --const, --invariant.
Options of suite: --out, --reporter, --only VARIANT, --quiet, --memory.
SIGINT, SIGTERM, SIGHUP stop a check or suite at the next state: partial results are printed
(exit 130, 143, 129); a second signal exits at once.

Exit codes: 0 ok, 4 incomplete search, 11 deadlock, 12 property violated, 14 suite verdicts differ
from expectations, 75 an action or property threw, returned a non-verdict or is not deterministic,
129/130/143 interrupted by SIGHUP/SIGINT/SIGTERM, 150 spec cannot be loaded, 151 bad constants or
flags, 152 unreadable or corrupt trace file, 153 trace does not replay or show its claim, 255
internal error.`;

const OPTIONS = {
  const: { type: 'string', multiple: true },
  invariant: { type: 'string', multiple: true },
  continue: { type: 'boolean' },
  'max-states': { type: 'string' },
  'max-depth': { type: 'string' },
  timeout: { type: 'string' },
  out: { type: 'string' },
  reporter: { type: 'string' },
  coverage: { type: 'boolean' },
  quiet: { type: 'boolean' },
  workers: { type: 'string' },
  memory: { type: 'string' },
  only: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

const ALLOWED: Record<string, readonly string[]> = {
  check: ['const', 'invariant', 'continue', 'max-states', 'max-depth', 'timeout', 'out', 'reporter', 'coverage', 'quiet', 'workers', 'memory'],
  replay: ['const', 'invariant'],
  list: ['const'],
  suite: ['out', 'reporter', 'only', 'quiet', 'memory'],
};

function positiveInt(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw new KripkeError('config', `--${flag} expects a positive integer, got '${v}'`);
  return Number(v);
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

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return command === undefined ? EXIT.configError : EXIT.ok;
  }
  const allowed = ALLOWED[command];
  if (!allowed) throw new KripkeError('config', `unknown command '${command}' (commands: check, replay, list, suite, help)`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new KripkeError('config', messageOf(e).replace(/\. To specify a positional argument.*$/, ''));
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k)) throw new KripkeError('config', `option --${k} does not apply to '${command}'`);
  }
  const constants = parseConstAssignments(v.const ?? []);
  const need = (n: number, what: string) => {
    if (positionals.length < n) throw new KripkeError('config', `'kripke ${command}' needs ${what}`);
    if (positionals.length > n) throw new KripkeError('config', `unexpected argument '${positionals[n]}'`);
  };
  const outDir = v.out ?? 'traces/out';
  switch (command) {
    case 'check':
      need(1, 'a spec module: kripke check <spec.ts>');
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
        },
        io,
      );
    case 'replay': {
      if (positionals.length === 1 && positionals[0].endsWith('.json')) {
        // The spec is the one the trace file records as its source.
        const spec = traceSource(positionals[0]);
        return replayCommand_({ spec, target: positionals[0], constants, properties: v.invariant ?? [] }, io);
      }
      need(2, 'a spec module and a trace: kripke replay [<spec.ts>] <file.itf.json | index path>');
      return replayCommand_({ spec: positionals[0], target: positionals[1], constants, properties: v.invariant ?? [] }, io);
    }
    case 'list':
      need(1, 'a spec module: kripke list <spec.ts>');
      return listCommand({ spec: positionals[0], constants }, io);
    case 'suite':
      need(1, 'a suite module: kripke suite <suite.ts>');
      return suiteCommand({ suite: positionals[0], outDir, only: v.only ?? [], reporter: reporterOf(v.reporter), quiet: v.quiet ?? false, memory: memoryOf(v.memory) }, io);
  }
  return EXIT.internal;
}

/** Runs the CLI; returns the exit code (also set on process.exitCode by the bin). */
export async function main(argv: string[], io: Io = { out: (l) => console.log(l), err: process.stderr }): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (e instanceof KripkeError) {
      io.err.write(`kripke: error: ${e.message}\n`);
      return exitCodeOf(e.kind);
    }
    io.err.write(`kripke: internal error: ${messageOf(e)}\n`);
    if (process.env.KRIPKE_DEBUG) io.err.write(`${(e as Error).stack}\n`);
    return EXIT.internal;
  }
}
