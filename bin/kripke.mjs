#!/usr/bin/env node
// kripke's entry point: runs the CLI from src/ (through tsx) in a source checkout, from the
// compiled dist/ in the installed package (which registers tsx when it loads a spec).
//
// `check` and `suite` may use most of the machine's memory (--memory, default a share of it), but
// Node's JS heap limit is fixed when the process starts (about 4 GiB here). When the budget is
// above it, this process re-runs itself with --max-old-space-size raised to the budget, in a
// process group of its own, forwards SIGINT/SIGTERM/SIGHUP to it, and exits with its code. The
// child treats the loss of this parent as SIGHUP.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';

/** A module of the CLI: its source in a checkout, else its compiled copy in dist/. */
const cli = (name) => {
  const source = new URL(`../src/cli/${name}`, import.meta.url);
  return existsSync(source) ? source.href : new URL(`../dist/src/cli/${name.replace(/\.ts$/, '.js')}`, import.meta.url).href;
};
const { defaultBudget, memoryArg, parseSize } = await import(cli('memory-size.mjs'));

const argv = process.argv.slice(2);

// Output into a closed pipe (`kripke check ... | head`) or a terminal that hung up ends quietly,
// with the verdict's exit code if there is one yet, else 141 (128 + SIGPIPE, as a shell reports
// a command killed by SIGPIPE).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => process.exit(process.exitCode ?? (e.code === 'EPIPE' || e.code === 'EIO' ? 141 : 255)));
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
  // The child stops at the next state on the first signal; on a second one (it may be stuck in
  // a long action, where its own handler cannot run) it is killed at once.
  let signalled = 0;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']) {
    process.on(sig, () => {
      if (++signalled > 1 || sig === 'SIGQUIT') {
        process.stderr.write(`\nkripke: ${sig} again: exiting at once\n`);
        child.kill('SIGKILL');
        process.exit(128 + constants.signals[sig]);
      }
      child.kill(sig);
    });
  }
  // Job control: the child is in a process group of its own, so Ctrl-Z stops it with us.
  process.on('SIGTSTP', () => {
    child.kill('SIGSTOP');
    process.kill(process.pid, 'SIGSTOP');
  });
  process.on('SIGCONT', () => child.kill('SIGCONT'));
  child.on('error', (e) => {
    process.stderr.write(`kripke: internal error: cannot start the checker with a larger heap: ${e.message}\n`);
    process.exitCode = 255;
  });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? 128 + (constants.signals[signal] ?? 0);
  });
} else {
  if (process.send) {
    // Started by the parent above: its IPC channel must not keep this process alive, and losing
    // it (the parent killed) ends this process; during a search, src/cli/signals.ts replaces this
    // listener by one that stops the search and reports, as for SIGHUP.
    process.channel?.unref();
    const orphaned = () => process.exit(129);
    process.once('disconnect', orphaned);
    if (!process.connected) orphaned();
  }
  // A checkout runs the CLI's TypeScript sources: tsx first. The package's compiled CLI loads
  // without loader hooks and registers tsx when it loads a spec (src/core/tsx.ts).
  if (existsSync(new URL('../src/cli/main.ts', import.meta.url))) {
    const { register } = await import('tsx/esm/api');
    register();
    globalThis[Symbol.for('kripke.tsx-registered')] = true;
  }
  const { main } = await import(cli('main.ts'));
  process.exitCode = await main(argv);
  if (process.send) {
    process.removeAllListeners('disconnect');
    process.disconnect();
  }
}
