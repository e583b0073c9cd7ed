#!/usr/bin/env node
// kripke's entry point: registers tsx so spec modules (and kripke itself) run as TypeScript.
//
// `check` and `suite` may use most of the machine's memory (--memory, default a share of it), but
// Node's JS heap limit is fixed when the process starts (about 4 GiB here). When the budget is
// above it, this process re-runs itself with --max-old-space-size raised to the budget, in a
// process group of its own, forwards SIGINT/SIGTERM/SIGHUP to it, and exits with its code. The
// child treats the loss of this parent as SIGHUP.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { defaultBudget, memoryArg, parseSize } from '../src/cli/memory-size.mjs';

const argv = process.argv.slice(2);

// Output into a closed pipe (`kripke check ... | head`) ends quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

/** The heap limit (MiB) this run wants, or 0 if the current one will do. */
function heapWanted() {
  if (process.env.KRIPKE_HEAP_RAISED || !['check', 'suite'].includes(argv[0])) return 0;
  const raw = memoryArg(argv);
  const budget = raw === undefined ? defaultBudget() : parseSize(raw);
  if (budget === null) return 0; // the CLI reports the bad value
  const mib = Math.ceil(budget / 2 ** 20);
  return getHeapStatistics().heap_size_limit < budget * 0.95 ? mib : 0;
}

const heap = heapWanted();
if (heap > 0) {
  const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${heap}`, fileURLToPath(import.meta.url), ...argv], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, KRIPKE_HEAP_RAISED: String(heap) },
    detached: true,
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? 128 + (constants.signals[signal] ?? 0);
  });
} else {
  process.channel?.unref(); // the parent's IPC channel must not keep this process alive
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(argv);
  process.disconnect?.();
}
