/**
 * A schema check of ITF files, written from the readers' sources (independently of kripke's writer,
 * src/trace/itf.ts): what ADR-015 allows, what itf-rs 0.3 deserialises (`trace::Meta`,
 * `state::Meta`, the untagged `Value` enum), what Quint's `ofItf`, itf-py's `value_from_json` and
 * Apalache's `ItfJsonToTla` read as intended. `itfProblems(doc)` lists every rule a document breaks,
 * each with the JSON path; an empty list means every one of those readers loads it as written.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObj = (x: Json | undefined): x is { [k: string]: Json } => typeof x === 'object' && x !== null && !Array.isArray(x);
const SPECIAL = ['#bigint', '#tup', '#set', '#map', '#unserializable'];
const PY_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);
/** itf-rs `trace::Meta`: its own fields; every other key is flattened into a `BTreeMap<String, String>`. */
const RS_TRACE_META: Record<string, (x: Json) => boolean> = {
  format: (x) => typeof x === 'string',
  'format-description': (x) => typeof x === 'string',
  source: (x) => typeof x === 'string',
  description: (x) => typeof x === 'string',
  varTypes: (x) => isObj(x) && Object.values(x).every((t) => typeof t === 'string'),
  timestamp: (x) => Number.isSafeInteger(x) && (x as number) >= 0,
};

/** Parses an ADR-002 type (the subset Apalache writes in varTypes); true if it parses. */
export function parsesAsType(text: string): boolean {
  let i = 0;
  const ws = () => {
    while (text[i] === ' ') i++;
  };
  const eat = (s: string) => {
    ws();
    if (!text.startsWith(s, i)) throw new Error(`expected ${s} at ${i}`);
    i += s.length;
  };
  const ident = () => {
    ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (!m) throw new Error(`expected a name at ${i}`);
    i += m[0].length;
    return m[0];
  };
  const type = (): void => {
    ws();
    if (text.startsWith('(', i)) {
      eat('(');
      type();
      eat('->');
      type();
      eat(')');
    } else if (text.startsWith('{', i)) {
      eat('{');
      do {
        ident();
        eat(':');
        type();
        ws();
      } while (text[i] === ',' && ++i);
      eat('}');
    } else if (text.startsWith('<<', i)) {
      eat('<<');
      do type();
      while (text[i] === ',' && ++i);
      eat('>>');
    } else {
      const n = ident();
      if (n === 'Set' || n === 'Seq') {
        eat('(');
        type();
        eat(')');
      } else if (!/^(Int|Bool|Str|[A-Z][A-Z0-9_]*)$/.test(n)) throw new Error(`unknown type ${n}`);
    }
  };
  try {
    type();
    ws();
    return i === text.length;
  } catch {
    return false;
  }
}

/** Every rule of ADR-015, itf-rs, Quint, itf-py and Apalache that a value breaks. */
function valueProblems(v: Json, path: string, out: string[]): void {
  if (typeof v === 'boolean' || typeof v === 'string') return;
  if (v === null) return void out.push(`${path}: null is not an ITF value (the VS Code viewer crashes on it)`);
  if (typeof v === 'number') return void out.push(`${path}: a JSON number (ADR-015 rev. 2023-09-14: integers are {"#bigint": "..."})`);
  if (Array.isArray(v)) return v.forEach((x, i) => valueProblems(x, `${path}[${i}]`, out));
  const keys = Object.keys(v);
  const special = keys.filter((k) => k.startsWith('#'));
  if (special.length > 0) {
    if (keys.length !== 1 || !SPECIAL.includes(keys[0])) return void out.push(`${path}: an object with # keys must be exactly one of ${SPECIAL.join(', ')} (itf-rs, Quint and itf-py take the first form they recognise and drop the rest): ${keys.join(', ')}`);
    const x = v[keys[0]];
    switch (keys[0]) {
      case '#bigint':
        if (typeof x !== 'string' || !/^-?[0-9]+$/.test(x)) out.push(`${path}: #bigint holds ${JSON.stringify(x)}, not [-][0-9]+`);
        return;
      case '#unserializable':
        if (typeof x !== 'string') out.push(`${path}: #unserializable holds a non-string`);
        return;
      case '#map':
        if (!Array.isArray(x)) return void out.push(`${path}: #map holds a non-list`);
        return x.forEach((e, i) => {
          if (!Array.isArray(e) || e.length !== 2) return void out.push(`${path}["#map"][${i}]: not a [key, value] pair`);
          valueProblems(e[0], `${path}["#map"][${i}][0]`, out);
          valueProblems(e[1], `${path}["#map"][${i}][1]`, out);
        });
      default:
        if (!Array.isArray(x)) return void out.push(`${path}: ${keys[0]} holds a non-list`);
        return x.forEach((e, i) => valueProblems(e, `${path}["${keys[0]}"][${i}]`, out));
    }
  }
  // A record (kripke writes no variants, so a variant shape is a record that would be misread).
  if (keys.length === 2 && keys.includes('tag') && keys.includes('value')) out.push(`${path}: a record with exactly tag and value is a variant to ADR-015, Quint, itf-py and the viewer`);
  if (keys.length === 1 && keys[0] === 'tag') out.push(`${path}: a record with only tag is a unit variant to Apalache and Quint`);
  for (const k of keys) {
    if (k.startsWith('__')) out.push(`${path}.${k}: Quint drops fields starting with __`);
    else if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(k) || PY_KEYWORDS.has(k)) out.push(`${path}.${k}: not a field name itf-py (a namedtuple) and Apalache accept`);
    valueProblems(v[k], `${path}.${k}`, out);
  }
}

