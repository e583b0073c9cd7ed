/**
 * Reading ITF trace files (Apalache ADR-015). The text is parsed, then everything kripke relies on
 * is validated, down to every variable value, before anything replays it: a corrupt file is one
 * KripkeError('trace-file') naming the JSON path of the bad value
 * (`x.itf.json: not an ITF trace: $.states[3].pte["#map"][0][1] is null`).
 *
 * The walk is iterative and refuses values nested more than MAX_NESTING levels deep, so no file can
 * overflow the stack here or in the code that later compares and prints its values. Integers
 * written as JSON numbers are normalised to `{"#bigint": "n"}`, the form kripke writes, and
 * `#bigint` digits to their canonical form (`-0` is `0`), so that they compare equal to the states
 * a replay rebuilds.
 *
 * Files of other tools are read too (ADR-015 as Apalache and Quint write it): `#meta` is optional in
 * the trace and in every state, a state need not name its action, `params` (Apalache's constants,
 * set in the first state) and `loop` are accepted. kripke's own metadata is read in both forms it
 * has had: JSON text (`"constants": "{\"N\": ...}"`, what itf-rs accepts) and plain objects (older
 * files); either way the document returned holds objects, and `actionIndex` a number.
 */
import { KripkeError, messageOf } from '../core/errors.js';
import type { ItfValue } from './itf-values.js';
import { SPECIAL_KEYS as SPECIAL } from './itf-values.js';

/** How deeply (JSON levels) an ITF value may nest before a file is refused. */
export const MAX_NESTING = 1000;

/** A state's `#meta` as read (kripke's fields normalised; other tools' fields kept as they are). */
export interface ItfFileStateMeta {
  index?: number;
  /** The action that led to the state (kripke files); absent in other tools' traces. */
  action?: string;
  params?: Record<string, ItfValue>;
  actionIndex?: number;
  actor?: string;
  doc?: string;
  [other: string]: unknown;
}

/** One state as read: the variables (and, in the first state, Apalache's `params`). */
export type ItfFileState = { '#meta'?: ItfFileStateMeta } & { [variable: string]: ItfValue | ItfFileStateMeta | undefined };

/** An ITF file as read: everything but `vars` and `states` is optional, a claim's kind unchecked. */
export interface ItfFile {
  '#meta'?: {
    source?: string;
    spec?: string;
    path?: string;
    constants?: Record<string, ItfValue>;
    violation?: { property: string; kind?: string; reason?: string };
    /** The weakened spec the trace was found on (`kripke mutate`). */
    mutation?: { drop?: string; negate?: string };
    /** Quint's `"violation"` or `"ok"` (`"passed"`, `"failed"` for tests). */
    status?: string;
    [other: string]: unknown;
  };
  /** Apalache's constants: names whose values the first state sets. */
  params?: string[];
  vars: string[];
  states: ItfFileState[];
  /** The state a lasso loops back to. */
  loop?: number;
}

/** Where a value sits: a chain of keys up to the document root, rendered only on error. */
interface At {
  readonly up: At | null;
  readonly key: string | number;
}

/** A value still to validate; `holder[at.key]` is where it sits (numbers are replaced there). */
interface Item {
  readonly v: unknown;
  readonly at: At;
  readonly holder: object;
  readonly nest: number;
}

class Bad extends Error {}

const ROOT: At = { up: null, key: '$' };
const at = (up: At, key: string | number): At => ({ up, key });

