/**
 * ITF trace files (Apalache ADR-015, `*.itf.json`): `{"#meta", "vars", "states"}`, written so that
 * every ITF reader loads them as they are meant: itf-rs, itf-py, Quint, Apalache (given the
 * `varTypes`) and the VS Code ITF viewer (docs/trace-validation.md says what each accepts).
 *
 * Values: integers are `{"#bigint": "n"}`, exact for every number that is an integer and every
 * bigint (never `1e+21`); sets `{"#set": [...]}`, maps `{"#map": [[k, v], ...]}`, lists are arrays,
 * records are objects, except a record that another reader would misread (a field starting with `#`
 * or `__`, a field that is not an identifier, exactly `tag` and `value`: itf-values.ts), which is
 * written as a `#map` from field names to values. A number that is not an integer (1.5, NaN,
 * Infinity) and `null`/`undefined` have no exact ITF form: they are `{"#unserializable": "1.5"}`, the
 * JavaScript text, which kripke compares exactly and other readers keep as text (Apalache refuses
 * it). Set elements and map entries are sorted canonically so files are byte-stable.
 *
 * Metadata: itf-rs reads every `#meta` key beyond its own (`format`, `format-description`, `source`,
 * `description`, `varTypes`, `timestamp`, and `index` in a state) as a string, so kripke's
 * structured metadata is JSON text: `constants` and `violation` in the trace's `#meta`, `params` in
 * a state's; `actionIndex` is a decimal string. `status` is `"violation"` for a counterexample, as
 * Quint writes it. Reading (both this form and the object form of older kripke files) is in
 * itf-read.ts (`parseItf`, re-exported here).
 */
import { isList, isMap, isRecord, isSet, isStack } from 'immutable';
import { KripkeError } from '../core/errors.js';
import type { CompiledModel } from '../core/model.js';
import type { ConstValue } from '../core/spec.js';
import { formatPath, type Trace, type TraceClaim } from './trace.js';
import { viewOf } from './hooks.js';
import { inferVarTypes } from './itf-types.js';
import { byCanon, canon, recordToItf, showItf, type ItfValue } from './itf-values.js';
import { recordKeys } from '../core/immutable-internals.js';

export { parseItf, type ItfFile } from './itf-read.js';
export { itfDiff, showItf, type ItfValue } from './itf-values.js';

/** A state's `#meta` as kripke writes it: strings beyond `index` (itf-rs's rule). */
export interface ItfStateMeta {
  index: number;
  action: string;
  /** JSON text of the parameters' ITF values (`{"p":{"#bigint":"1"}}`); absent when none. */
  params?: string;
  /** The action instance's index (the initial state's index for Init), in decimal. */
  actionIndex: string;
  actor?: string;
  doc?: string;
}

/** A state as kripke writes it: its `#meta`, then one ITF value per variable. */
export interface ItfState {
  '#meta': ItfStateMeta;
  [variable: string]: ItfValue | ItfStateMeta;
}

/** A trace file as kripke writes it (`stringifyItf` serialises it). */
export interface ItfTrace {
  '#meta': {
    format: 'ITF';
    'format-description': string;
    source: string;
    description: string;
    /** ADR-002 types of the variables whose type the trace's values determine. */
    varTypes: Record<string, string>;
    /** Quint's word for a counterexample; absent for a witness or a trace that claims nothing. */
    status?: 'violation';
    spec: string;
    /** JSON text of the constants' ITF values. */
    constants: string;
    path: string;
    /** JSON text of `{property, kind, reason?}`. */
    violation?: string;
    /** JSON text of the weakening the model was built with (`kripke mutate`): `{drop}` or `{negate}`. */
    mutation?: string;
    'generated-by': 'kripke';
  };
  vars: string[];
  states: ItfState[];
}

/** Where the format is described (`#meta.format-description`). */
export const ITF_DESCRIPTION = 'https://apalache-mc.org/docs/adr/015adr-trace.html';

/** A state kripke cannot write as ITF (a variable name other readers would not read back). */
export class ItfEncodeError extends Error {}

function fieldsOf(v: unknown): [string, unknown][] {
  const r = v as unknown as { get(k: string): unknown };
  return recordKeys(r).map((k) => [k, r.get(k)]);
}

/** Encodes a state value as ITF (see the module comment for the forms). */
export function toItf(v: unknown): ItfValue {
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return v;
    case 'number':
      return Number.isInteger(v) ? { '#bigint': BigInt(v).toString() } : { '#unserializable': String(v) };
    case 'bigint':
      return { '#bigint': v.toString() };
    case 'undefined':
      return { '#unserializable': 'undefined' };
  }
  if (v === null) return { '#unserializable': 'null' };
  if (isRecord(v)) return recordToItf(fieldsOf(v).map(([k, x]) => [k, toItf(x)]));
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

function valuesToItf(c: Readonly<Record<string, unknown>>): Record<string, ItfValue> {
  const out: Record<string, ItfValue> = {};
  for (const [k, v] of Object.entries(c)) out[k] = toItf(v);
  return out;
}

