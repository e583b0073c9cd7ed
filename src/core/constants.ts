/**
 * Constants: parsing `--const N=3,MODE=local` and checking values against their declarations.
 */
import type { ConstDecl, ConstValue } from './spec.js';
import { KripkeError } from './errors.js';

/** Parses `A=1,B=x` (and repeated flags) into raw string assignments, in order. */
export function parseConstAssignments(args: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const arg of args) {
    for (const part of arg.split(',')) {
      if (part.trim() === '') continue;
      const eq = part.indexOf('=');
      if (eq <= 0) throw new KripkeError('config', `bad constant assignment '${part}': expected NAME=VALUE`);
      out.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
    }
  }
  return out;
}

function describeAllowed(decl: ConstDecl): string {
  if (decl.values) return decl.values.map(String).join(', ');
  if (typeof decl.default === 'number') {
    if (decl.min !== undefined && decl.max !== undefined) return `an integer in ${decl.min}..${decl.max}`;
    if (decl.min !== undefined) return `an integer >= ${decl.min}`;
    return 'an integer';
  }
  return typeof decl.default;
}

/** Converts one raw value to the declared type and checks it is allowed. */
export function coerceConstant(name: string, raw: string | ConstValue, decl: ConstDecl): ConstValue {
  let v: ConstValue;
  const bad = () => new KripkeError('config', `constant ${name}=${String(raw)} is not allowed: expected ${describeAllowed(decl)}`);
  if (typeof decl.default === 'number') {
    const n = typeof raw === 'number' ? raw : /^-?\d+$/.test(String(raw).trim()) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(n)) throw bad();
    if ((decl.min !== undefined && n < decl.min) || (decl.max !== undefined && n > decl.max)) throw bad();
    v = n;
  } else if (typeof decl.default === 'boolean') {
    if (raw === true || raw === 'true' || raw === 'TRUE') v = true;
    else if (raw === false || raw === 'false' || raw === 'FALSE') v = false;
    else throw bad();
  } else {
    v = String(raw);
  }
  if (decl.values && !decl.values.includes(v)) throw bad();
  return v;
}

/**
 * The full constant assignment: declared defaults overridden by `overrides`.
 * Unknown names are refused with the list of known ones.
 */
export function resolveConstants(
  decls: Readonly<Record<string, ConstDecl>>,
  overrides: Iterable<readonly [string, string | ConstValue]> = [],
): Record<string, ConstValue> {
  const out: Record<string, ConstValue> = {};
  for (const [name, decl] of Object.entries(decls)) out[name] = decl.default;
  for (const [name, raw] of overrides) {
    const decl = decls[name];
    if (!decl) {
      const known = Object.keys(decls);
      throw new KripkeError('config', `unknown constant '${name}' (the spec declares ${known.length ? known.join(', ') : 'no constants'})`);
    }
    out[name] = coerceConstant(name, raw, decl);
  }
  return out;
}
