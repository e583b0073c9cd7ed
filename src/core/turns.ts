/**
 * Running a search written as a generator that yields when the event loop should get a turn
 * (the explorer, simulation): to its end in one go, or giving the loop its turns, so that signal
 * handlers, timers and AbortSignals work while it runs.
 */

/** Runs `g` to its end without yielding to the event loop. */
export function runToEnd<T>(g: Generator<void, T>): T {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/** Runs `g` to its end, giving the event loop a turn at each of its yields. */
export async function runWithTurns<T>(g: Generator<void, T>): Promise<T> {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
    await new Promise<void>((res) => setImmediate(res));
  }
}
