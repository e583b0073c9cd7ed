/**
 * SIGINT, SIGTERM and SIGHUP during a run: the first one stops the search at the next state (it
 * aborts the run's AbortSignal), so the command still prints "interrupted", the partial
 * statistics and any violation found so far, and exits 130 / 143 / 129; a second one exits at
 * once. A run started by bin/kripke.mjs in a child process (to raise Node's heap limit) treats the
 * loss of its parent as SIGHUP. A notice replaces the live progress line on a terminal; elsewhere
 * it starts on a line of its own.
 */
import type { Writable } from 'node:stream';
import { clearLive } from './live.js';

export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT;
const SIGNALS = Object.keys(SIGNAL_EXIT) as StopSignal[];

/** The signals of one run. */
export interface Interrupts {
  /** Aborted (with the signal's name as reason) by the first signal. */
  readonly signal: AbortSignal;
  /** The exit code of the signal received, if any. */
  exitCode(): number | null;
  /** Removes the handlers. */
  dispose(): void;
}

/** Installs the handlers for one run; `err` gets the one-line notice. */
export function catchInterrupts(err: Writable): Interrupts {
  const ac = new AbortController();
  let got: StopSignal | null = null;
  const on = (sig: StopSignal) => {
    const lead = clearLive(err) ? '' : '\n';
    if (got !== null) {
      err.write(`${lead}kripke: ${sig} again: exiting at once\n`);
      process.exit(SIGNAL_EXIT[sig]);
    }
    got = sig;
    err.write(`${lead}kripke: ${sig}: stopping at the next state (send it again to exit at once)\n`);
    ac.abort(sig);
  };
  const handlers = SIGNALS.map((sig) => [sig, () => on(sig)] as const);
  for (const [sig, h] of handlers) process.on(sig, h);
  // In the child that bin/kripke.mjs starts, losing the parent is SIGHUP; the bin's own
  // listener (exit at once) is set aside while the run reports, and put back after.
  const orphaned = () => on('SIGHUP');
  const earlier = process.listeners('disconnect');
  if (process.send) {
    process.removeAllListeners('disconnect');
    process.on('disconnect', orphaned);
  }
  return {
    signal: ac.signal,
    exitCode: () => (got === null ? null : SIGNAL_EXIT[got]),
    dispose() {
      for (const [sig, h] of handlers) process.off(sig, h);
      process.off('disconnect', orphaned);
      for (const l of earlier) if (!process.listeners('disconnect').includes(l)) process.on('disconnect', l as () => void);
    },
  };
}
