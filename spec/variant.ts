/**
 * Composition: a variant is a world (who runs where, what is mapped, which routines exist, which
 * kernel era) plus a flush policy. `kernelModel` assembles the modules' action families, in this
 * order (the order BFS tries them, so it decides which of several equally short traces is
 * reported): scheduling, hardware TLB, mm routines, zuf, flush, frame reuse, the extensions'
 * actions, then thread accesses.
 *
 * Extensions (spec/README.md, "Extend the model") add a mechanism without editing spec/: state
 * fields with their defaults, an initial-state step, actions, properties and flush hooks. The
 * state type is then `KernelState<E>`, and the spec's own modules run on it unchanged.
 */
import { Record } from 'immutable';
import { defineSpec, type ActionPropertyDef, type Model, type Mutation, type Spec, type StatePredicate } from '../src/index.js';
import { ruleDocs, withoutRule } from './model/rules.js';
import {
  breakBeforeMake, dormantStale, guardImpliesSafe, guardTrue, maskLags, pendingDormant, pendingHolder, localFlushSafe, maskCoversRunning, noStaleAfterReturn, noStaleTranslation,
  safeWithoutGuard, tlbGenCurrent,
} from '../invariants/kernel.js';
import type { Actions, Ctx, FlushHook } from './model/context.js';
import { flushActions } from './model/flush.js';
import { frameActions } from './model/frames.js';
import { helpers, initialState } from './model/helpers.js';
import { mmActions } from './model/mm.js';
import { mainlineSchedActions } from './model/sched-mainline.js';
import { schedActions } from './model/sched.js';
import { kernelSymmetry, symmetricValues, type ExtensionSymmetry } from './model/symmetry.js';
import { BASE_FIELDS, stateRecord, type KernelState, type State } from './model/state.js';
import { tlbActions } from './model/tlb.js';
import { arm64Actions } from './model/arm64.js';
import { broadcastFlushActions } from './model/broadcast.js';
import { INVLPGB } from './model/invlpgb.js';
import { LATR, LATR_NO_GATE } from './model/latr.js';
import { deferredExtension } from './model/deferred.js';
import { syscallExtension } from './model/syscalls.js';
import { explanations } from './model/explain.js';
import { kernelLanes, presented } from './model/lanes.js';
import type { World } from './model/world.js';
import { zufActions } from './model/zuf.js';
import type { FlushPolicy } from './policies/policy.js';

export interface Variant {
  /** short label, e.g. 'V1-munmap' */
  readonly name: string;
  /** one line: the kernel meaning */
  readonly doc: string;
  readonly world: World;
  readonly policy: FlushPolicy;
}

/** A mechanism added to the kernel model from outside spec/ (E: its state fields). */
export interface Extension<E extends object = {}> {
  /** what it models, one line */
  readonly name: string;
  /** its state fields, with their defaults (they must not clash with the kernel's) */
  readonly fields?: E;
  /** the initial values of its fields in this world (default: the defaults) */
  readonly init?: (s: KernelState<E>, ctx: Ctx) => KernelState<E>;
  /** its action families (enumerated after frame reuse, before thread accesses) */
  readonly actions?: (ctx: Ctx) => Actions<KernelState<E>>;
  readonly invariants?: (ctx: Ctx) => { readonly [name: string]: StatePredicate<KernelState<E>> };
  readonly actionProperties?: (ctx: Ctx) => { readonly [name: string]: ActionPropertyDef<KernelState<E>> };
  readonly sometimes?: (ctx: Ctx) => { readonly [name: string]: StatePredicate<KernelState<E>> };
  /** called at the end of every flush_tlb_mm_range (see FlushHook; not by a raw local INVLPG) */
  readonly onFlush?: (ctx: Ctx) => FlushHook<KernelState<E>>;
  /** called when a PTE routine returns to its caller (Ctx.onReturn) */
  readonly onReturn?: (ctx: Ctx) => FlushHook<KernelState<E>>;
  /**
   * where its fields hold a CPU, a frame or a page (model/symmetry.ts), for `--symmetry`: paths
   * added to the sets the world declares. Without them, a field that holds one breaks the
   * declared symmetry, and the soundness check refuses `--symmetry`.
   */
  readonly symmetry?: (ctx: Ctx) => ExtensionSymmetry;
}

/**
 * What traces hide unless --show-all: a routine's bookkeeping (its phase, kind, call path, who and
 * where, its pages and frames, which the explanations say in words), the switch step counter and
 * the PCID change ghost. A routine's `pending` IPIs and early mask read (`snap`) stay visible.
 */
