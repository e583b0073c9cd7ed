/**
 * Symmetry (`kripke check --symmetry`): which CPUs, frames and pages of a world are
 * interchangeable, read off the world itself, and every place the kernel state holds one of them.
 *
 *   CPUs    CPUs that play the same part: the same number of threads pinned to each (with the
 *           same mm and the same role: mapper or not, zuf app or ZT with a window), the same
 *           initial placement (their pinned thread, or idle), and no other thread whose affinity
 *           holds some of them but not all. A permutation of them renames their pinned threads
 *           with them (t1 <-> t2 with CPUs 1 <-> 2). In Rutland's worlds that is CPUs 1..N-1 (CPU 0
 *           runs the mapper t0); with ROUTINES=2, CPUs 2..N-1 (t1 maps too); reclaim: 1..N-1
 *           (kswapd's CPU 0 has no thread); zuf: 1..N-1 (the app and zt0's window are on CPU 0),
 *           but not with an mm per ZT (V3'': the mms A1, A2, ... would have to be renamed with
 *           their CPU, a value of another kind); mixed: the CPUs that start idle, 2..N-1.
 *   FRAMES  the frames no PTE maps and no use claims at Init (Rutland's pool f1..fN): every
 *           action takes any free frame. The reclaim and zuf frames are each part of the story.
 *   PAGES   the pages of one vma of two or more pages that every routine treats as a range:
 *           munmap and mprotect name the vma by its first page but act on all of its pages.
 *           Not a vma that mremap moves (page i goes to page i of the target: the two vmas'
 *           pages are one permutation, which two independent sets cannot say), that reclaim,
 *           zuf or an initial PTE names page by page, nor any vma under a policy that reads the
 *           mask early (ReadMmCpumask samples the vma's first page and needs it present). One
 *           vma at most: two sets cannot both claim the keys of `pte`.
 * A set is declared only if it has two values or more. The engine's soundness check refuses a
 * declaration the actions or properties break (a policy or an extension that singles out a CPU).
 */
import type { SymmetricSet, SymmetryPath } from '../../src/index.js';
import type { FlushPolicy } from '../policies/policy.js';
import { IDLE, type Cpu, type Frame, type Key, type Pte, type Thread, type World } from './world.js';

/** The interchangeable values of a world (an empty list: none). */
export interface SymmetricValues {
  readonly cpus: readonly Cpu[];
  readonly frames: readonly Frame[];
  readonly pages: readonly Key[];
}

/** Where an extension's fields hold CPUs, frames or pages (paths into the state, as in SymmetricSet). */
export interface ExtensionSymmetry {
  readonly cpus?: Pick<SymmetricSet, 'keys' | 'refs'>;
  readonly frames?: Pick<SymmetricSet, 'keys' | 'refs'>;
  readonly pages?: Pick<SymmetricSet, 'keys' | 'refs'>;
}

/** Renames the frame in a PTE or TLB entry ('f1:ro' -> 'f2:ro'). */
export const renamePte = (p: Pte, rename: (x: unknown) => unknown): Pte =>
  p === '' ? p : p.endsWith(':ro') ? `${rename(p.slice(0, -3)) as string}:ro` : (rename(p) as string);

/** The threads pinned to each CPU (affinity exactly that CPU), in the world's order. */
function pinnedThreads(w: World): Map<Cpu, Thread[]> {
  const pinned = new Map<Cpu, Thread[]>(w.cpus.map((c) => [c, []]));
  for (const t of w.threads) if (t.cpus.length === 1) pinned.get(t.cpus[0])?.push(t);
  return pinned;
}

/** The CPUs of the world that play the same part (the largest such class; ties: the first). */
export function symmetricCpus(w: World): Cpu[] {
  const pinned = pinnedThreads(w);
  const mappers = new Set(w.mappers ?? w.threads.map((t) => t.name));
  const zufRole = (t: string) => (w.zuf?.app === t ? 'app' : w.zuf?.windows.some(([z]) => z === t) ? 'window' : '');
  const running = new Map(w.running);
  const signature = (c: Cpu) => {
    const mine = pinned.get(c)!;
    const r = running.get(c) ?? IDLE;
    const at = mine.findIndex((t) => t.name === r);
    return JSON.stringify({
      pinned: mine.map((t) => [t.mm, mappers.has(t.name), zufRole(t.name)]),
      running: r === IDLE ? 'idle' : at >= 0 ? `pinned ${at}` : `thread ${r}`,
    });
  };
  const classes = new Map<string, Cpu[]>();
  for (const c of w.cpus) classes.set(signature(c), [...(classes.get(signature(c)) ?? []), c]);
  // a thread that may run on some CPUs of a class but not on the others splits it
  let parts = [...classes.values()];
  for (const t of w.threads) {
    if (t.cpus.length === 1) continue;
    parts = parts.flatMap((p) => [p.filter((c) => t.cpus.includes(c)), p.filter((c) => !t.cpus.includes(c))]).filter((p) => p.length > 0);
  }
  const best = parts.reduce<Cpu[]>((a, p) => (p.length > a.length ? p : a), []);
  return best.length >= 2 ? best : [];
}

