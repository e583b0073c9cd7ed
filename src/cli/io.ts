/** Where a command's output goes: result lines to `out`, progress, notices and errors to `err`. */
export interface Io {
  out: (line: string) => void;
  err: NodeJS.WriteStream;
}

/** Writes one `kripke: error: ...` line to stderr (an error that does not change the exit code). */
export function reportError(io: Io, message: string): void {
  io.err.write(`kripke: error: ${message}\n`);
}
