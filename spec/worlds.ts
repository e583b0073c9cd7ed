/**
 * The worlds the variants run in (guide §7.5 setups), each as small as its story allows, and
 * each a function of the size (`CPUS`, `FRAMES`, `PAGES`, `ROUTINES` of spec/kernel.ts). At the
 * default size every world is the two-CPU setup the verdicts and golden traces were taken in;
 * more CPUs add more of what the story already has on CPU 1 (a pinned thread of the shared mm, a
 * ZT), more pages make each vma a range, and a second routine lets two PTE routines run at once.
 */
import type { Cpu, DeferredWorld, Frame, Thread, Vma, World } from './model/world.js';
import { pagesOf } from './model/world.js';

/** The knobs: CPUs, frames for InsertPfn, pages per vma, PTE routines in flight at once. */
export interface Size {
  readonly cpus: number;
  readonly frames: number;
  readonly pages: number;
  readonly routines: number;
}
export const DEFAULT_SIZE: Size = { cpus: 2, frames: 2, pages: 1, routines: 1 };

/** CPUs 0..n-1. */
const cpusOf = (z: Size): Cpu[] => Array.from({ length: z.cpus }, (_, c) => c);
/** The other CPUs: 1..n-1. */
const remoteCpus = (z: Size): Cpu[] => cpusOf(z).slice(1);
/** The InsertPfn pool: frames f1..fN. */
const pool = (z: Size): Frame[] => Array.from({ length: z.frames }, (_, i) => `f${i + 1}`);
/** A VM_LOCAL_CPU|VM_PFNMAP vma of `pages` pages (the driver's local_cpu_mmap). */
const localVma = (mm: string, va: string, pages: number): Vma => ({ pages: pagesOf(mm, va, pages), flags: ['LOCAL_CPU', 'PFNMAP'] });

/** Worlds whose frames or pages are part of the story refuse other FRAMES / PAGES / ROUTINES. */
function fixed(world: string, what: string, z: Size, knobs: readonly (keyof Size)[]): void {
  for (const k of knobs) {
    if (z[k] !== DEFAULT_SIZE[k]) {
      throw new Error(
        `${k.toUpperCase()}=${z[k]} does not apply to the ${world} world: ${what}. Leave it at ${DEFAULT_SIZE[k]}.`,
      );
    }
  }
}

/**
 * Rutland's x/y example: one mm A with a thread ti pinned to each CPU i (t0, t1 at two CPUs);
 * the VM_LOCAL_CPU|VM_PFNMAP vma x (PAGES pages), mapped and unmapped by t0 (local_cpu_mmap /
 * local_cpu_munmap); FRAMES frames for it (f1, f2). With ROUTINES=2, t1 has a vma y of its own
 * and both may map and unmap: two munmaps of one mm in flight at once.
 */
export function rutland(z: Size = DEFAULT_SIZE): World {
  const two = z.routines > 1;
  const vmas = [localVma('A', 'x', z.pages), ...(two ? [localVma('A', 'y', z.pages)] : [])];
  return {
    cpus: cpusOf(z),
    frames: pool(z),
    threads: cpusOf(z).map((c): Thread => ({ name: `t${c}`, mm: 'A', cpus: [c] })),
    vmas,
    running: cpusOf(z).map((c) => [c, `t${c}`] as const),
    insertPfn: vmas.flatMap((v) => v.pages),
    munmap: vmas.map((v) => v.pages[0]),
    mappers: two ? ['t0', 't1'] : ['t0'],
    routines: z.routines,
  };
}

/** Rutland's world where t0 may also mprotect(PROT_READ) x: a flush_tlb_range(vma) path. */
export function rutlandMprotect(z: Size = DEFAULT_SIZE): World {
  return { ...rutland(z), mprotect: ['A:x'] };
}

/** Rutland's world where t0 may also mremap x to a new range y and unmap either. */
export function rutlandMremap(z: Size = DEFAULT_SIZE): World {
  fixed('mremap', 'the second vma is the mremap target', z, ['routines']);
  const r = rutland(z);
  const y = localVma('A', 'y', z.pages);
  return { ...r, vmas: [...r.vmas, y], mremap: [{ from: 'A:x', to: 'A:y' }], munmap: ['A:x', 'A:y'] };
}

/** Rutland's world on a kernel with PCID contexts and generations (v4.14+ x86 with PCID). */
export function rutlandPcid(z: Size = DEFAULT_SIZE): World {
  return { ...rutland(z), pcid: true };
}

/**
 * Rutland's world on mainline x86: PCID, the lazy mm_cpumask of 2024-25 (sched-mainline.ts), and
 * a process u of another mm B that the remote CPUs may switch to, so they can leave A (a bit
 * stays until a trimming flush clears it). `bug`: a 2025 fix left out (sched-mainline.ts).
 */
