/**
 * Progress on stderr: one live line on a terminal, a TLC-style line at intervals otherwise.
 */
import type { Stats } from '../core/explorer.js';
import { num, rate } from './format.js';

export interface Progress {
  readonly intervalMs: number;
  update(s: Stats): void;
  done(): void;
}

function line(s: Stats): string {
  return (
    `${num(s.generated)} states generated (${rate(s.generated, s.elapsedMs)}), ` +
    `${num(s.distinct)} distinct states found (${rate(s.distinct, s.elapsedMs)}), ` +
    `${num(s.queue)} states left on queue, depth ${s.depth}`
  );
}

export function makeProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  if (quiet) return { intervalMs: 60_000, update() {}, done() {} };
  if (stream.isTTY) {
    let shown = false;
    return {
      intervalMs: 250,
      update(s) {
        const text = `Progress: ${line(s)}`;
        stream.write(`\r${text.slice(0, (stream.columns || 200) - 1)}\x1b[K`);
        shown = true;
      },
      done() {
        if (shown) stream.write('\r\x1b[K');
      },
    };
  }
  return {
    intervalMs: 10_000,
    update(s) {
      stream.write(`Progress(${s.depth}) at ${new Date().toISOString().slice(11, 19)}: ${line(s)}\n`);
    },
    done() {},
  };
}
