/**
 * Reading what a property returned. A property answers `true` (holds), `false` or
 * `violated(reason)` (fails); a constraint answers `true` or `false`. Anything else (`undefined`
 * from a block body that forgot `return`, a string, a number, a Record) is an error, never
 * "holds": specs run through tsx without type checking, so this is the only guard a user has.
 */
import { KripkeError } from './errors.js';
import type { Verdict } from './spec.js';

/** What kind of property answered (words used in messages). */
export type PropertyRole = 'invariant' | 'action property' | 'sometimes property' | 'constraint';

/** The reason carried by a `violated(reason)` verdict. */
export function reasonOf(v: Verdict): string | undefined {
  return typeof v === 'object' && v !== null ? v.reason : undefined;
}

/** The type of a value as a message says it: `undefined`, `a string ("yes")`, `a Record`... */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return `a string (${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v)})`;
    case 'number':
    case 'bigint':
      return `a number (${String(v)})`;
    case 'boolean':
      return String(v);
    case 'function':
      return 'a function (a predicate returned instead of called?)';
    case 'symbol':
      return 'a symbol';
  }
  const ctor = (v as object).constructor?.name;
  if (Array.isArray(v)) return 'an array';
  if ((v as { violated?: unknown }).violated !== undefined) return 'an object with a "violated" field that is not true (use violated(reason))';
  return ctor && ctor !== 'Object' ? `a ${ctor}` : 'an object';
}

/** The error for a property that returned something that is not a verdict. */
export function badVerdict(role: PropertyRole, name: string, v: unknown): KripkeError {
  const expected = role === 'constraint' ? 'true or false' : 'true, false or violated(...)';
  const hint = v === undefined ? " (a block body without 'return'?)" : '';
  return new KripkeError('eval', `${role} ${name} returned ${describeValue(v)}, not ${expected}${hint}`);
}

/**
 * Whether verdict `v` of property `name` fails; throws `badVerdict` for anything that is not a
 * verdict. Callers test `v === true` first, so the common case costs one comparison.
 */
export function failed(role: PropertyRole, name: string, v: unknown): boolean {
  if (v === true) return false;
  if (v === false) return true;
  if (typeof v === 'object' && v !== null && (v as { violated?: unknown }).violated === true) return true;
  throw badVerdict(role, name, v);
}

/** A constraint's answer: true or false, anything else throws `badVerdict`. */
export function within(name: string, v: unknown): boolean {
  if (v === true) return true;
  if (v === false) return false;
  throw badVerdict('constraint', name, v);
}
