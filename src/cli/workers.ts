/**
 * `--workers`: how many threads a check asks for (at most the CPUs, with a warning), how many
 * really explored the state space and why fewer (CheckResult.threads, set by checkParallel), and
 * the line that says so.
 */
import { availableParallelism } from 'node:os';
import type { CheckResult } from '../core/explorer.js';
import type { Io } from './io.js';

/** What a report says of the threads: asked for, used, and why fewer. */
export interface Threads {
  /** `--workers` as given. */
  readonly requested: number;
  /** Threads that explored the state space (1: the search ran in the main thread). */
  readonly threads: number;
  /** Why fewer threads than requested ran. */
  readonly reason?: string;
}

/** The `--workers` actually used: at most the number of CPUs (with a warning). */
export function workersFor(asked: number, io: Io, cpus = availableParallelism()): number {
  if (asked <= cpus) return asked;
  io.err.write(`kripke: warning: --workers ${asked} is more than the ${cpus} CPUs of this machine: using ${cpus}\n`);
  return cpus;
}

/** The threads of a check asked for `requested` workers, capped at `capped`, with result `r`. */
export function threadsOf(requested: number, capped: number, r: CheckResult): Threads {
  const used = r.threads?.used ?? 1;
  const why = r.threads?.reason ?? (capped < requested ? `--workers ${requested} is more than the ${capped} CPU(s) of this machine` : undefined);
  return { requested, threads: used, ...(used < requested && why ? { reason: why } : {}) };
}

/** The report's line (none when one worker was asked for). */
export function workersLine(t: Threads): string | null {
  if (t.requested <= 1) return null;
  const n = `${t.threads} thread${t.threads === 1 ? '' : 's'}`;
  if (t.threads >= t.requested) return `Workers: ${n} explored the state space (level-synchronous BFS).`;
  return `Workers: ${n} explored the state space, not the ${t.requested} asked for${t.reason ? `: ${t.reason}` : ''}.`;
}
