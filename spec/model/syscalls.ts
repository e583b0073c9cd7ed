/**
 * Syscall semantics (guide §7.4 SYS-SEM), a built-in extension of the worlds with deferred
 * flushes or LATR: what a syscall that changed PTEs promises once it has returned, kept as a
 * ghost (`promised`, per page), and the property that judges every later use of a translation
 * against it. Frame safety (NoStaleTranslation) is another matter: a deferred flush can keep
 * the frame safe and still break the syscall's word (V6a).
 *   munmap, MADV_DONTNEED    'gone': no thread uses a translation of the page from before the
 *                            call (a TLB hit on an entry that is not the PTE's current value)
 *   mprotect(PROT_READ)      'ro': no thread stores through a writable translation while the PTE
 *                            does not allow writes
 * The promise is recorded when the routine returns to its caller (the return hooks), or at once
 * when the syscall finds nothing to change; it lapses when the next syscall over the page starts.
 * `Store` is a thread's store: a TLB hit through a writable entry, or a walk and fill from a
 * writable PTE; no write access, no store (the fault is not modelled further).
 */
import { Map as IMap } from 'immutable';
import { change, violated, type ActionPropertyDef, type ActionRef, type Change, type Verdict } from '../../src/index.js';
import type { Extension } from '../variant.js';
import type { Ctx, FlushHook } from './context.js';
import { routineReturned } from './flush.js';
import { cpuLane } from './lanes.js';
import { Op, type KernelState, type OpRec, type OpVars, type State } from './state.js';
import { IDLE, keyMm, pteFrame, pteWritable, type Cpu, type Key } from './world.js';

/** What a returned syscall promises about a page. */
export type Promise = 'gone' | 'ro';
export interface SyscallFields {
  /** ghost: per page, what the last syscall that returned over it promises (absent: nothing) */
  promised: IMap<Key, Promise>;
}
type S = KernelState<SyscallFields>;

const PROMISE: Partial<Record<OpVars['kind'], Promise>> = { zap: 'gone', protect: 'ro' };
const SAYS: Record<Promise, string> = {
  gone: 'no translation from before the call is used',
  ro: 'no store goes through a writable translation',
};

/** The return hook: a thread's routine (not kswapd's, not a bare flush) records its syscall's promise over its vma. */
const recordPromise = ({ h }: Ctx): FlushHook<S> => (ch, op) => {
  const p = PROMISE[op.kind];
  if (p === undefined || op.who === IDLE || op.keys.isEmpty()) return ch;
  for (const k of h.vmaOf(op.keys.first()!).pages) ch = ch.setIn(['promised', k], p);
  return ch;
};

/**
 * A syscall by thread t on CPU c over the vma of `k` that finds nothing to change: it returns
 * at once, and its promise holds from now (through the return hooks, as a routine's would).
 */
export function returnsAtOnce<T extends State>(ctx: Ctx, ch: Change<T>, c: Cpu, t: string, k: Key, kind: OpVars['kind']): Change<T> {
  const op: OpRec = Op({ kind, cpu: c, who: t, mm: keyMm(k), keys: Op().keys.union(ctx.h.vmaOf(k).pages) });
  return routineReturned<T>(ctx, ch, op);
}

/**
 * A syscall over `pages` starts: the promises of the one before lapse until it returns (a store
 * while it runs races with it, and is the new call's to settle).
 */
export function promisesLapse<T extends State>(ch: Change<T>, pages: readonly Key[]): Change<T> {
  for (const k of pages) if ((ch.get('promised') as IMap<Key, Promise>).has(k)) ch = ch.removeIn(['promised', k]);
  return ch;
}

/** What a hit through entry e breaks, under promise p and PTE pte (undefined: nothing). */
function broken(p: Promise | undefined, e: string, pte: string, store: boolean): string | undefined {
  if (p === 'gone' && e !== pte) return `a translation from before the call (${e}; the PTE is ${pte || 'none'})`;
  if (p === 'ro' && store && pteWritable(e) && !pteWritable(pte)) return `a writable translation (${e}; the PTE is ${pte || 'none'})`;
  return undefined;
}

const CALL: Record<Promise, string> = { gone: 'munmap / MADV_DONTNEED', ro: 'mprotect(PROT_READ)' };

/** SyscallSemantics (SYS-SEM): no load or store breaks what a returned syscall promised about the page. */
export function syscallSemantics(): ActionPropertyDef<S> {
  return {
    actions: ['Access', 'Store'],
    doc: 'once munmap, mprotect(PROT_READ) or MADV_DONTNEED returned, no thread uses a translation the call removed or downgraded',
    check: (s: S, a: ActionRef): Verdict => {
      const { c, t, k } = a.params as { c: Cpu; t: string; k: Key };
      const e = s.tlb.get(c)!.get(k);
      if (e === undefined) return true; // a walk: the PTE as it is now
      const p = s.promised.get(k);
      const what = broken(p, e, s.pte.get(k)!, a.name === 'Store');
      return what === undefined ||
        violated(`thread ${t} on CPU ${c} ${a.name === 'Store' ? 'stores to' : 'accesses'} ${k} through ${what}, after ${CALL[p!]} returned: ${SAYS[p!]}`);
    },
  };
}

export function syscallExtension(): Extension<SyscallFields> {
  return {
    name: 'syscall semantics (SYS-SEM)',
    fields: { promised: IMap<Key, Promise>() },
    actions: ({ w, h }) => ({
      Store: {
        params: { c: w.cpus, t: h.userThreads, k: h.keys },
        actor: ({ c, t }: { c: Cpu; t: string }) => `thread ${t} on CPU ${c}`,
        lane: cpuLane,
        doc: 'a store by the thread: a TLB hit through a writable entry, or a walk and fill from a writable PTE',
        anchor: [w.arch === 'arm64' ? { file: 'Arm ARM', fn: 'a TLB hit uses the cached translation, no walk' } : { file: 'Intel SDM Vol. 3A', fn: '4.10.2.4 (a TLB hit uses the cached translation, no page walk)' }],
        explain: (s: S, { c, k }: { c: Cpu; k: Key }) => {
          const e = s.tlb.get(c)!.get(k);
          return e !== undefined ? `a TLB hit: ${k} -> ${pteFrame(e)}, no page walk` : `a walk: ${k} -> ${s.pte.get(k)}`;
        },
        apply: (s: S, { c, t, k }: { c: Cpu; t: string; k: Key }) => {
          if (!h.runs(s, c, t) || h.mmOf(t) !== keyMm(k)) return null;
          const e = s.tlb.get(c)!.get(k);
          if (e !== undefined) return pteWritable(e) && s;
          const p = s.pte.get(k)!;
          return pteWritable(p) && change(s).setIn(['tlb', c, k], p);
        },
      },
    }),
    actionProperties: () => ({ SyscallSemantics: syscallSemantics() }),
    onReturn: recordPromise,
  };
}