export const BOOKKEEPING: readonly string[] = [
  ...['phase', 'kind', 'path', 'cpu', 'who', 'mm', 'keys', 'frames', 'free', 'gen', 'deferred'].map((f) => `ops.*.${f}`), 'sw', 'chg',
];

/** The families that write PTEs (break-before-make is judged on them, arm64). */
const PTE_WRITERS = [
  'InsertPfn', 'ZapPteRange', 'Mprotect', 'Mremap', 'Reclaim', 'ZtMapPages', 'ZtUnmapPages',
  'TryToUnmapOne', 'MigrateVmaCollect', 'MadviseDontneed',
];

/**
 * The spec's own mechanisms that are built as extensions, by what the world asks for: syscall
 * semantics (syscalls.ts) where flushes are deferred or lazy, deferred flushes (deferred.ts).
 */
const builtins = (w: World): Extension<any>[] => [
  ...(w.deferred || w.latr ? [syscallExtension()] : []),
  ...(w.deferred ? [deferredExtension()] : []),
];

/** Traces show only the variables this world uses (no zuf phase outside zuf, no generations without them, ...). */
function viewOf<S extends State>(w: World, tracked: boolean, fields: readonly string[]): (s: S) => unknown {
  const unused: { readonly [field: string]: boolean } = {
    zuf: !w.zuf, gen: !tracked, slot: !tracked, chg: !w.pcid, loaded: w.lazy !== 'mainline', isLazy: w.lazy !== 'mainline', rgen: w.lazy !== 'mainline',
  };
  const keys = fields.filter((k) => !unused[k]);
  const View = Record(Object.fromEntries(keys.map((k) => [k, undefined as unknown])));
  return (s) => View(Object.fromEntries(keys.map((k) => [k, (s as unknown as { get(k: string): unknown }).get(k)])));
}

/** The context the modules and properties of a variant are built from. */
export const kernelContext = (v: Variant, onFlush: readonly FlushHook<any>[] = [], onReturn: readonly FlushHook<any>[] = []): Ctx =>
  ({ w: v.world, h: helpers(v.world), policy: v.policy, onFlush, onReturn });

/**
 * The model of a variant, with the given extensions. One extension (or several with the same
 * fields) gives the state type `KernelState<E>`; extensions with different fields compose with
 * `E` named: `kernelModel<A & B>(v, extA, extB)`.
 */
