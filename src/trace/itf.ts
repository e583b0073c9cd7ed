/**
 * ITF trace files (Apalache ADR-015, `*.itf.json`): `{"#meta", "vars", "states"}`.
 * Integers are `{"#bigint": "n"}`, sets `{"#set": [...]}`, maps `{"#map": [[k, v], ...]}`,
 * records are objects, lists are arrays. Set elements and map entries are sorted canonically so
 * files are byte-stable. Each state's `#meta` names the action and its parameters; the trace's
 * `#meta` names the violated property. Reading and validating a file is in itf-read.ts
 * (`parseItf`, re-exported here).
 */
import { isList, isMap, isRecord, isSet, isStack } from 'immutable';
import { KripkeError } from '../core/errors.js';
import { formatAction, type CompiledModel } from '../core/model.js';
import type { ConstValue } from '../core/spec.js';
import { formatPath, type Trace, type TraceClaim } from './trace.js';
import { viewOf } from './hooks.js';

export { parseItf, type ItfFile } from './itf-read.js';

export type ItfValue = boolean | string | ItfValue[] | { [k: string]: ItfValue };

export interface ItfState {
  '#meta': { index: number; action: string; params?: Record<string, ItfValue>; actionIndex?: number; actor?: string; doc?: string };
  [variable: string]: ItfValue | ItfState['#meta'];
}

export interface ItfTrace {
  '#meta': {
    format: 'ITF';
    'format-description': string;
    source: string;
    spec: string;
    constants: Record<string, ItfValue>;
    path: string;
    violation?: { property: string; kind: TraceClaim['kind']; reason?: string };
    'generated-by': string;
  };
  vars: string[];
  states: ItfState[];
}

export const ITF_DESCRIPTION = 'https://apalache-mc.org/docs/adr/015adr-trace.html';

function canon(v: ItfValue): string {
  return JSON.stringify(v);
}

function byCanon(a: ItfValue, b: ItfValue): number {
  const x = canon(a);
  const y = canon(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Encodes a state value as ITF. */
export function toItf(v: unknown): ItfValue {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'string':
      return v;
    case 'number':
      return Number.isInteger(v) ? { '#bigint': String(v) } : { '#unserializable': String(v) };
    case 'bigint':
      return { '#bigint': v.toString() };
    case 'undefined':
      return { '#unserializable': 'undefined' };
  }
  if (v === null) return { '#unserializable': 'null' };
  if (isRecord(v)) {
    const out: Record<string, ItfValue> = {};
    for (const k of (v as unknown as { _keys: string[] })._keys) out[k] = toItf((v as unknown as { get(k: string): unknown }).get(k));
    return out;
  }
  if (isMap(v)) {
    const entries: ItfValue[][] = [];
    for (const [k, x] of (v as unknown as { entries(): Iterable<[unknown, unknown]> }).entries()) entries.push([toItf(k), toItf(x)]);
    entries.sort((a, b) => byCanon(a[0], b[0]));
    return { '#map': entries };
  }
  if (isSet(v)) return { '#set': [...(v as unknown as Iterable<unknown>)].map(toItf).sort(byCanon) };
  if (isList(v) || isStack(v)) return [...(v as unknown as Iterable<unknown>)].map(toItf);
  return { '#unserializable': String(v) };
}

function constantsToItf(c: Readonly<Record<string, ConstValue>>): Record<string, ItfValue> {
  const out: Record<string, ItfValue> = {};
  for (const [k, v] of Object.entries(c)) out[k] = toItf(v);
  return out;
}

/** The variables of a state: a Record's fields, otherwise the whole state as `state`. */
export function stateVars(s: unknown): Record<string, unknown> {
  if (isRecord(s)) {
    const out: Record<string, unknown> = {};
    for (const k of (s as unknown as { _keys: string[] })._keys) out[k] = (s as unknown as { get(k: string): unknown }).get(k);
    return out;
  }
  return { state: s };
}

/** Builds the ITF document of a trace. */
export function traceToItf<S>(m: CompiledModel<S>, trace: Trace<S>, source: string): ItfTrace {
  const view = viewOf(m, trace.notes ?? []);
  const states: ItfState[] = trace.steps.map((st, i) => {
    const meta: ItfState['#meta'] = st.action
      ? {
          index: i,
          action: st.action.name,
          params: constantsToItf(st.action.params as Record<string, ConstValue>),
          actionIndex: st.action.index,
          ...(st.action.actor ? { actor: st.action.actor } : {}),
          ...(st.action.doc ? { doc: st.action.doc } : {}),
        }
      : { index: i, action: 'Init', actionIndex: trace.path[0] };
    const vars = stateVars(view(st.state));
    const out: ItfState = { '#meta': meta };
    for (const [k, v] of Object.entries(vars)) out[k] = toItf(v);
    return out;
  });
  const vars = Object.keys(stateVars(view(trace.steps[0].state)));
  return {
    '#meta': {
      format: 'ITF',
      'format-description': ITF_DESCRIPTION,
      source,
      spec: m.spec.name,
      constants: constantsToItf(m.constants),
      path: formatPath(trace.path),
      ...(trace.claim ? { violation: { property: trace.claim.property, kind: trace.claim.kind, ...(trace.claim.reason ? { reason: trace.claim.reason } : {}) } } : {}),
      'generated-by': 'kripke',
    },
    vars,
    states,
  };
}

/** Serialises an ITF document: stable, one state per block. */
export function stringifyItf(doc: ItfTrace): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

/** Converts an ITF value back to a constant value (integers, strings, booleans only). */
export function itfToConst(v: ItfValue): ConstValue {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v) && typeof v['#bigint'] === 'string') return Number(v['#bigint']);
  throw new Error(`not a constant: ${JSON.stringify(v)}`);
}

