/**
 * Notes: state fields for explanation only (a spec's `notes`, e.g. "why CPU 1 was skipped"),
 * which traces show but which are not part of the state. They are not fingerprinted or encoded,
 * every action and property sees a state with its notes at their defaults, and the notes of a
 * state are what the action that produced it wrote. Annotating a trace so never multiplies the
 * state space.
 */
import { isRecord } from 'immutable';
import { Change, type Write } from './change.js';
import { KripkeError } from './errors.js';
import { recordDefault, recordKeys } from './immutable-internals.js';

/** `s` with its note fields at their defaults (`s` itself if they are). */
export function stripper<S>(fields: readonly string[]): (s: S) => S {
  if (fields.length === 0) return (s) => s;
  return (s) => {
    let r = s as unknown as { get(k: string): unknown; remove(k: string): unknown };
    for (const k of fields) if (!Object.is(r.get(k), recordDefault(r as object, k))) r = r.remove(k) as typeof r;
    return r as unknown as S;
  };
}

/** The change `c` without its writes to note fields. */
export function withoutNoteWrites<S>(c: Change<S>, fields: ReadonlySet<string>): Change<S> {
  let keep: Write[] | null = null;
  const all: Write[] = [];
  for (let w = c.last; w !== null; w = w.prev) {
    all.push(w);
    if (fields.has(w.path[0] as string)) keep ??= [];
  }
  if (keep === null) return c; // no note written
  let out = new Change<S>(c.base, null, null as never, undefined);
  for (let i = all.length - 1; i >= 0; i--) {
    const w = all[i];
    if (!fields.has(w.path[0] as string)) out = new Change<S>(c.base, out.last, w.path, w.value); // value DELETE stays a removal
  }
  return out;
}

/** Checks a spec's `notes` against its initial state; the note field names. */
export function checkNotes(spec: string, init: unknown, notes: readonly string[] | undefined): readonly string[] {
  if (notes === undefined || notes.length === 0) return [];
  if (!Array.isArray(notes) || notes.some((n) => typeof n !== 'string')) throw new KripkeError('load', `spec '${spec}': notes must be a list of field names of the state`);
  if (!isRecord(init)) throw new KripkeError('load', `spec '${spec}': notes need a state that is a Record (notes are fields of it)`);
  const keys = recordKeys(init);
  for (const n of notes) {
    if (!keys.includes(n)) throw new KripkeError('load', `spec '${spec}': note '${n}' is not a field of the state (its fields: ${keys.join(', ')})`);
  }
  return notes;
}
