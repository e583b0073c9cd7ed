/**
 * Traces for the terminal: the first state in full, then for each step
 * `State k: Action(param=value, ...)` with its actor and what it stands for, and only the values
 * that changed, down to nested keys (`tlb[2][1]: 0 -> 1`).
 */
import { is, isList, isMap, isRecord, isSet, isStack } from 'immutable';
import { formatAction } from '../core/model.js';
import { showValue } from '../core/values.js';
import type { Step, Trace } from './trace.js';
import { recordKeys } from '../core/immutable-internals.js';
import type { AnnotatedTrace } from './annotate.js';
import { formatAnchor } from './annotate.js';

function keyLabel(k: unknown): string {
  return typeof k === 'string' ? k : showValue(k);
}

function childPath(path: string, k: unknown, record: boolean): string {
  if (path === '') return keyLabel(k);
  return record ? `${path}.${keyLabel(k)}` : `${path}[${keyLabel(k)}]`;
}

function entries(v: unknown): [unknown, unknown][] {
  if (isRecord(v)) {
    return recordKeys(v).map((k) => [k, (v as unknown as { get(k: string): unknown }).get(k)]);
  }
  return [...(v as unknown as { entries(): Iterable<[unknown, unknown]> }).entries()];
}

/** The changes from `a` to `b` as `path: old -> new` lines. */
export function diffValues(a: unknown, b: unknown, path = ''): string[] {
  if (a === b || is(a as never, b as never)) return [];
  const bothRecords = isRecord(a) && isRecord(b);
  const bothMaps = isMap(a) && isMap(b);
  const bothLists = (isList(a) && isList(b)) || (isStack(a) && isStack(b));
  if (bothRecords || bothMaps || bothLists) {
    const out: string[] = [];
    const bm = new Map<unknown, unknown>();
    const bEntries = entries(b);
    const bKeys = new Map<string, unknown>();
    for (const [k, v] of bEntries) {
      bm.set(k, v);
      bKeys.set(showValue(k), k);
    }
    const seen = new Set<string>();
    for (const [k, v] of entries(a)) {
      const key = showValue(k);
      seen.add(key);
      const p = childPath(path, k, bothRecords);
      if (!bKeys.has(key)) out.push(`${p}: ${showValue(v)} -> (removed)`);
      else out.push(...diffValues(v, bm.get(bKeys.get(key)), p));
    }
    for (const [k, v] of bEntries) if (!seen.has(showValue(k))) out.push(`${childPath(path, k, bothRecords)}: (added) ${showValue(v)}`);
    return out;
  }
  if (isSet(a) && isSet(b)) {
    const added = [...(b as unknown as Iterable<unknown>)].filter((x) => !(a as unknown as { has(x: unknown): boolean }).has(x));
    const removed = [...(a as unknown as Iterable<unknown>)].filter((x) => !(b as unknown as { has(x: unknown): boolean }).has(x));
    const parts = [...(added.length ? [`added ${added.map(showValue).join(', ')}`] : []), ...(removed.length ? [`removed ${removed.map(showValue).join(', ')}`] : [])];
    return [`${path || '(state)'}: ${showValue(a)} -> ${showValue(b)}  (${parts.join('; ')})`];
  }
  return [`${path || '(state)'}: ${showValue(a)} -> ${showValue(b)}`];
}

/** The full state, one variable per line. */
export function showState(s: unknown): string[] {
  if (isRecord(s) || isMap(s)) return entries(s).map(([k, v]) => `${keyLabel(k)} = ${showValue(v)}`);
  return [showValue(s)];
}

function stepTitle(k: number, st: Step): string {
  if (!st.action) return `State ${k}: Init`;
  const extra = [st.action.actor, st.action.doc].filter(Boolean).join(' · ');
  return `State ${k}: ${formatAction(st.action)}${extra ? `   [${extra}]` : ''}`;
}

/** Renders a trace: first state in full, then only changes. `view` maps a state for display. */
export function renderTrace(trace: Trace, view: (s: unknown) => unknown = (s) => s, indent = '  '): string {
  const lines: string[] = [];
  let prev: unknown;
  trace.steps.forEach((st, i) => {
    const v = view(st.state);
    lines.push(stepTitle(i + 1, st));
    const body = i === 0 ? showState(v) : diffValues(prev, v);
    if (body.length === 0) lines.push(`${indent}(no change)`);
    for (const l of body) lines.push(indent + l);
    prev = v;
  });
  return lines.join('\n');
}

/** How a step's title names its actor and doc. */
function titleOf(st: AnnotatedTrace['steps'][number]): string {
  if (!st.action) return `State ${st.n}: Init`;
  const extra = [st.actor, st.doc].filter(Boolean).join(' · ');
  return `State ${st.n}: ${st.action}${extra ? `   [${extra}]` : ''}`;
}

/** A step's anchors in one line per version: `at mm/mmap.c:unmap_region, mm/memory.c:zap_pte_range (v4.17)`. */
function anchorLines(anchors: AnnotatedTrace['steps'][number]['anchors']): string[] {
  const byVersion = new Map<string, string[]>();
  for (const a of anchors) {
    const v = a.version ?? '';
    if (!byVersion.has(v)) byVersion.set(v, []);
    byVersion.get(v)!.push(formatAnchor({ ...a, version: undefined }));
  }
  return [...byVersion].map(([v, xs]) => `at ${xs.join(', ')}${v ? ` (${v})` : ''}`);
}

/** What a step says besides its changes: anchors, notes, messages (the lines after its title). */
export function stepExtras(at: AnnotatedTrace, st: AnnotatedTrace['steps'][number]): { anchors: string[]; notes: string[]; messages: string[]; hidden: string[] } {
  const messages: string[] = [];
  for (const a of at.arrows) {
    if (a.from === st.n) messages.push(`-> ${a.toLane}: ${a.label}${a.to !== undefined ? ` (handled at state ${a.to})` : ''}`);
    if (a.to === st.n) messages.push(`<- ${a.fromLane} (state ${a.from}): ${a.label}`);
  }
  return {
    anchors: anchorLines(st.anchors),
    notes: st.notes.map((n) => `note: ${n}`),
    messages,
    hidden: st.hidden > 0 ? [`(+${st.hidden} hidden${at.hiding === 'bookkeeping' ? ': --show-all' : ' by --hide/--show'})`] : [],
  };
}

/** Renders an annotated trace one step under the other: the title, anchors, changes, notes, messages. */
export function renderAnnotated(at: AnnotatedTrace, indent = '  '): string {
  const lines: string[] = [];
  for (const st of at.steps) {
    lines.push(titleOf(st));
    const x = stepExtras(at, st);
    const body = [...x.anchors, ...(st.changes.length || st.hidden || st.n === 1 ? st.changes : ['(no change)']), ...x.hidden, ...x.messages, ...x.notes];
    for (const l of body) lines.push(indent + l);
  }
  return lines.join('\n');
}
