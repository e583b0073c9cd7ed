import type { Paint } from './colour.js';

/** Where a command's output goes: result lines to `out`, progress, notices and errors to `err`. */
export interface Io {
  out: (line: string) => void;
  err: NodeJS.WriteStream;
  /** How lines to `out` and to `err` are coloured (default: not at all). */
  paint?: { readonly out: Paint; readonly err: Paint };
  /**
   * Told the exit code as soon as the verdict is known, before the report is printed (the
   * process sets it, so output cut short by a closed pipe still exits with the verdict).
   */
  verdict?: (code: number) => void;
}

/** Writes one `kripke: error: ...` line to stderr (an error that does not change the exit code). */
export function reportError(io: Io, message: string): void {
  io.err.write(`kripke: ${io.paint?.err('bad', 'error:') ?? 'error:'} ${message}\n`);
}

/** An Io whose result lines go to `io.err` too (used when stdout carries a JSON report). */
export function toStderr(io: Io): Io {
  return { out: (line) => void io.err.write(`${line}\n`), err: io.err, paint: io.paint && { out: io.paint.err, err: io.paint.err }, verdict: io.verdict };
}
