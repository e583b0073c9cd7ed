/**
 * File names of a check's outputs: `<spec>[-<constant>...]-<property>.itf.json` and
 * `<spec>[-<constant>...].result.json`, where each constant set to other than its declared
 * default appears, in declaration order, as NAME+value for a number or boolean (`N3`,
 * `LAZYtrue`) and as the value alone for a string (`MODE=local` -> `local`,
 * `VARIANT=V2c-self` -> `V2c-self`). Runs with other constants never overwrite each other's
 * files. (Suite rows are named by their variant instead.)
 */
import type { ConstValue, Spec } from '../core/spec.js';
import { safeName } from './files.js';

/** One part of a name, file-safe: each character outside [A-Za-z0-9._-] becomes `_` (so `V3'` and `V3''` differ). */
function part(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The stem of the output files of a check of `spec` with these (resolved) constants. */
export function runStem(spec: Pick<Spec, 'name' | 'constants'>, constants: Readonly<Record<string, ConstValue>>): string {
  const parts = [safeName(spec.name)];
  for (const [name, decl] of Object.entries(spec.constants ?? {})) {
    const v = constants[name];
    if (v === undefined || v === decl.default) continue;
    parts.push(typeof v === 'string' ? part(v === '' ? `${name}_` : v) : part(`${name}${String(v)}`));
  }
  return parts.join('-');
}
