/**
 * The library's replay of a trace file, as `kripke replay` does it, answering instead of
 * printing: whether every step still replays (an enabled action reproducing the recorded state)
 * and whether the file's claim still shows at the end. What the tests `kripke test` writes call:
 *
 *   const r = await replayTraceFile(new URL('../traces/kernel/V1-hyp-munmap-NoStaleTranslation.itf.json', import.meta.url));
 *   expect(r.shown).toBe(true);
 *
 * A file that cannot be read or parsed, or a spec that cannot be loaded, throws (KripkeError);
 * a trace that no longer replays, or no longer shows its claim, is an answer.
 */
import { fileURLToPath } from 'node:url';
import { openTrace, SOME_INVARIANT, traceSource } from './cli/replay.js';
import type { Io } from './cli/io.js';
import { KripkeError } from './core/errors.js';
import type { ConstValue } from './core/spec.js';
import { confirmClaim, type TraceClaim } from './trace/trace.js';

export interface ReplayFileOptions {
  /** The spec module (default: the one the file records as its source). */
  readonly spec?: string | URL;
  /** Constants overriding those the file records. */
  readonly constants?: Readonly<Record<string, ConstValue>>;
}

export interface TraceReplay {
  /** Every step replayed as recorded. */
  readonly replayed: boolean;
  /** Why not (the step and what differs, or which action is not enabled), when not. */
  readonly mismatch?: string;
  /** States in the trace (replayed ones, when it replays). */
  readonly states: number;
  /** What the file claims (undefined: nothing). */
  readonly claim?: TraceClaim;
  /** The claim shows at the end (the property fails; a witness holds). False if it does not replay. */
  readonly shown: boolean;
  /** The property's reason at the end, when shown; why it does not show, else. */
  readonly reason?: string;
}

const path = (p: string | URL) => (p instanceof URL ? fileURLToPath(p) : p);

/** Replays trace file `file` on its spec (or `opts.spec`) and judges its claim. */
export async function replayTraceFile(file: string | URL, opts: ReplayFileOptions = {}): Promise<TraceReplay> {
  const target = path(file);
  const spec = opts.spec !== undefined ? path(opts.spec) : traceSource(target);
  const silent: Io = { out: () => {}, err: { write: () => true } as unknown as NodeJS.WriteStream };
  const constants = Object.entries(opts.constants ?? {}).map(([k, v]) => [k, String(v)] as [string, string]);
  let opened;
  try {
    opened = await openTrace({ spec, target, constants, properties: [] }, silent, () => {}, false);
  } catch (e) {
    if (e instanceof KripkeError && e.kind === 'trace') return { replayed: false, mismatch: e.message, states: 0, shown: false };
    throw e;
  }
  const { model, trace, claim } = opened;
  const states = trace.steps.length;
  if (claim === undefined || claim === SOME_INVARIANT) {
    return { replayed: true, states, shown: false, reason: claim === undefined ? 'the file claims nothing' : 'the file claims a violation without naming the property' };
  }
  try {
    return { replayed: true, states, claim, shown: true, reason: confirmClaim(model, trace, claim) };
  } catch (e) {
    if (e instanceof KripkeError && e.kind === 'trace') return { replayed: true, states, claim, shown: false, reason: e.message };
    throw e;
  }
}