/** The rules a whole ITF document breaks (empty: ADR-015 and every reader above accept it). */
export function itfProblems(doc: Json): string[] {
  const out: string[] = [];
  if (!isObj(doc)) return ['$: not an object'];
  // itf-rs: `#meta` is required (no serde default), and its other keys are strings.
  const meta = doc['#meta'];
  if (!isObj(meta)) out.push('$["#meta"]: missing or not an object (itf-rs requires it)');
  else {
    for (const [k, x] of Object.entries(meta)) {
      const rule: ((x: Json) => boolean) | undefined = Object.hasOwn(RS_TRACE_META, k) ? RS_TRACE_META[k] : undefined;
      if (rule ? !rule(x) : typeof x !== 'string') out.push(`$["#meta"].${k}: ${rule ? 'of the wrong type for itf-rs' : 'not a string (itf-rs reads other #meta keys as BTreeMap<String, String>)'}`);
    }
    const types = isObj(meta.varTypes) ? meta.varTypes : {};
    for (const [k, t] of Object.entries(types)) {
      if (!Array.isArray(doc.vars) || !doc.vars.includes(k)) out.push(`$["#meta"].varTypes.${k}: not a variable (Apalache refuses spurious types)`);
      if (typeof t === 'string' && !parsesAsType(t)) out.push(`$["#meta"].varTypes.${k}: ${JSON.stringify(t)} is not an ADR-002 type`);
    }
  }
  for (const key of ['vars', 'params'] as const) {
    const xs = doc[key];
    if (xs === undefined && key === 'params') continue;
    if (!Array.isArray(xs) || !xs.every((x) => typeof x === 'string' && !x.startsWith('#'))) out.push(`$.${key}: not a list of names`);
  }
  if (doc.loop !== undefined && doc.loop !== null && !(Number.isSafeInteger(doc.loop) && (doc.loop as number) >= 0)) out.push('$.loop: not a state index');
  const vars = new Set(Array.isArray(doc.vars) ? (doc.vars as string[]) : []);
  const params = new Set(Array.isArray(doc.params) ? (doc.params as string[]) : []);
  if (!Array.isArray(doc.states) || doc.states.length === 0) return [...out, '$.states: not a non-empty list'];
  doc.states.forEach((st, i) => {
    const at = `$.states[${i}]`;
    if (!isObj(st)) return void out.push(`${at}: not an object`);
    const sm = st['#meta'];
    if (!isObj(sm)) out.push(`${at}["#meta"]: missing or not an object (itf-rs requires it)`);
    else {
      for (const [k, x] of Object.entries(sm)) {
        if (k === 'index' ? !(Number.isSafeInteger(x) && (x as number) >= 0) : typeof x !== 'string') out.push(`${at}["#meta"].${k}: ${k === 'index' ? 'not a u64' : 'not a string (itf-rs state::Meta)'}`);
      }
    }
    for (const v of vars) if (!(v in st)) out.push(`${at}.${v}: missing (every state has every variable)`);
    for (const [k, x] of Object.entries(st)) {
      if (k === '#meta') continue;
      if (!vars.has(k) && !(i === 0 && params.has(k))) out.push(`${at}.${k}: not a variable`);
      if (k.startsWith('__')) out.push(`${at}.${k}: Quint drops keys starting with __`);
      valueProblems(x, `${at}.${k}`, out);
    }
  });
  return out;
}
