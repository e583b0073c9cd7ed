/**
 * Progress on stderr: one live line on a terminal (cleared before any other output, see
 * live.ts), a TLC-style line at intervals otherwise. Both show the states generated (initial
 * states included, as the final statistics count them) and distinct with their rates, the
 * queue, the level (depth), the elapsed time and the memory (peak RSS so far).
 */
import type { Stats } from '../core/explorer.js';
import { clearLive, showLive } from './live.js';
import { elapsed, mib, num, rate } from './format.js';

export interface Progress {
  readonly intervalMs: number;
  /** Shows the running statistics; `inits` is the number of initial states (counted as generated). */
  update(s: Stats, inits?: number): void;
  done(): void;
}

/** The TLC-style line's text (after `Progress(depth) at hh:mm:ss: `). */
function line(s: Stats, inits: number): string {
  const generated = s.generated + inits;
  return (
    `${num(generated)} states generated (${rate(generated, s.elapsedMs)}), ` +
    `${num(s.distinct)} distinct states found (${rate(s.distinct, s.elapsedMs)}), ` +
    `${num(s.queue)} states left on queue, depth ${s.depth}, ${elapsed(s.elapsedMs)} elapsed, ${mib(s.peakRssBytes)} RSS`
  );
}

/** The live line: the same, time and memory first, so that a narrow terminal cuts the least useful end. */
function liveLine(s: Stats, inits: number): string {
  const generated = s.generated + inits;
  return (
    `Progress: ${elapsed(s.elapsedMs)}, ${mib(s.peakRssBytes)} RSS, depth ${s.depth}: ` +
    `${num(s.distinct)} distinct (${rate(s.distinct, s.elapsedMs)}), ${num(generated)} generated (${rate(generated, s.elapsedMs)}), ${num(s.queue)} on queue`
  );
}

/** Progress reporting to `stream` (nothing if `quiet`). */
export function makeProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  if (quiet) return { intervalMs: 60_000, update() {}, done() {} };
  if (stream.isTTY) {
    return {
      intervalMs: 250,
      update(s, inits = 0) {
        showLive(stream, liveLine(s, inits).slice(0, (stream.columns || 200) - 1));
      },
      done() {
        clearLive(stream);
      },
    };
  }
  return {
    intervalMs: 10_000,
    update(s, inits = 0) {
      stream.write(`Progress(${s.depth}) at ${new Date().toISOString().slice(11, 19)}: ${line(s, inits)}\n`);
    },
    done() {},
  };
}