/** Finds the action instance a state's `#meta` names; throws KripkeError('trace') if none. */
export function instanceOfMeta<S>(m: CompiledModel<S>, meta: ItfState['#meta'], step: number): number {
  const params = meta.params ?? {};
  let decoded: Record<string, ConstValue>;
  try {
    decoded = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, itfToConst(v)]));
  } catch (e) {
    throw new KripkeError('trace', `step ${step}: bad parameters of ${meta.action}: ${(e as Error).message}`);
  }
  const found = m.instances.find(
    (inst) =>
      inst.name === meta.action &&
      Object.keys(inst.params).length === Object.keys(decoded).length &&
      Object.entries(decoded).every(([k, v]) => inst.params[k] === v),
  );
  if (!found) {
    const families = [...new Set(m.instances.map((i) => i.name))];
    const what = families.includes(meta.action)
      ? `no instance ${formatAction({ name: meta.action, params: decoded })} in the spec's parameter domains`
      : `the spec has no action ${meta.action}`;
    throw new KripkeError('trace', `step ${step}: ${what}`);
  }
  return found.index;
}

/** Paths at which two ITF values differ (`tlb[2][1]: #bigint 0 vs #bigint 1`), at most `max`. */
export function itfDiff(a: ItfValue, b: ItfValue, path = '', max = 5, out: string[] = []): string[] {
  if (out.length >= max) return out;
  if (canon(a) === canon(b)) return out;
  const isObj = (x: ItfValue): x is Record<string, ItfValue> => !!x && typeof x === 'object' && !Array.isArray(x);
  if (isObj(a) && isObj(b) && Array.isArray(a['#map']) && Array.isArray(b['#map'])) {
    const am = new Map((a['#map'] as ItfValue[][]).map(([k, v]) => [canon(k), [k, v] as const]));
    const bm = new Map((b['#map'] as ItfValue[][]).map(([k, v]) => [canon(k), [k, v] as const]));
    for (const [ck, [k, v]] of am) {
      const label = `${path}[${showItf(k)}]`;
      const other = bm.get(ck);
      if (!other) out.push(`${label}: only in the recorded state`);
      else itfDiff(v, other[1], label, max, out);
    }
    for (const [ck, [k]] of bm) if (!am.has(ck)) out.push(`${path}[${showItf(k)}]: only in the replayed state`);
    return out.slice(0, max);
  }
  if (isObj(a) && isObj(b) && !Object.keys(a).some((k) => k.startsWith('#')) && !Object.keys(b).some((k) => k.startsWith('#'))) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(k in a) || !(k in b)) out.push(`${path}.${k}: missing on one side`);
      else itfDiff(a[k], b[k], path ? `${path}.${k}` : k, max, out);
    }
    return out.slice(0, max);
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => itfDiff(x, b[i], `${path}[${i}]`, max, out));
    return out.slice(0, max);
  }
  out.push(`${path || '(state)'}: recorded ${showItf(a)}, replayed ${showItf(b)}`);
  return out;
}

/** Shows an ITF value compactly (`1`, `{1, 2}`, `"x"`). */
export function showItf(v: ItfValue): string {
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `<<${v.map(showItf).join(', ')}>>`;
  if (typeof v['#bigint'] === 'string') return v['#bigint'] as string;
  if (Array.isArray(v['#set'])) return `{${(v['#set'] as ItfValue[]).map(showItf).join(', ')}}`;
  if (Array.isArray(v['#map'])) return `[${(v['#map'] as ItfValue[][]).map(([k, x]) => `${showItf(k)}: ${showItf(x)}`).join(', ')}]`;
  if (typeof v['#unserializable'] === 'string') return v['#unserializable'] as string;
  return `{${Object.entries(v).map(([k, x]) => `${k}: ${showItf(x)}`).join(', ')}}`;
}
