/**
 * A canonical byte form of state values, for the codes threads share (shared-codes.ts): two values
 * are equal (immutable.js `is`) exactly when their bytes are equal, so a code's value can be found
 * by its bytes, and rebuilt in another thread from them. Sets and Maps are written in a canonical
 * order (their elements' bytes sorted), ordered collections and Lists in their own.
 *
 * Records are written by their type's signature (field names and name); the reading thread builds
 * the value with its own Record type of that signature, one it has met (`RecordTypes`): a type is
 * known to a thread once it has encoded or decoded an instance of it. A signature the reader does
 * not know is a `ForeignType` error (the parallel search then says why it runs in one thread).
 */
import { isList, isMap, isOrdered, isRecord, isSet, isStack, List, Map as IMap, OrderedMap, OrderedSet, Set as ISet, Stack } from 'immutable';
import { recordKeys, recordName } from '../immutable-internals.js';

const T_UNDEF = 0, T_NULL = 1, T_FALSE = 2, T_TRUE = 3, T_INT = 4, T_FLOAT = 5, T_STR = 6, T_BIG = 7;
const T_LIST = 8, T_SET = 9, T_MAP = 10, T_OSET = 11, T_OMAP = 12, T_STACK = 13, T_REC = 14;

/** A Record type another thread knows and this one has not met (`signature`). */
export class ForeignType extends Error {
  constructor(
    message: string,
    readonly signature: string,
  ) {
    super(message);
  }
}

type RecordCtor = new (values: object) => unknown;

/** The Record types a thread has met, by signature. */
export class RecordTypes {
  private readonly bySig = new Map<string, RecordCtor | null>();

  /** The signature of a Record instance's type (registering the type). */
  signature(r: object): string {
    const keys = recordKeys(r);
    const name = recordName(r);
    const sig = `${name}\u0001${keys.join('\u0000')}`;
    const ctor = (Object.getPrototypeOf(r) as { constructor: RecordCtor }).constructor;
    const known = this.bySig.get(sig);
    if (known === undefined) this.bySig.set(sig, ctor);
    else if (known !== null && known !== ctor) this.bySig.set(sig, null); // two types, one signature
    return sig;
  }

  /** Registers every Record type inside `v`. */
  learn(v: unknown): void {
    if (v === null || typeof v !== 'object') return;
    if (isRecord(v)) {
      this.signature(v);
      for (const k of recordKeys(v)) this.learn((v as unknown as { get(k: string): unknown }).get(k));
    } else if (isMap(v) || isSet(v) || isList(v) || isStack(v)) {
      (v as unknown as { forEach(f: (x: unknown, k: unknown) => void): void }).forEach((x, k) => {
        this.learn(x);
        this.learn(k);
      });
    }
  }

  /** Whether this thread has met the Record type of signature `sig`. */
  knows(sig: string): boolean {
    return this.bySig.get(sig) !== undefined;
  }

  ctor(sig: string): RecordCtor {
    const c = this.bySig.get(sig);
    const fields = sig.split('\u0001')[1].split('\u0000').join(', ');
    if (c === undefined) throw new ForeignType(`a Record type (${fields}) was first built in another thread, and this one did not meet it running the spec from Init (200,000 states)`, sig);
    if (c === null) throw new ForeignType(`two Record types have the fields (${fields})`, sig);
    return c;
  }
}

