/**
 * Which parts of a state a trace shows. A spec marks bookkeeping paths (`Model.bookkeeping`:
 * `'ops.*.phase'`, `'sw'`), hidden unless `--show-all`; a user hides more (`--hide tlb`) or shows
 * only some (`--show tlb,frame`: nothing else, bookkeeping included if named). A path is dotted
 * keys with `*` for any key; it covers everything below it (`ops` is every field of every op).
 *
 * `prune` returns the visible part of a state, of the same shape (a Record keeps its other
 * fields), so the text, lane and viewer renderers diff pruned states and never see a hidden value.
 */
import { isList, isMap, isOrderedMap, isRecord, List, Map as IMap, OrderedMap, Record } from 'immutable';
import type { SymmetryPath } from '../core/spec.js';
import { KripkeError } from '../core/errors.js';
import { recordKeys } from '../core/immutable-internals.js';

/** What the user asked to see. */
export interface FieldChoice {
  /** show bookkeeping too */
  readonly showAll?: boolean;
  /** hide these paths as well */
  readonly hide?: readonly string[];
  /** show only these paths (then bookkeeping only where named) */
  readonly show?: readonly string[];
}

type Segs = readonly string[];

function segs(p: SymmetryPath): Segs {
  return typeof p === 'string' ? (p === '' ? [] : p.split('.')) : p.map(String);
}

/** Whether `pattern` covers `path` (equal to it, or a prefix of it). */
function covers(pattern: Segs, path: Segs): boolean {
  if (pattern.length > path.length) return false;
  for (let i = 0; i < pattern.length; i++) if (pattern[i] !== '*' && pattern[i] !== path[i]) return false;
  return true;
}

/** Whether `pattern` reaches below `path` (path is a proper prefix of it). */
function below(pattern: Segs, path: Segs): boolean {
  if (pattern.length <= path.length) return false;
  for (let i = 0; i < path.length; i++) if (pattern[i] !== '*' && pattern[i] !== path[i]) return false;
  return true;
}

/** The visibility of state paths: `hidden(path)` and whether a subtree may hold hidden parts. */
export interface FieldFilter {
  readonly hidden: (path: Segs) => boolean;
  /** whether anything below `path` may be hidden (pruning descends only there) */
  readonly partly: (path: Segs) => boolean;
  readonly none: boolean;
}

/** The filter of a spec's bookkeeping and the user's choice. */
export function fieldFilter(bookkeeping: readonly SymmetryPath[] | undefined, choice: FieldChoice = {}): FieldFilter {
  const show = (choice.show ?? []).map(segs);
  const hide = [...(choice.hide ?? []).map(segs), ...(choice.showAll || show.length > 0 ? [] : (bookkeeping ?? []).map(segs))];
  if (show.length === 0 && hide.length === 0) return { hidden: () => false, partly: () => false, none: true };
  return {
    none: false,
    // with --show, a path is visible if a shown path covers it, or it is on the way to one
    hidden: (p) => hide.some((h) => covers(h, p)) || (show.length > 0 && !show.some((s) => covers(s, p) || below(s, p))),
    partly: (p) => hide.some((h) => below(h, p)) || (show.length > 0 && !show.some((s) => covers(s, p))),
  };
}

/** Checks that every path names a field of the (Record) state; KripkeError('config') naming the flag otherwise. */
export function checkFieldPaths(flag: string, paths: readonly string[], state: unknown): void {
  if (paths.length === 0) return;
  if (!isRecord(state) && !isMap(state)) throw new KripkeError('config', `${flag} needs a state with named fields`);
  const fields = isRecord(state) ? recordKeys(state) : [...(state as IMap<unknown, unknown>).keys()].map(String);
  for (const p of paths) {
    const first = segs(p)[0];
    if (first !== '*' && !fields.includes(first)) throw new KripkeError('config', `${flag} ${p}: '${first}' is not a field of the state (its fields: ${fields.join(', ')})`);
  }
}

const factories = new Map<string, Record.Factory<any>>();

/** The visible part of `v` at `path`: hidden entries and fields left out, the same kinds of collection. */
export function prune(v: unknown, f: FieldFilter, path: Segs = []): unknown {
  if (f.none || !f.partly(path)) return v;
  if (isRecord(v)) {
    const r = v as unknown as { get(k: string): unknown };
    const kept = recordKeys(v).filter((k) => !f.hidden([...path, k]));
    const sig = kept.join('\u0000');
    let F = factories.get(sig);
    if (!F) factories.set(sig, (F = Record(Object.fromEntries(kept.map((k) => [k, undefined])))));
    return F(Object.fromEntries(kept.map((k) => [k, prune(r.get(k), f, [...path, k])])));
  }
  if (isMap(v)) {
    const out: [unknown, unknown][] = [];
    for (const [k, x] of v as IMap<unknown, unknown>) {
      const p = [...path, String(k)];
      if (!f.hidden(p)) out.push([k, prune(x, f, p)]);
    }
    return isOrderedMap(v) ? OrderedMap(out) : IMap(out);
  }
  if (isList(v)) return List((v as List<unknown>).map((x, i) => prune(x, f, [...path, String(i)])));
  return v;
}
