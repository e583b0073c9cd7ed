/**
 * Errors the engine reports to users: each carries the kind that decides the exit code.
 * The CLI prints `message` on one line; it never prints a stack trace for these.
 */
export type ErrorKind =
  /** the spec module cannot be loaded or is not a spec */
  | 'load'
  /** bad constants, flags or property names */
  | 'config'
  /** an action or property threw, or a state is not deeply immutable */
  | 'eval'
  /** a trace does not replay: a step is not enabled or produces another state */
  | 'trace'
  /** a trace file cannot be read or is not a valid ITF trace */
  | 'trace-file';

export class KripkeError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'KripkeError';
  }
}

/** The message of anything thrown, on one line. */
export function messageOf(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0];
}