class Writer {
  buf = new Uint8Array(64);
  n = 0;
  private readonly dv = () => new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  private ensure(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    b.set(this.buf.subarray(0, this.n));
    this.buf = b;
  }
  byte(x: number): void {
    this.ensure(1);
    this.buf[this.n++] = x;
  }
  u32(x: number): void {
    this.ensure(4);
    this.dv().setUint32(this.n, x);
    this.n += 4;
  }
  f64(x: number): void {
    this.ensure(8);
    this.dv().setFloat64(this.n, x);
    this.n += 8;
  }
  str(s: string): void {
    this.u32(s.length);
    this.ensure(s.length * 2);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      this.buf[this.n++] = c >>> 8;
      this.buf[this.n++] = c & 255;
    }
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** The canonical bytes of value `v` (its Record types registered in `types`). */
export function serialize(v: unknown, types: RecordTypes): Uint8Array {
  const w = new Writer();
  write(w, v, types);
  return w.buf.slice(0, w.n);
}

function write(w: Writer, v: unknown, types: RecordTypes): void {
  switch (typeof v) {
    case 'undefined':
      return w.byte(T_UNDEF);
    case 'boolean':
      return w.byte(v ? T_TRUE : T_FALSE);
    case 'number':
      if ((v | 0) === v) {
        w.byte(T_INT);
        return w.u32(v >>> 0);
      }
      w.byte(T_FLOAT);
      return w.f64(v);
    case 'string':
      w.byte(T_STR);
      return w.str(v);
    case 'bigint':
      w.byte(T_BIG);
      return w.str(v.toString());
    case 'object':
      if (v === null) return w.byte(T_NULL);
      return writeCollection(w, v, types);
    default:
      throw new TypeError(`cannot share a ${typeof v} between threads`);
  }
}

function writeCollection(w: Writer, v: object, types: RecordTypes): void {
  const each = (f: (x: unknown, k: unknown) => void) => (v as { forEach(g: (x: unknown, k: unknown) => void): void }).forEach((x, k) => void f(x, k));
  if (isRecord(v)) {
    w.byte(T_REC);
    w.str(types.signature(v));
    for (const k of recordKeys(v)) write(w, (v as unknown as { get(k: string): unknown }).get(k), types);
    return;
  }
  const ordered = isOrdered(v);
  if (isMap(v)) {
    const pairs: Uint8Array[] = [];
    each((x, k) => {
      const p = new Writer();
      write(p, k, types);
      write(p, x, types);
      pairs.push(p.buf.slice(0, p.n));
    });
    return writeItems(w, ordered ? T_OMAP : T_MAP, pairs, !ordered);
  }
  if (isSet(v)) {
    const items: Uint8Array[] = [];
    each((x) => items.push(serialize(x, types)));
    return writeItems(w, ordered ? T_OSET : T_SET, items, !ordered);
  }
  if (isList(v) || isStack(v)) {
    w.byte(isList(v) ? T_LIST : T_STACK);
    w.u32((v as { size: number }).size);
    each((x) => write(w, x, types));
    return;
  }
  throw new TypeError('not an immutable value (Record, Map, Set, List, Stack)');
}

function writeItems(w: Writer, tag: number, items: Uint8Array[], sort: boolean): void {
  if (sort) items.sort(compareBytes);
  w.byte(tag);
  w.u32(items.length);
  for (const b of items) w.bytes(b);
}

/** The value of canonical bytes b[at .. at+len), built with this thread's Record types. */
export function deserialize(b: Uint8Array, at: number, types: RecordTypes): unknown {
  const r = { b, i: at, dv: new DataView(b.buffer, b.byteOffset, b.byteLength), types };
  return read(r);
}

interface Reader {
  b: Uint8Array;
  i: number;
  dv: DataView;
  types: RecordTypes;
}

function readStr(r: Reader): string {
  const n = r.dv.getUint32(r.i);
  r.i += 4;
  let s = '';
  for (let k = 0; k < n; k++, r.i += 2) s += String.fromCharCode((r.b[r.i] << 8) | r.b[r.i + 1]);
  return s;
}

function read(r: Reader): unknown {
  const tag = r.b[r.i++];
  const items = (): unknown[] => {
    const n = r.dv.getUint32(r.i);
    r.i += 4;
    const out: unknown[] = [];
    for (let k = 0; k < n; k++) out.push(read(r));
    return out;
  };
  const pairs = (): [unknown, unknown][] => {
    const n = r.dv.getUint32(r.i);
    r.i += 4;
    const out: [unknown, unknown][] = [];
    for (let k = 0; k < n; k++) out.push([read(r), read(r)]);
    return out;
  };
  switch (tag) {
    case T_UNDEF: return undefined;
    case T_NULL: return null;
    case T_FALSE: return false;
    case T_TRUE: return true;
    case T_INT: {
      const x = r.dv.getUint32(r.i) | 0;
      r.i += 4;
      return x;
    }
    case T_FLOAT: {
      const x = r.dv.getFloat64(r.i);
      r.i += 8;
      return x;
    }
    case T_STR: return readStr(r);
    case T_BIG: return BigInt(readStr(r));
    case T_LIST: return List(items());
    case T_STACK: return Stack(items());
    case T_SET: return ISet(items());
    case T_OSET: return OrderedSet(items());
    case T_MAP: return IMap(pairs());
    case T_OMAP: return OrderedMap(pairs());
    case T_REC: {
      const sig = readStr(r);
      const ctor = r.types.ctor(sig);
      const fields = sig.split('\u0001')[1];
      const keys = fields === '' ? [] : fields.split('\u0000');
      const o: Record<string, unknown> = {};
      for (const k of keys) o[k] = read(r);
      return new ctor(o); // `new`: a class extending Record cannot be called without it
    }
    default:
      throw new Error(`internal: corrupt shared value (tag ${tag})`);
  }
}
