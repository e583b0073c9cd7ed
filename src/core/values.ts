/**
 * What a state may contain: primitives and immutable.js Record, Map, Set, List (and their
 * ordered variants), nested. A plain object, array, JS Map/Set or function inside a state would
 * hash by identity and silently break deduplication, so it is refused.
 */
import { isImmutable, isList, isMap, isRecord, isSet, isStack } from 'immutable';
import { recordKeys } from './immutable-internals.js';

function keyText(k: unknown): string {
  return typeof k === 'string' && /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${String(k)}]`;
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a plain array';
  if (v instanceof Map) return 'a JS Map';
  if (v instanceof Set) return 'a JS Set';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  if (isImmutable(v)) return 'an unsupported immutable.js collection (use Record, Map, Set, List)';
  const ctor = (v as object).constructor?.name;
  return ctor && ctor !== 'Object' ? `a mutable ${ctor} object` : 'a plain object';
}

/**
 * How deeply collections may nest in a state. Hashing, encoding and printing recurse over the
 * nesting; a deeper state is refused with this limit named, not a stack overflow.
 */
export const MAX_NESTING = 1000;

function tooDeep(path: string): string {
  const shown = path.length > 60 ? `${path.slice(0, 60)}...` : path;
  return `${shown} is nested more than ${MAX_NESTING} collections deep (kripke's limit; flatten it, e.g. a List of records instead of nested Lists)`;
}

/**
 * Returns a description of the first mutable value inside `v` (its path and kind), or null if
 * `v` is deeply immutable. `seen` skips nodes already checked (shared subtrees). A state nested
 * deeper than MAX_NESTING is described as such.
 */
export function findMutable(v: unknown, path = 'state', seen?: WeakSet<object>, depth = 0): string | null {
  switch (typeof v) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'undefined':
    case 'bigint':
      return null;
    case 'object':
      if (v === null) return null;
      break;
    default:
      return `${path} is ${kindOf(v)}`;
  }
  const o = v as object;
  if (seen?.has(o)) return null;
  if (depth >= MAX_NESTING) return tooDeep(path);
  let found: string | null = null;
  if (isRecord(o)) {
    const keys = recordKeys(o);
    for (const k of keys) {
      found = findMutable((o as unknown as { get(k: string): unknown }).get(k), path + keyText(k), seen, depth + 1);
      if (found) return found;
    }
  } else if (isMap(o) || isList(o) || isStack(o)) {
    for (const [k, x] of entriesOf(o)) {
      const kf = findMutable(k, `${path} key ${String(k)}`, seen, depth + 1);
      if (kf) return kf;
      found = findMutable(x, path + keyText(k), seen, depth + 1);
      if (found) return found;
    }
  } else if (isSet(o)) {
    for (const x of o as unknown as Iterable<unknown>) {
      found = findMutable(x, `${path} element`, seen, depth + 1);
      if (found) return found;
    }
  } else {
    return `${path} is ${kindOf(o)}`;
  }
  seen?.add(o);
  return null;
}

function entriesOf(o: object): Iterable<[unknown, unknown]> {
  return (o as unknown as { entries(): Iterable<[unknown, unknown]> }).entries();
}

/** Shows a value compactly, in TLA+-like notation: records `{a: 1}`, maps `(k :> v)`, sets `{1, 2}`, lists `<<1, 2>>`. */
export function showValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (isRecord(v)) {
    const keys = recordKeys(v);
    return `{${keys.map((k) => `${k}: ${showValue((v as unknown as { get(k: string): unknown }).get(k))}`).join(', ')}}`;
  }
  if (isMap(v)) {
    const parts: string[] = [];
    for (const [k, x] of entriesOf(v)) parts.push(`${showValue(k)}: ${showValue(x)}`);
    return `[${parts.join(', ')}]`;
  }
  if (isSet(v)) return `{${[...(v as unknown as Iterable<unknown>)].map(showValue).join(', ')}}`;
  if (isList(v) || isStack(v)) return `<<${[...(v as unknown as Iterable<unknown>)].map(showValue).join(', ')}>>`;
  return String(v);
}
