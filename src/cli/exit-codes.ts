/**
 * Exit codes (TLC's, which Apalache also uses, plus kripke's own for traces and suites).
 */
import type { ErrorKind } from '../core/errors.js';

export const EXIT = {
  /** no violation (check); trace confirmed (replay); every verdict as expected (suite) */
  ok: 0,
  /** the search stopped at --max-states, --max-depth or --timeout: nothing is claimed */
  incomplete: 4,
  /** a state with no enabled action (deadlock checking on) */
  deadlock: 11,
  /** an invariant or action property is violated, or a `sometimes` property has no witness */
  violation: 12,
  /** a suite's verdicts differ from its expectations */
  suiteMismatch: 14,
  /** an action or property threw, or produced a mutable value */
  evalError: 75,
  /** the spec module cannot be loaded or is not a spec */
  loadError: 150,
  /** bad constants, flags or property names */
  configError: 151,
  /** the trace file cannot be read or is not a valid ITF trace */
  traceFileError: 152,
  /** the trace does not replay: a step is not enabled or produces another state */
  traceMismatch: 153,
  internal: 255,
} as const;

/** The exit code of an error kind. */
export function exitCodeOf(kind: ErrorKind): number {
  switch (kind) {
    case 'load':
      return EXIT.loadError;
    case 'config':
      return EXIT.configError;
    case 'eval':
      return EXIT.evalError;
    case 'trace':
      return EXIT.traceMismatch;
    case 'trace-file':
      return EXIT.traceFileError;
  }
}