export function kernelModel<E extends object = {}>(v: Variant, ...exts: Extension<E>[]): Model<KernelState<E>>;
export function kernelModel<E extends object = {}>(v: Variant, ...exts: Extension<any>[]): Model<KernelState<E>>;
export function kernelModel<E extends object = {}>(v: Variant, ...userExts: Extension<any>[]): Model<KernelState<E>> {
  type S = KernelState<E>;
  const exts = [...builtins(v.world), ...userExts];
  const base = kernelContext(v);
  const hooks = (f: (x: Extension<any>) => ((c: Ctx) => FlushHook<any>) | undefined) => exts.flatMap((x) => { const g = f(x); return g ? [g(base)] : []; });
  const ctx = kernelContext(v, hooks((x) => x.onFlush), hooks((x) => x.onReturn));
  const fields = Object.assign({}, ...exts.map((x) => x.fields ?? {})) as E;
  const Rec = stateRecord(fields);
  let init = initialState<S>(v.world, ctx.h, Rec);
  for (const x of exts) if (x.init) init = x.init(init, ctx);
  const all = <T>(f: (x: Extension<any>) => ((c: Ctx) => T) | undefined) => Object.assign({}, ...exts.map((x) => f(x)?.(ctx) ?? {}));
  const perExt = exts.map((x) => x.actions?.(ctx) ?? {});
  const twice = perExt.flatMap((a) => Object.keys(a)).filter((n, i, names) => names.indexOf(n) !== i);
  if (twice.length) throw new Error(`extension action ${[...new Set(twice)].join(', ')} is defined by two extensions`);
  const extActions = Object.assign({}, ...perExt) as Actions<S>;
  const { Access, ...hw } = tlbActions<S>(ctx);
  // arm64 (model/arm64.ts) has its own switch and flush families in place of x86's
  const arm64 = v.world.arch === 'arm64' ? arm64Actions<S>(ctx) : undefined;
  // and INVLPGB (model/invlpgb.ts) its broadcast flush in place of the IPIs, with x86's switch
  // and LATR (model/latr.ts) its lazy invalidation, on x86's switch too
  const { SwitchMm: _switch, ...flushFamilies } = arm64 ??
    (v.world.invlpgb ? broadcastFlushActions<S>(ctx, INVLPGB) : v.world.latr ? broadcastFlushActions<S>(ctx, v.world.latr === 'gated' ? LATR : LATR_NO_GATE) : {});
  const broadcasts = arm64 !== undefined || v.world.invlpgb === true || v.world.latr !== undefined;
  const symmetry = kernelSymmetry(v.world, symmetricValues(v.world, v.policy), exts.flatMap((x) => (x.symmetry ? [x.symmetry(ctx)] : [])));
  const own = {
    ...(arm64 ? { SwitchMm: arm64.SwitchMm } : v.world.lazy === 'mainline' ? mainlineSchedActions<S>(ctx) : schedActions<S>(ctx)),
    ...hw,
    ...mmActions<S>(ctx),
    ...zufActions<S>(ctx),
    ...(broadcasts ? flushFamilies : flushActions<S>(ctx)),
    ...frameActions<S>(ctx),
  };
  const clash = Object.keys(extActions).filter((n) => n in own || n === 'Access');
  if (clash.length) throw new Error(`extension action ${clash.join(', ')} is already an action of the kernel model`);
  const actions = presented(v.world, { ...own, ...extActions, Access }, explanations(ctx));
  return {
    init,
    deadlock: false,
    rules: ruleDocs(v),
    ...(symmetry ? { symmetry } : {}),
    view: viewOf<S>(v.world, ctx.h.genTracked, [...Object.keys(BASE_FIELDS), ...Object.keys(fields)]),
    bookkeeping: BOOKKEEPING,
    lanes: kernelLanes(v.world),
    actions,
    invariants: {
      NoStaleAfterReturn: { check: noStaleAfterReturn<S>(ctx), doc: 'once a PTE routine returned, no CPU uses a translation the page tables no longer grant' },
      MaskCoversRunning: { check: maskCoversRunning<S>(ctx), doc: 'every CPU running the mm is in mm_cpumask' },
      TlbGenCurrent: { check: tlbGenCurrent<S>(ctx), doc: 'INV-GEN: no entry is out of date as of its context\'s tlb_gen (PCID worlds)' },
      ...all((x) => x.invariants),
    },
    actionProperties: {
      NoStaleTranslation: noStaleTranslation<S>('Store' in actions ? ['Access', 'Store'] : ['Access']),
      ...(v.world.arch === 'arm64' ? { BreakBeforeMake: breakBeforeMake<S>(ctx, PTE_WRITERS.filter((f) => f in actions)) } : {}),
      LocalFlushSafe: localFlushSafe<S>(ctx),
      GuardImpliesSafe: guardImpliesSafe<S>(ctx),
      ...all((x) => x.actionProperties),
    },
    sometimes: {
      SafeWithoutGuard: { check: safeWithoutGuard<S>(ctx), doc: 'local flush safe although mm_cpumask ⊄ {initiator}' },
      GuardTrue: { check: guardTrue<S>(), doc: 'a flush is decided with mm_cpumask ⊆ {initiator}' },
      DormantStale: { check: dormantStale<S>(ctx), doc: 'a CPU keeps an entry to a reused frame in a context it is not using' },
      PendingHolder: { check: pendingHolder<S>(), doc: 'a CPU the flush (IPI or broadcast TLBI) has not reached yet holds an entry for the range' },
      PendingDormant: { check: pendingDormant<S>(ctx), doc: 'such a CPU holds it in a context it is not running (another ASID or PCID)' },
      MaskLags: { check: maskLags<S>(ctx), doc: 'a CPU runs the mm outside mm_cpumask (arm64: always; x86: never, with MaskCoversRunning)' },
      ...all((x) => x.sometimes),
    },
  };
}

/** A variant as a spec of its own (for a variant module: `export default kernelSpec({...})`), with extensions (as kernelModel). */
export function kernelSpec<E extends object = {}>(v: Variant, ...exts: Extension<E>[]): Spec<KernelState<E>>;
export function kernelSpec<E extends object = {}>(v: Variant, ...exts: Extension<any>[]): Spec<KernelState<E>>;
export function kernelSpec<E extends object = {}>(v: Variant, ...exts: Extension<any>[]): Spec<KernelState<E>> {
  return defineSpec<KernelState<E>>({ name: `kernel-${v.name}`, doc: v.doc, build: (_k, mutation) => mutatedModel<E>(v, mutation, exts) }) as unknown as Spec<KernelState<E>>;
}

/**
 * The model of `v` as `kripke mutate` weakens it: `mutation.negate` names one of the variant's
 * rules (model/rules.ts), and the model is built without it; its rules stay the variant's.
 */
export function mutatedModel<E extends object = {}>(v: Variant, mutation: Mutation | undefined, exts: readonly Extension<any>[] = []): Model<KernelState<E>> {
  return { ...kernelModel<E>(withoutRule(v, mutation?.negate), ...exts), rules: ruleDocs(v) };
}