/** Replaces control characters (newlines above all) by escapes, so a message stays one line. */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function segment(key: string | number): string {
  if (typeof key === 'number') return `[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return `.${key}`;
  return `[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`;
}

/** The JSON path of a location (`$.states[3].pte["#map"][0][1]`); very long ones are elided. */
function jsonPath(a: At): string {
  const keys: (string | number)[] = [];
  for (let x: At | null = a; x !== null && x.up !== null; x = x.up) keys.push(x.key);
  keys.reverse();
  if (keys.length <= 24) return `$${keys.map(segment).join('')}`;
  return `$${keys.slice(0, 16).map(segment).join('')}…(${keys.length - 20} more)…${keys.slice(-4).map(segment).join('')}`;
}

const bad = (a: At, what: string) => new Bad(`${jsonPath(a)} ${what}`);

/** Describes a JSON value in an error message (`null`, `the number 3`, `a list of 2`). */
function kindOf(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `a list of ${x.length}`;
  if (typeof x === 'number') return `the number ${x}`;
  if (typeof x === 'string') return `the string ${JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x)}`;
  if (typeof x === 'boolean') return String(x);
  return 'an object';
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const has = (o: object, k: string) => Object.hasOwn(o, k);

/**
 * Validates ITF values without recursion, in document order (`items` is consumed); normalises
 * integers; refuses repeated map keys.
 */
function walk(items: Item[]): void {
  const stack = items.reverse();
  const maps: { pairs: unknown[][]; at: At }[] = [];
  const push = (v: unknown, a: At, holder: Item['holder'], nest: number) => stack.push({ v, at: a, holder, nest });
  while (stack.length > 0) {
    const { v, at: here, holder, nest } = stack.pop()!;
    if (typeof v === 'boolean' || typeof v === 'string') continue;
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw bad(here, `is ${kindOf(v)}, not a safe integer (big integers are {"#bigint": "..."})`);
      (holder as Record<string | number, unknown>)[here.key] = { '#bigint': String(v) };
      continue;
    }
    if (v === null || typeof v !== 'object') throw bad(here, `is ${kindOf(v)}`);
    if (nest >= MAX_NESTING) throw bad(here, `is nested more than ${MAX_NESTING} levels deep`);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) push(v[i], at(here, i), v, nest + 1);
      continue;
    }
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    const special = keys.find((k) => k.startsWith('#'));
    if (special === undefined) {
      for (let i = keys.length - 1; i >= 0; i--) push(o[keys[i]], at(here, keys[i]), o, nest + 1);
      continue;
    }
    if (!SPECIAL.includes(special)) throw bad(here, `has the unknown key ${JSON.stringify(special)} (ITF knows ${SPECIAL.join(', ')})`);
    if (keys.length !== 1) throw bad(here, `mixes ${special} with other keys (${keys.filter((k) => k !== special).join(', ')})`);
    const inner = o[special];
    const ia = at(here, special);
    if (special === '#bigint') {
      if (typeof inner !== 'string' || !/^-?\d+$/.test(inner)) throw bad(ia, `is ${kindOf(inner)}, not a string of digits`);
      if (!/^(0|-?[1-9]\d*)$/.test(inner)) o[special] = BigInt(inner).toString();
    } else if (special === '#unserializable') {
      if (typeof inner !== 'string') throw bad(ia, `is ${kindOf(inner)}, not a string`);
    } else if (!Array.isArray(inner)) {
      throw bad(ia, `is ${kindOf(inner)}, not a list`);
    } else if (special === '#map') {
      inner.forEach((e, i) => {
        if (!Array.isArray(e) || e.length !== 2) throw bad(at(ia, i), `is ${kindOf(e)}, not a [key, value] pair`);
      });
      for (let i = inner.length - 1; i >= 0; i--) {
        push(inner[i][1], at(at(ia, i), 1), inner[i], nest + 3);
        push(inner[i][0], at(at(ia, i), 0), inner[i], nest + 3);
      }
      maps.push({ pairs: inner, at: ia });
    } else {
      for (let i = inner.length - 1; i >= 0; i--) push(inner[i], at(ia, i), inner, nest + 2);
    }
  }
  // Keys are valid (and normalised) values by now, nested at most MAX_NESTING deep.
  for (const m of maps) {
    const seen = new Map<string, number>();
    m.pairs.forEach(([k], i) => {
      const c = JSON.stringify(k);
      const j = seen.get(c);
      if (j !== undefined) throw bad(at(at(m.at, i), 0), `repeats the key of entry ${j}`);
      seen.set(c, i);
    });
  }
}

function optString(o: Record<string, unknown>, k: string, a: At): void {
  if (has(o, k) && typeof o[k] !== 'string') throw bad(at(a, k), `is ${kindOf(o[k])}, not a string`);
}

/** Replaces kripke's JSON text (`"{\"N\": ...}"`, what itf-rs accepts) by the object it holds. */
function fromJsonText(o: Record<string, unknown>, k: string, a: At): void {
  const x = o[k];
  if (typeof x !== 'string') return;
  try {
    o[k] = JSON.parse(x);
  } catch (e) {
    throw bad(at(a, k), `is ${kindOf(x)}, not an object (nor the JSON text of one): ${messageOf(e)}`);
  }
}

/** Queues the values of an object of ITF values (`constants`, `params`). */
function valuesOf(o: Record<string, unknown>, k: string, a: At, items: Item[]): void {
  if (!has(o, k)) return;
  const x = o[k];
  if (!isObject(x)) throw bad(at(a, k), `is ${kindOf(x)}, not an object of ITF values`);
  for (const n of Object.keys(x)) items.push({ v: x[n], at: at(at(a, k), n), holder: x, nest: 0 });
}

function readTraceMeta(m: unknown, a: At, items: Item[]): void {
  if (!isObject(m)) throw bad(a, `is ${kindOf(m)}, not an object`);
  optString(m, 'source', a);
  optString(m, 'path', a);
  optString(m, 'status', a);
  fromJsonText(m, 'constants', a);
  valuesOf(m, 'constants', a, items);
  if (has(m, 'mutation')) {
    fromJsonText(m, 'mutation', a);
    const x = m.mutation;
    if (!isObject(x)) throw bad(at(a, 'mutation'), `is ${kindOf(x)}, not an object`);
    optString(x, 'drop', at(a, 'mutation'));
    optString(x, 'negate', at(a, 'mutation'));
  }
  if (!has(m, 'violation')) return;
  fromJsonText(m, 'violation', a);
  const v = m.violation;
  const va = at(a, 'violation');
  if (!isObject(v)) throw bad(va, `is ${kindOf(v)}, not an object`);
  if (!has(v, 'property')) throw bad(at(va, 'property'), 'is missing (the claim names the violated property)');
  if (typeof v.property !== 'string') throw bad(at(va, 'property'), `is ${kindOf(v.property)}, not a property name`);
  optString(v, 'kind', va);
  optString(v, 'reason', va);
}

function readStateMeta(m: unknown, a: At, items: Item[]): void {
  if (!isObject(m)) throw bad(a, `is ${kindOf(m)}, not an object`);
  if (has(m, 'action') && typeof m.action !== 'string') throw bad(at(a, 'action'), `is ${kindOf(m.action)}, not an action name`);
  fromJsonText(m, 'params', a);
  valuesOf(m, 'params', a, items);
  if (has(m, 'actionIndex')) {
    const x = m.actionIndex;
    if (typeof x === 'string' && /^\d{1,15}$/.test(x)) m.actionIndex = Number(x);
    else if (!(Number.isSafeInteger(x) && (x as number) >= 0)) throw bad(at(a, 'actionIndex'), `is ${kindOf(x)}, not a non-negative integer`);
  }
  if (has(m, 'index') && !Number.isSafeInteger(m.index)) throw bad(at(a, 'index'), `is ${kindOf(m.index)}, not an integer`);
}

function readState(st: unknown, a: At, vars: ReadonlySet<string>, params: ReadonlySet<string>, items: Item[]): void {
  if (!isObject(st)) throw bad(a, `is ${kindOf(st)}, not a state (an object)`);
  if (has(st, '#meta')) readStateMeta(st['#meta'], at(a, '#meta'), items);
  for (const v of vars) if (!has(st, v)) throw bad(at(a, v), 'is missing: every state has every variable');
  for (const k of Object.keys(st)) {
    if (k === '#meta') continue;
    if (!vars.has(k) && !params.has(k)) throw bad(at(a, k), 'is not one of the variables the trace lists in "vars"');
    items.push({ v: st[k], at: at(a, k), holder: st, nest: 0 });
  }
}

/** A list of names (`vars`, `params`): strings, not `#` keys, each once. */
function names(doc: Record<string, unknown>, key: string): Set<string> {
  const xs = doc[key];
  const xa = at(ROOT, key);
  if (!Array.isArray(xs)) throw bad(xa, `is ${kindOf(xs)}, not a list of ${key === 'vars' ? 'variable' : 'parameter'} names`);
  const out = new Set<string>();
  xs.forEach((x, i) => {
    if (typeof x !== 'string' || x.startsWith('#')) throw bad(at(xa, i), `is ${kindOf(x)}, not a ${key === 'vars' ? 'variable' : 'parameter'} name`);
    if (out.has(x)) throw bad(at(xa, i), `repeats the ${key === 'vars' ? 'variable' : 'parameter'} ${x}`);
    out.add(x);
  });
  return out;
}

function validate(doc: unknown): ItfFile {
  if (!isObject(doc)) throw new Bad(`the top level is ${kindOf(doc)}, not an object`);
  if (!has(doc, 'vars')) throw new Bad('"vars" is missing (the list of variable names)');
  const vars = names(doc, 'vars');
  const params = has(doc, 'params') ? names(doc, 'params') : new Set<string>();
  const both = [...params].find((p) => vars.has(p));
  if (both !== undefined) throw bad(at(ROOT, 'params'), `names ${both}, which is also a variable`);
  if (!has(doc, 'states')) throw new Bad('"states" is missing (the list of states)');
  const states = doc.states;
  const sa = at(ROOT, 'states');
  if (!Array.isArray(states)) throw bad(sa, `is ${kindOf(states)}, not a list of states`);
  if (states.length === 0) throw bad(sa, 'is empty: a trace has at least one state');
  if (doc.loop === null) delete doc.loop; // itf-rs and itf-py write "loop": null for no loop
  if (has(doc, 'loop') && !(Number.isSafeInteger(doc.loop) && (doc.loop as number) >= 0 && (doc.loop as number) < states.length)) {
    throw bad(at(ROOT, 'loop'), `is ${kindOf(doc.loop)}, not the index of a state`);
  }
  const items: Item[] = [];
  states.forEach((st, i) => readState(st, at(sa, i), vars, params, items));
  if (has(doc, '#meta')) readTraceMeta(doc['#meta'], at(ROOT, '#meta'), items);
  walk(items);
  return doc as unknown as ItfFile;
}

/**
 * Parses and validates an ITF trace file's text (ADR-015, and the `#meta` fields kripke reads).
 * Throws KripkeError('trace-file') with one line naming the file and the JSON path of the first
 * bad value for anything malformed: truncated JSON, missing fields, wrong shapes at any depth.
 */
export function parseItf(text: string, file: string): ItfFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new KripkeError('trace-file', printable(`${file}: not valid JSON (truncated or corrupt): ${e instanceof Error ? e.message : String(e)}`));
  }
  try {
    return validate(doc);
  } catch (e) {
    if (e instanceof Bad) throw new KripkeError('trace-file', printable(`${file}: not an ITF trace: ${e.message}`));
    throw e;
  }
}