/** The frames that nothing names at Init: the InsertPfn pool. */
export function symmetricFrames(w: World): Frame[] {
  const named = new Set<Frame>([
    ...(w.uses ?? []).map(([f]) => f), ...(w.ptes ?? []).map(([, f]) => f),
    ...(w.zuf ? [w.zuf.appFrame, w.zuf.drainFrame] : []),
  ]);
  const pool = w.frames.filter((f) => !named.has(f));
  return pool.length >= 2 ? pool : [];
}

/** The pages of the first vma whose pages every routine treats alike (see the header). */
export function symmetricPages(w: World, policy: FlushPolicy): Key[] {
  // deferred.ts names its pages one by one, and its syscalls' promises are per page
  if (policy.maskRead === 'before' || w.deferred || w.latr) return [];
  const byPage: Key[] = [
    ...(w.ptes ?? []).map(([k]) => k), ...(w.zuf ? [w.zuf.appKey, ...w.zuf.windows.map(([, k]) => k)] : []),
    ...(w.mremap ?? []).flatMap((m) => [m.from, m.to]),
  ];
  const firsts = new Set([...(w.munmap ?? []), ...(w.mprotect ?? [])]);
  for (const v of w.vmas) {
    if (v.pages.length < 2) continue;
    const has = (list: readonly Key[] | undefined) => v.pages.filter((k) => (list ?? []).includes(k)).length;
    const allOrNone = (list: readonly Key[] | undefined) => has(list) === 0 || has(list) === v.pages.length;
    if (has(byPage) > 0 || !allOrNone(w.insertPfn) || !allOrNone(w.reclaim)) continue;
    // munmap and mprotect name a vma by its first page (and only so)
    if (v.pages.slice(1).some((k) => firsts.has(k))) continue;
    // mremap names vmas by their first pages too: a vma it moves to or from is out (above)
    return [...v.pages];
  }
  return [];
}

/** The interchangeable values of a world under a policy. */
export const symmetricValues = (w: World, policy: FlushPolicy): SymmetricValues =>
  ({ cpus: symmetricCpus(w), frames: symmetricFrames(w), pages: symmetricPages(w, policy) });

/**
 * The Model's `symmetry` for `values` in world `w` (undefined if no set has two values): every
 * field of the kernel state that holds a CPU, a thread pinned to one, a frame or a page, plus the
 * extensions' own paths.
 */
export function kernelSymmetry(w: World, values: SymmetricValues, exts: readonly ExtensionSymmetry[] = []):
  { readonly [set: string]: SymmetricSet } | undefined {
  const genTracked = w.pcid === true || w.lazy !== undefined;
  const mainline = w.lazy === 'mainline';
  const out: { [set: string]: SymmetricSet } = {};
  const add = (name: string, v: readonly (Cpu | Frame)[], keys: SymmetryPath[], refs: NonNullable<SymmetricSet['refs']>[number][], which: keyof ExtensionSymmetry) => {
    if (v.length < 2) return;
    out[name] = {
      values: v,
      keys: [...keys, ...exts.flatMap((x) => x[which]?.keys ?? [])],
      refs: [...refs, ...exts.flatMap((x) => x[which]?.refs ?? [])],
    };
  };

  // a thread pinned to one of the CPUs is renamed with it: its index among that CPU's pinned threads
  const pinned = pinnedThreads(w);
  const cpuSet = new Set(values.cpus);
  const pinnedAt = new Map<string, [Cpu, number]>();
  for (const [c, ts] of pinned) if (cpuSet.has(c)) ts.forEach((t, i) => pinnedAt.set(t.name, [c, i]));
  const renameThread = (t: string, rename: (x: unknown) => unknown): string => {
    const at = pinnedAt.get(t);
    // (no counterpart: a CPU set whose CPUs have different pinned threads, which the check refuses)
    return at === undefined ? t : pinned.get(rename(at[0]) as Cpu)?.[at[1]]?.name ?? t;
  };
  const threadRefs = pinnedAt.size > 0
    ? [{ path: 'curr.*', map: renameThread }, { path: 'ops.*.who', map: renameThread }]
    : [];
  add('CPUS', values.cpus,
    ['cr3', 'curr', 'sw', 'tlb', ...(genTracked ? ['slot'] : []), ...(mainline ? ['loaded', 'isLazy', 'rgen'] : [])],
    ['mask.*.*', 'ops.*.cpu', 'ops.*.snap.*', 'ops.*.pending.*', ...threadRefs], 'cpus');

  const pte = (path: string) => ({ path, map: renamePte });
  add('FRAMES', values.frames, ['frame'], [pte('pte.*'), pte('tlb.*.*'), 'ops.*.frames.*'], 'frames');

  add('PAGES', values.pages, ['pte', 'tlb.*', ...(w.pcid ? ['chg'] : [])], ['ops.*.keys.*'], 'pages');
  return Object.keys(out).length > 0 ? out : undefined;
}
