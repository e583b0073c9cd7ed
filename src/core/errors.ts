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

/**
 * A spec used kripke's API wrongly (e.g. a `change(s)` write to a Record field that does not
 * exist). Thrown inside an action, it is reported as "action X: <message>", not as a crash.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