export function rutlandMainline(z: Size = DEFAULT_SIZE, bug?: World['mainlineBug']): World {
  const r = rutland(z);
  return {
    ...r, pcid: true, lazy: 'mainline', ...(bug ? { mainlineBug: bug } : {}),
    threads: [...r.threads, { name: 'u', mm: 'B', cpus: remoteCpus(z) }],
  };
}

/**
 * A remote initiator (guide V2c, Catalin's objection; a design exercise: rmap never reaches a
 * PFNMAP PTE): a thread ti of mm A pinned to each CPU i ≥ 1 (t1 at two CPUs), with x mapped to
 * f1; kswapd on CPU 0 (init_mm loaded, not in A's mask) reclaims x. The only frame is f1.
 */
export function reclaim(z: Size = DEFAULT_SIZE): World {
  fixed('reclaim', 'its frame is fixed (f1, the page kswapd reclaims), and so is its page', z, ['frames', 'pages', 'routines']);
  return {
    cpus: cpusOf(z),
    frames: ['f1'],
    threads: remoteCpus(z).map((c): Thread => ({ name: `t${c}`, mm: 'A', cpus: [c] })),
    vmas: [localVma('A', 'x', 1)],
    running: remoteCpus(z).map((c) => [c, `t${c}`] as const),
    ptes: [['A:x', 'f1']],
    uses: [['f1', 'user']],
    reclaim: ['A:x'],
  };
}

/**
 * zuf: the zus server mm A with one ZT pinned to each CPU (zt0, zt1 at two CPUs); zt0's window
 * w0 is a fixed VA of a persistent VM_LOCAL_CPU|VM_PFNMAP vma, never unmapped. The app (mm B,
 * CPU 0) has its buffer b in frame f1; f0 is the global drain page. The app is pinned to CPU 0,
 * so only zt0 serves it; the other ZTs run the zus mm elsewhere (their own windows, which never
 * see the app page, are left out). With `mmPerZt`, zt i ≥ 1 runs in its own mm Ai.
 */
export function zuf(unmap: 'drain' | 'zap', mmPerZt: boolean, z: Size = DEFAULT_SIZE): World {
  fixed('zuf', 'its frames are fixed (f0, the drain page, and f1, the app page), and so are its pages', z, ['frames', 'pages', 'routines']);
  const ztMm = (c: Cpu) => (mmPerZt && c > 0 ? `A${c}` : 'A');
  return {
    cpus: cpusOf(z),
    frames: ['f0', 'f1'],
    threads: [
      { name: 'app', mm: 'B', cpus: [0] },
      ...cpusOf(z).map((c): Thread => ({ name: `zt${c}`, mm: ztMm(c), cpus: [c] })),
    ],
    vmas: [localVma('A', 'w0', 1), { pages: ['B:b'], flags: [] }],
    running: [[0, 'app'], ...remoteCpus(z).map((c) => [c, `zt${c}`] as const)],
    ptes: [['B:b', 'f1'], ...(unmap === 'drain' ? [['A:w0', 'f0'] as const] : [])],
    uses: [['f0', 'drain'], ['f1', 'user']],
    munmap: ['B:b'],
    zuf: { app: 'app', appKey: 'B:b', appFrame: 'f1', windows: [['zt0', 'A:w0']], drainFrame: 'f0', unmap },
  };
}

/** Rutland's world on a v4.20+ lazy-TLB kernel (guide V4): idle CPUs stay in the mm. */
export function rutlandLazy(lazy: 'gen-check' | 'no-gen-check', z: Size = DEFAULT_SIZE): World {
  return { ...rutland(z), lazy };
}

/**
 * A less scripted world, to check that the positive verdicts do not rest on pinning: t0 and t1
 * of mm A may run (and migrate) on any CPU, so may a process u of mm B; any of them maps and
 * unmaps, and kswapd may reclaim B's ordinary page z from whichever CPU is idle. t0 and t1 start
 * on CPUs 0 and 1; further CPUs start idle (the three threads stay three). With ROUTINES=2,
 * reclaim runs concurrently with a munmap.
 */
export function mixed(z: Size = DEFAULT_SIZE): World {
  const anywhere = cpusOf(z);
  return {
    cpus: cpusOf(z),
    frames: pool(z),
    threads: [
      { name: 't0', mm: 'A', cpus: anywhere },
      { name: 't1', mm: 'A', cpus: anywhere },
      { name: 'u', mm: 'B', cpus: anywhere },
    ],
    vmas: [localVma('A', 'x', z.pages), { pages: pagesOf('B', 'z', z.pages), flags: [] }],
    running: [[0, 't0'], [1, 't1']],
    insertPfn: [...pagesOf('A', 'x', z.pages), ...pagesOf('B', 'z', z.pages)],
    munmap: ['A:x', 'B:z'],
    reclaim: ['B:z'],
    routines: z.routines,
  };
}

/** Rutland's world with switch_mm loading CR3 before setting the mask bit. */
export function rutlandCr3First(z: Size = DEFAULT_SIZE): World {
  return { ...rutland(z), switchOrder: 'cr3-first' };
}

