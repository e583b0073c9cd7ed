/**
 * The CLI commands: check, replay, list, suite, one module each. Each returns its exit code;
 * output goes to the given streams. Nothing here reaches back into the explorer.
 */
export type { Io } from './io.js';
export { checkCommand, type CheckArgs } from './check.js';
export { listCommand, type ListArgs } from './list.js';
export { replayCommand_, traceSource } from './replay.js';
export { suiteCommand, type SuiteArgs } from './suite.js';