/** The variables of a state: a Record's fields, otherwise the whole state as `state`. */
export function stateVars(s: unknown): Record<string, unknown> {
  return isRecord(s) ? Object.fromEntries(fieldsOf(s)) : { state: s };
}

/** Refuses a variable name that ITF readers would not read back as a variable. */
function checkVarName(name: string): void {
  const why = name.startsWith('#') ? 'starts with # (ITF reserves # keys: #meta)' : name.startsWith('__') ? 'starts with __ (Quint drops such keys)' : undefined;
  if (why) throw new ItfEncodeError(`the state variable ${JSON.stringify(name)} cannot be written as ITF: its name ${why}; rename the Record field`);
}

function describe<S>(m: CompiledModel<S>, claim: TraceClaim | undefined): string {
  const consts = Object.entries(m.constants).map(([k, v]) => `${k}=${String(v)}`).join(', ');
  const spec = `spec ${m.spec.name}${consts ? ` (${consts})` : ''}`;
  if (claim === undefined) return `Created by kripke: a trace of ${spec}`;
  const why = claim.reason ? `: ${claim.reason}` : '';
  if (claim.kind === 'sometimes') return `Created by kripke: a witness of the sometimes property ${claim.property} of ${spec}`;
  if (claim.kind === 'deadlock') return `Created by kripke: a deadlock of ${spec}${why}`;
  return `Created by kripke: ${spec} violates the ${claim.kind === 'action' ? 'action property' : 'invariant'} ${claim.property}${why}`;
}

/** Builds the ITF document of a trace; throws ItfEncodeError for a variable it cannot write. */
export function traceToItf<S>(m: CompiledModel<S>, trace: Trace<S>, source: string): ItfTrace {
  const view = viewOf(m, trace.notes ?? []);
  const vars = Object.keys(stateVars(view(trace.steps[0].state)));
  vars.forEach(checkVarName);
  const values: Record<string, ItfValue>[] = [];
  const states: ItfState[] = trace.steps.map((st, i) => {
    const a = st.action;
    const meta: ItfStateMeta = a
      ? {
          index: i,
          action: a.name,
          ...(Object.keys(a.params).length > 0 ? { params: JSON.stringify(valuesToItf(a.params)) } : {}),
          actionIndex: String(a.index),
          ...(a.actor ? { actor: a.actor } : {}),
          ...(a.doc ? { doc: a.doc } : {}),
        }
      : { index: i, action: 'Init', actionIndex: String(trace.path[0]) };
    const vs = valuesToItf(stateVars(view(st.state)));
    Object.keys(vs).forEach(checkVarName);
    values.push(vs);
    return { '#meta': meta, ...vs };
  });
  const claim = trace.claim;
  return {
    '#meta': {
      format: 'ITF',
      'format-description': ITF_DESCRIPTION,
      source,
      description: describe(m, claim),
      varTypes: inferVarTypes(vars, values),
      ...(claim && claim.kind !== 'sometimes' ? { status: 'violation' as const } : {}),
      spec: m.spec.name,
      constants: JSON.stringify(valuesToItf(m.constants)),
      path: formatPath(trace.path),
      ...(claim ? { violation: JSON.stringify({ property: claim.property, kind: claim.kind, ...(claim.reason ? { reason: claim.reason } : {}) }) } : {}),
      ...(m.mutation ? { mutation: JSON.stringify(m.mutation) } : {}),
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

/** Converts an ITF value back to a constant value (safe integers, strings, booleans only). */
export function itfToConst(v: ItfValue): ConstValue {
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v) && typeof v['#bigint'] === 'string') {
    const n = Number(v['#bigint']);
    if (Number.isSafeInteger(n)) return n;
  }
  throw new Error(`not a constant: ${JSON.stringify(v)}`);
}

/** What kripke reads of a state's `#meta` to find the action instance (itf-read.ts normalises it). */
export interface ActionMeta {
  readonly action: string;
  readonly params?: Readonly<Record<string, ItfValue>>;
}

/**
 * Finds the action instance a state's `#meta` names (parameters compared as ITF values); throws
 * KripkeError('trace') naming the step if the spec has none.
 */
export function instanceOfMeta<S>(m: CompiledModel<S>, meta: ActionMeta, step: number): number {
  const recorded = Object.entries(meta.params ?? {}).map(([k, v]) => [k, canon(v)] as const);
  const found = m.instances.find(
    (inst) =>
      inst.name === meta.action &&
      Object.keys(inst.params).length === recorded.length &&
      recorded.every(([k, v]) => Object.hasOwn(inst.params, k) && canon(toItf(inst.params[k])) === v),
  );
  if (!found) {
    const families = [...new Set(m.instances.map((i) => i.name))];
    const shown = Object.entries(meta.params ?? {}).map(([k, v]) => `${k}=${showItf(v)}`).join(', ');
    const what = families.includes(meta.action)
      ? `no instance ${meta.action}(${shown}) in the spec's parameter domains`
      : `the spec has no action ${meta.action}`;
    throw new KripkeError('trace', `step ${step}: ${what}`);
  }
  return found.index;
}