/**
 * Rutland's world on arm64 (guide §4): no mm_cpumask, ASIDs, TLBI instead of IPIs. With
 * `otherMm`, a process u of mm B may run on the remote CPUs, so they hold A's entries under A's
 * ASID while B is loaded: a broadcast TLBI must reach those too.
 */
export function rutlandArm64(z: Size = DEFAULT_SIZE, otherMm = false): World {
  const r = rutland(z);
  return { ...r, arch: 'arm64', ...(otherMm ? { threads: [...r.threads, { name: 'u', mm: 'B', cpus: remoteCpus(z) }] } : {}) };
}

/**
 * Catalin's objection to a local TLBI for single-threaded mms (guide §4.5, V5b), on arm64: the
 * mm A has one thread t1, which may run on every CPU and starts on CPU 0; it maps and unmaps x.
 * A CPU it left runs a kernel thread with TTBR0 still A, so its hardware may still walk A.
 */
export function arm64Migrating(z: Size = DEFAULT_SIZE): World {
  fixed('arm64-migrating', 'one thread moves between the CPUs; one routine at a time', z, ['routines']);
  const x = localVma('A', 'x', z.pages);
  return {
    cpus: cpusOf(z),
    frames: pool(z),
    threads: [{ name: 't1', mm: 'A', cpus: cpusOf(z) }],
    vmas: [x],
    running: [[0, 't1']],
    insertPfn: x.pages,
    munmap: [x.pages[0]],
    arch: 'arm64',
  };
}

/** Rutland's world with PCID and AMD INVLPGB: mm A has a global ASID (guide §3.7). */
export function rutlandInvlpgb(z: Size = DEFAULT_SIZE): World {
  return { ...rutlandPcid(z), invlpgb: true };
}

/** zuf's 2018 drain-page remap on arm64 (guide §4.4, V3-arm64): the window PTE goes valid -> valid. */
export function zufArm64(z: Size = DEFAULT_SIZE): World {
  return { ...zuf('drain', false, z), arch: 'arm64' };
}

/**
 * Deferred flushes (guide §3.10, §6.3 bugs 5 and 6, V5c, V6a-d): mm A with a thread ti pinned to
 * each CPU i ≥ 1 (t1 at two CPUs); t1 makes the syscalls. The vma x is one page of ordinary
 * anonymous memory, mapped to f1; the initiator (kswapd, or a migrate_vma worker) runs on CPU 0,
 * which starts idle. Two routines: the initiator's and t1's.
 */
function deferredWorld(world: string, z: Size, d: DeferredWorld, arch?: World['arch']): World {
  fixed(world, 'its page and frame are the story\'s (x mapped to f1), and it runs the initiator\'s routine and t1\'s', z, ['frames', 'pages', 'routines']);
  const x = ['A:x'];
  const frames = ['f1'];
  return {
    cpus: cpusOf(z),
    frames,
    threads: remoteCpus(z).map((c): Thread => ({ name: `t${c}`, mm: 'A', cpus: [c] })),
    vmas: [{ pages: x, flags: [] }],
    running: remoteCpus(z).map((c) => [c, `t${c}`] as const),
    ptes: x.map((k, i) => [k, frames[i]] as const),
    uses: frames.map((f) => [f, 'user'] as const),
    mappers: ['t1'],
    routines: 2,
    deferred: d,
    ...(arch ? { arch } : {}),
  };
}

/** kswapd's batched reclaim of x against t1's mprotect(PROT_READ) of x (§6.3 bug 5); `arch` arm64: V5c. */
export function batchedReclaim(pending: DeferredWorld['pending'], z: Size = DEFAULT_SIZE, arch?: World['arch']): World {
  return deferredWorld('batched-reclaim', z, { initiator: 'ubc', keys: ['A:x'], pending, mprotect: ['A:x'] }, arch);
}

/** migrate_vma collecting x against t1's MADV_DONTNEED of x (§6.3 bug 6, 60bae7370896), on a kernel with flush_tlb_batched_pending. */
export function migrateDevice(initiator: 'migrate' | 'locked', z: Size = DEFAULT_SIZE): World {
  return deferredWorld('migrate-device', z, { initiator, keys: ['A:x'], pending: 'flush', dontneed: ['A:x'] });
}

/**
 * LATR (§6.5, V6e): Rutland's mm A with a thread pinned to each CPU; x is ordinary anonymous
 * memory mapped to f1, which t0 unmaps; munmap returns before the other CPUs invalidate.
 * `gate` 'ungated': the frames are freed as munmap returns.
 */
export function latr(z: Size = DEFAULT_SIZE, gate: World['latr'] = 'gated'): World {
  fixed('latr', 'its page and frame are the story\'s (x mapped to f1)', z, ['frames', 'pages', 'routines']);
  const r = rutland(z);
  return {
    ...r, frames: ['f1'], vmas: [{ pages: ['A:x'], flags: [] }], insertPfn: undefined,
    ptes: [['A:x', 'f1']], uses: [['f1', 'user']], munmap: ['A:x'], latr: gate,
  };
}
