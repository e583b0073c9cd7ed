/**
 * The kind of a spec's states, learnt from its first initial state: a Record of one type, a Map,
 * a List, a Set, or a primitive of one type. A successor of another kind (an action that returns
 * `true`, a number, a string, a Record of another type) is not a state of the spec: the explorer
 * refuses it, naming the action, instead of exploring it as a state.
 */
import { isList, isMap, isOrdered, isRecord, isSet } from 'immutable';
import { describeValue } from './verdict.js';
import { recordKeys } from './immutable-internals.js';

/** Decides whether a value is a state of the spec's kind. */
export interface StateKind {
  /** What states are, in words (`a Record with fields n, m`). */
  readonly name: string;
  /** Null if `v` is a state of this kind, else what `v` is instead. */
  mismatch(v: unknown): string | null;
}


function what(v: unknown): string {
  if (isRecord(v)) return `a Record with fields ${recordKeys(v).join(', ') || '(none)'}`;
  if (isMap(v)) return isOrdered(v) ? 'an OrderedMap' : 'a Map';
  if (isSet(v)) return isOrdered(v) ? 'an OrderedSet' : 'a Set';
  if (isList(v)) return 'a List';
  return describeValue(v);
}

/** The kind of `init`. */
export function learnKind(init: unknown): StateKind {
  const name = what(init);
  if (isRecord(init)) {
    const proto = Object.getPrototypeOf(init) as object; // decoded states add a prototype below it
    return {
      name,
      mismatch: (v) =>
        v !== null && typeof v === 'object' && proto.isPrototypeOf(v) ? null
        : isRecord(v) ? `a Record of another type (fields ${recordKeys(v).join(', ') || '(none)'})`
        : what(v),
    };
  }
  const ordered = isOrdered(init);
  const test =
    isMap(init) ? (v: unknown) => isMap(v) && isOrdered(v) === ordered
    : isSet(init) ? (v: unknown) => isSet(v) && isOrdered(v) === ordered
    : isList(init) ? (v: unknown) => isList(v)
    : (v: unknown) => typeof v === typeof init && (v === null) === (init === null) && (typeof v !== 'object' || v === null);
  return { name, mismatch: (v) => (test(v) ? null : what(v)) };
}
