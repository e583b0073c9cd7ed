/**
 * `change(s)`: a successor described by what an action writes, in immutable.js' own vocabulary
 * (`set`, `setIn`, `update`, `updateIn`, `remove`, `removeIn`), like TLA+'s `[s EXCEPT ![p] = v]`.
 *
 * A `Change` is itself immutable: every call returns a new one. The engine fingerprints it from
 * the parent's cached hashes and the written values alone, and builds the successor state only
 * when that fingerprint is new: a successor that was already seen is never built.
 * An action may also return a plain immutable state (`s.set(...)`); that is correct, only slower.
 * The fingerprint of a Change is computed in change-hash.ts (tree states) and change-slots.ts
 * (encoded states).
 */
import { is, isList, isMap, isRecord } from 'immutable';
import { UsageError } from './errors.js';
import { recordKeys } from './immutable-internals.js';

/** A path into a state: Record field names, Map keys, List indices. */
export type Path = readonly unknown[];

/** @internal the value of a removing write */
export const DELETE: unique symbol = Symbol('kripke.delete');

/** One write: a Change other than the empty one (each Change is its newest write). */
export interface Write {
  readonly path: Path;
  readonly value: unknown;
  readonly prev: Write | null;
}

function getChild(node: unknown, key: unknown): unknown {
  if (node === null || typeof node !== 'object') return undefined;
  return (node as { get(k: unknown): unknown }).get(key);
}

function getPath(node: unknown, path: Path, from = 0): unknown {
  let v = node;
  for (let i = from; i < path.length && v !== undefined; i++) v = getChild(v, path[i]);
  return v;
}

/**
 * A pending successor: the parent state plus an ordered list of writes. Reads (`get`, `getIn`)
 * see the writes made so far.
 */
export class Change<S = unknown> {
  /** @internal */
  constructor(
    readonly base: S,
    /** @internal the previous write (null for the first) */
    readonly prev: Write | null,
    /** @internal this write's path (null for the empty change) */
    readonly path: Path,
    /** @internal this write's value */
    readonly value: unknown,
  ) {}

  /** @internal newest write first (null when nothing was written) */
  get last(): Write | null {
    return this.path === null ? null : (this as unknown as Write);
  }

  /** Sets a top-level field (or Map key) of the state. */
  set(key: unknown, value: unknown): Change<S> {
    return new Change(this.base, this.last, [key], value);
  }

  /** Sets the value at a nested path, like immutable.js `setIn`. */
  setIn(path: Path, value: unknown): Change<S> {
    if (path.length === 0) throw new TypeError('change.setIn: empty path');
    return new Change(this.base, this.last, path, value);
  }

  /** Updates a top-level field with a function of its current value. */
  update(key: unknown, fn: (v: any) => unknown): Change<S> {
    return this.set(key, fn(this.get(key)));
  }

  /** Updates a nested value with a function of its current value. */
  updateIn(path: Path, fn: (v: any) => unknown): Change<S> {
    return this.setIn(path, fn(this.getIn(path)));
  }

  /** Removes a key of a Map at the top level. */
  remove(key: unknown): Change<S> {
    return new Change(this.base, this.last, [key], DELETE);
  }

  /** Removes the key at the end of a nested path (the parent must be a Map). */
  removeIn(path: Path): Change<S> {
    if (path.length === 0) throw new TypeError('change.removeIn: empty path');
    return new Change(this.base, this.last, path, DELETE);
  }

  /** The current value of a top-level field, writes included. */
  get(key: unknown): any {
    return this.getIn([key]);
  }

  /** The current value at a path, writes included. */
  getIn(path: Path): any {
    // Newest write that covers `path` (equal or a prefix of it) decides, unless a newer write
    // lies strictly below `path`: then the subtree must be rebuilt.
    let below = false;
    for (let w = this.last; w !== null; w = w.prev) {
      const wp = w.path;
      const n = Math.min(wp.length, path.length);
      let i = 0;
      while (i < n && sameKey(wp[i], path[i])) i++;
      if (i < n) continue; // disjoint
      if (wp.length <= path.length) {
        if (!below) return w.value === DELETE ? undefined : getPath(w.value, path, wp.length);
        break;
      }
      below = true;
    }
    if (!below) return getPath(this.base, path);
    return getPath(this.materialize(), path);
  }

  /** The writes, oldest first. */
  writes(): { path: Path; value: unknown; deleted: boolean }[] {
    const out: { path: Path; value: unknown; deleted: boolean }[] = [];
    for (let w = this.last; w !== null; w = w.prev) {
      out.push({ path: w.path, value: w.value === DELETE ? undefined : w.value, deleted: w.value === DELETE });
    }
    return out.reverse();
  }

  /** Builds the successor state. */
  materialize(): S {
    const ws: Write[] = [];
    for (let w = this.last; w !== null; w = w.prev) ws.push(w);
    if (ws.length === 0) return this.base;
    const base = this.base as unknown as {
      withMutations(f: (m: any) => void): S;
    };
    if (ws.length === 1) return applyWrite(this.base, ws[0]) as S;
    return base.withMutations((m) => {
      for (let i = ws.length - 1; i >= 0; i--) applyWrite(m, ws[i]);
    });
  }
}

/**
 * Refuses a write below a Record field that does not exist: immutable.js would silently ignore
 * it (`record.set('typo', v)` returns the record unchanged), and the action would be a no-op.
 */
export function checkFields(target: unknown, path: Path): void {
  let node = target;
  for (let i = 0; i < path.length; i++) {
    if (node === null || typeof node !== 'object') return;
    if (isRecord(node)) {
      if (!node.has(path[i] as string)) {
        const fields = recordKeys(node);
        const where = i === 0 ? 'the state' : `${describePath(path.slice(0, i))}`;
        throw new UsageError(`change(s) writes ${describePath(path.slice(0, i + 1))}, but ${where} is a Record with no field '${String(path[i])}' (its fields: ${fields.join(', ')})`);
      }
    } else if (!isMap(node) && !isList(node)) return;
    node = (node as { get(k: unknown): unknown }).get(path[i]);
  }
}

function applyWrite(target: unknown, w: Write): unknown {
  checkFields(target, w.path);
  const t = target as { setIn(p: Path, v: unknown): unknown; removeIn(p: Path): unknown };
  return w.value === DELETE ? t.removeIn(w.path) : t.setIn(w.path, w.value);
}

/** Starts describing a successor of `s` by its writes. */
export function change<S>(s: S): Change<S> {
  return new Change(s, null, null as unknown as Path, undefined);
}

/** Whether an action returned a `Change` rather than a full state. */
export function isChange(x: unknown): x is Change<unknown> {
  return x instanceof Change;
}

/**
 * Whether two path keys address the same entry: immutable.js compares Map keys by value
 * (`is`), so an equal List or Record key is the same key even when it is another object.
 */
export function sameKey(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && is(a, b)) || (a !== a && b !== b);
}

/** A path as `[k1][k2]`, for messages. */
export function describePath(p: Path): string {
  return p.map((k) => `[${String(k)}]`).join('') || '(state)';
}
