/**
 * A spec's symmetry declaration (Model.symmetry), normalised and checked against the initial
 * state: each symmetric set's values, and every place (a path) where the state holds one of them,
 * as a Map key (`keys`) or as a value (`refs`, optionally through the spec's own `map`).
 *
 * Values are located by path, not by type: in most specs 1 is a CPU in one field and a page in
 * the next, so only the spec can say which is which. A value of a declared set held anywhere
 * else is a broken declaration; soundness.ts catches those that matter.
 */
import { isList, isMap, isRecord, isSet } from 'immutable';
import { KripkeError } from '../errors.js';
import type { SymmetricSet, SymmetryPath } from '../spec.js';

/** A path segment: a field name or Map key (compared as text), a List index, or `*`. */
export type Seg = string | number;

/** Replaces each value of a set by its image (identity on every other value). */
export type Rename = (v: unknown) => unknown;

export interface SymSet {
  readonly name: string;
  readonly values: readonly (number | string)[];
  /** value -> its index in `values` */
  readonly index: ReadonlyMap<unknown, number>;
}

/** One place where the values of set `set` appear. */
export interface Occurrence {
  readonly set: number;
  readonly kind: 'keys' | 'refs';
  readonly path: readonly Seg[];
  /** The spec's renaming of a value that names the set's values its own way. */
  readonly map?: (v: unknown, rename: Rename) => unknown;
  /** The path as the spec wrote it, for messages. */
  readonly text: string;
}

export interface Symmetry {
  readonly sets: readonly SymSet[];
  readonly occurrences: readonly Occurrence[];
}

function parsePath(p: SymmetryPath): Seg[] {
  return typeof p === 'string' ? (p === '' ? [] : p.split('.')) : [...p];
}

/** The symmetry a spec declares, checked against its initial state; null if it declares none. */
export function normaliseSymmetry(spec: string, decl: { readonly [set: string]: SymmetricSet } | undefined, init: unknown): Symmetry | null {
  if (decl === undefined) return null;
  const bad = (m: string): never => {
    throw new KripkeError('load', `spec '${spec}': symmetry ${m}`);
  };
  if (decl === null || typeof decl !== 'object') bad('must be an object: { SET: { values, keys, refs } }');
  const sets: SymSet[] = [];
  const occurrences: Occurrence[] = [];
  for (const [name, d] of Object.entries(decl)) {
    if (!d || !Array.isArray(d.values) || d.values.length === 0) bad(`${name}: 'values' must be a non-empty array`);
    const index = new Map<unknown, number>();
    d.values.forEach((v, i) => {
      if (typeof v !== 'number' && typeof v !== 'string') bad(`${name}: its values must be numbers or strings, not ${String(v)}`);
      if (index.has(v)) bad(`${name}: value ${String(v)} is listed twice`);
      index.set(v, i);
    });
    const set = sets.length;
    sets.push({ name, values: [...d.values], index });
    for (const k of d.keys ?? []) occurrences.push({ set, kind: 'keys', path: parsePath(k), text: pathText(k) });
    for (const r of d.refs ?? []) {
      if (typeof r === 'object' && r !== null && !Array.isArray(r) && 'path' in r) {
        if (typeof r.map !== 'function') bad(`${name}: ref '${pathText(r.path)}': 'map' must be a function`);
        occurrences.push({ set, kind: 'refs', path: parsePath(r.path), map: r.map as Occurrence['map'], text: pathText(r.path) });
      } else occurrences.push({ set, kind: 'refs', path: parsePath(r as SymmetryPath), text: pathText(r as SymmetryPath) });
    }
    if ((d.keys ?? []).length + (d.refs ?? []).length === 0) bad(`${name}: declares neither keys nor refs (where does the state hold its values?)`);
  }
  if (sets.length === 0) return null;
  if (sets.length > 30) bad(`declares ${sets.length} sets: at most 30`);
  const seen = new Map<string, string>();
  for (const o of occurrences) {
    // Two sets may share a value that names both, each renaming its own part with `map`, and
    // the keys of one Map if no value is in both sets.
    const key = `${o.kind}:${o.path.join('.')}`;
    const other = seen.get(key);
    if (o.map === undefined && other !== undefined && other !== sets[o.set].name) {
      const mine = sets[o.set];
      const theirs = sets.find((x) => x.name === other)!;
      const common = mine.values.find((v) => theirs.index.has(v));
      if (o.kind === 'refs') bad(`${mine.name} and ${other} both claim refs '${o.text}' (a value that names both needs a map function in each)`);
      if (common !== undefined) bad(`${mine.name} and ${other} both claim the keys of '${o.text}', and ${JSON.stringify(common)} is in both`);
    }
    if (o.map === undefined) seen.set(key, sets[o.set].name);
    checkPath(init, o, sets[o.set], bad);
  }
  return { sets, occurrences };
}

function pathText(p: SymmetryPath): string {
  return typeof p === 'string' ? p : p.join('.');
}

/** Every value a path reaches in `v` (with `*` expanded), with the path's end: a check of the declaration. */
function checkPath(v: unknown, o: Occurrence, set: SymSet, bad: (m: string) => never): void {
  const at = (x: unknown, k: number): void => {
    if (k === o.path.length) {
      if (o.kind === 'keys') {
        if (!isMap(x)) bad(`${set.name}: keys '${o.text}' is not a Map in the initial state`);
      } else if (o.map === undefined && x !== null && typeof x === 'object') {
        bad(`${set.name}: ref '${o.text}' holds a collection in the initial state; name its elements ('${o.text}.*') or give a map function`);
      }
      return;
    }
    const seg = o.path[k];
    if (isRecord(x)) {
      if (seg === '*') for (const f of Object.keys((x as unknown as { toObject(): object }).toObject())) at((x as unknown as { get(f: string): unknown }).get(f), k + 1);
      else if ((x as unknown as { has(f: unknown): boolean }).has(String(seg))) at((x as unknown as { get(f: string): unknown }).get(String(seg)), k + 1);
      else bad(`${set.name}: path '${o.text}': the initial state has no field '${seg}' there`);
    } else if (isMap(x) || isList(x) || isSet(x)) {
      if (seg === '*') for (const e of (x as unknown as { valueSeq(): Iterable<unknown> }).valueSeq()) at(e, k + 1);
      else if (!isSet(x)) {
        const hit = matchKey(x, seg);
        if (hit !== NONE) at((x as unknown as { get(k: unknown): unknown }).get(hit), k + 1);
      }
    }
    // (a path into a primitive, or into an absent key, reaches nothing in this state)
  };
  at(v, 0);
}

const NONE = Symbol('none');

/** The key of Map or List `m` that path segment `seg` names, or NONE. */
export function matchKey(m: unknown, seg: Seg): unknown {
  if (isList(m)) {
    const i = Number(seg);
    return Number.isInteger(i) && i >= 0 && i < (m as unknown as { size: number }).size ? i : NONE;
  }
  const map = m as { has(k: unknown): boolean; keySeq(): Iterable<unknown> };
  if (map.has(seg)) return seg;
  for (const k of map.keySeq()) if (String(k) === String(seg)) return k;
  return NONE;
}
export { NONE as NO_KEY };
