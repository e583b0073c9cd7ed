/**
 * The spec's display hooks (`actor`, `doc`, `view`) only label or shape what a trace shows. One
 * that throws must never hide a counterexample: the step is shown without it (the raw state for
 * `view`), and the trace's notes say which hook threw, once per hook.
 */
import { messageOf } from '../core/errors.js';
import type { CompiledModel } from '../core/model.js';

/** Notes about hooks that threw while a trace was rebuilt or shown. */
export type HookNotes = string[];

export function note(notes: HookNotes, text: string): void {
  if (!notes.includes(text)) notes.push(text);
}

/** `f()`, or `fallback` with a note naming the hook if it throws. */
export function guarded<T>(notes: HookNotes, hook: string, f: () => T, fallback: T): T {
  try {
    return f();
  } catch (e) {
    note(notes, `${hook} threw (${messageOf(e)}); shown without it`);
    return fallback;
  }
}

/** The spec's `view`, guarded: a state it throws on is shown as it is. */
export function viewOf<S>(m: CompiledModel<S>, notes: HookNotes): (s: unknown) => unknown {
  const view = m.model.view as ((s: unknown) => unknown) | undefined;
  if (!view) return (s) => s;
  return (s) => guarded(notes, 'view', () => view(s), s);
}
