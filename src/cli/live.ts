/**
 * The live progress line on a terminal (`\r...` rewritten in place) and the rule that keeps it
 * from mixing with other output: whatever else is written to that terminal first clears it.
 * `showLive` and `clearLive` track, per stream, whether a live line is on screen; a stream
 * wrapped by `guardStream` clears it before each write, so warnings, signal notices and errors
 * never land on the end of a progress line.
 */
const RAW = Symbol('kripke.live.raw');
const showing = new WeakSet<object>();

type Out = { write(s: string): boolean };

function rawOf<T extends Out>(stream: T): Out {
  return (stream as unknown as { [RAW]?: Out })[RAW] ?? stream;
}

/** Writes `text` as the live line of `stream` (replacing the one shown, if any). */
export function showLive(stream: Out, text: string): void {
  const raw = rawOf(stream);
  raw.write(`\r${text}\x1b[K`);
  showing.add(raw);
}

/** Erases the live line of `stream`, if one is shown; true if it was. */
export function clearLive(stream: Out): boolean {
  const raw = rawOf(stream);
  if (!showing.has(raw)) return false;
  showing.delete(raw);
  raw.write('\r\x1b[K');
  return true;
}

/** `stream`, except that each write first clears its live line. */
export function guardStream<T extends Out>(stream: T): T {
  return new Proxy(stream, {
    get(target, key) {
      if (key === RAW) return target;
      if (key === 'write') {
        return (...args: unknown[]) => {
          clearLive(target);
          return (target.write as (...a: unknown[]) => boolean).apply(target, args);
        };
      }
      const v = Reflect.get(target, key, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
