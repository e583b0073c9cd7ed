/**
 * The worlds the variants run in (guide §7.5 setups), each as small as its story allows, and
 * each a function of the size (`CPUS`, `FRAMES` of spec/kernel.ts). At the default size every
 * world is exactly the two-CPU setup the verdicts and golden traces were taken in; more CPUs add
 * more of what the story already has on CPU 1 (a pinned thread of the shared mm, a ZT), so a
 * story never changes, it only gets more bystanders.
 */
import type { Cpu, Frame, Thread, World } from './model/world.js';

/** The knobs: how many CPUs, and how many frames a world's InsertPfn maps from. */
export interface Size {
  readonly cpus: number;
  readonly frames: number;
}
export const DEFAULT_SIZE: Size = { cpus: 2, frames: 2 };

/** CPUs 0..n-1. */
const cpusOf = (z: Size): Cpu[] => Array.from({ length: z.cpus }, (_, c) => c);
/** The other CPUs: 1..n-1. */
const remoteCpus = (z: Size): Cpu[] => cpusOf(z).slice(1);
/** The InsertPfn pool: frames f1..fN. */
const pool = (z: Size): Frame[] => Array.from({ length: z.frames }, (_, i) => `f${i + 1}`);

/** Worlds whose frames are part of the story (no InsertPfn pool) refuse another FRAMES. */
function fixedFrames(world: string, frames: string, z: Size): void {
  if (z.frames !== DEFAULT_SIZE.frames) {
    throw new Error(
      `FRAMES=${z.frames} does not apply to the ${world} world: its frames are fixed (${frames}). ` +
      `FRAMES sizes the InsertPfn pool of the rutland, lazy, cr3-first and mixed worlds; leave it at ${DEFAULT_SIZE.frames}.`,
    );
  }
}

/**
 * Rutland's x/y example: one mm A with a thread ti pinned to each CPU i (t0, t1 at two CPUs);
 * the page x of a VM_LOCAL_CPU|VM_PFNMAP vma, mapped and unmapped by t0 (local_cpu_mmap /
 * local_cpu_munmap); FRAMES frames for it (f1, f2).
 */
export function rutland(z: Size = DEFAULT_SIZE): World {
  return {
    cpus: cpusOf(z),
    frames: pool(z),
    threads: cpusOf(z).map((c): Thread => ({ name: `t${c}`, mm: 'A', cpus: [c] })),
    vmas: [['A:x', ['LOCAL_CPU', 'PFNMAP']]],
    running: cpusOf(z).map((c) => [c, `t${c}`] as const),
    insertPfn: ['A:x'],
    munmap: ['A:x'],
    mappers: ['t0'],
  };
}

/**
 * A remote initiator (guide V2c, Catalin's objection): a thread ti of mm A pinned to each CPU
 * i ≥ 1 (t1 at two CPUs), with x mapped to f1; kswapd on CPU 0 (init_mm loaded, not in A's
 * mask) reclaims x. The only frame is f1.
 */
export function reclaim(z: Size = DEFAULT_SIZE): World {
  fixedFrames('reclaim', 'f1, the page kswapd reclaims', z);
  return {
    cpus: cpusOf(z),
    frames: ['f1'],
    threads: remoteCpus(z).map((c): Thread => ({ name: `t${c}`, mm: 'A', cpus: [c] })),
    vmas: [['A:x', ['LOCAL_CPU', 'PFNMAP']]],
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
  fixedFrames('zuf', 'f0, the drain page, and f1, the app page', z);
  const ztMm = (c: Cpu) => (mmPerZt && c > 0 ? `A${c}` : 'A');
  return {
    cpus: cpusOf(z),
    frames: ['f0', 'f1'],
    threads: [
      { name: 'app', mm: 'B', cpus: [0] },
      ...cpusOf(z).map((c): Thread => ({ name: `zt${c}`, mm: ztMm(c), cpus: [c] })),
    ],
    vmas: [
      ['A:w0', ['LOCAL_CPU', 'PFNMAP']],
      ['B:b', []],
    ],
    running: [[0, 'app'], ...remoteCpus(z).map((c) => [c, `zt${c}`] as const)],
    ptes: [['B:b', 'f1'], ...(unmap === 'drain' ? [['A:w0', 'f0'] as const] : [])],
    uses: [['f0', 'drain'], ['f1', 'user']],
    munmap: ['B:b'],
    zuf: { app: 'app', appKey: 'B:b', appFrame: 'f1', windows: [['zt0', 'A:w0']], drainFrame: 'f0', unmap },
  };
}

/** Rutland's world on a lazy-TLB kernel (v4.19+ semantics, guide V4): idle CPUs stay in the mm. */
export function rutlandLazy(lazy: 'gen-check' | 'no-gen-check', z: Size = DEFAULT_SIZE): World {
  return { ...rutland(z), lazy };
}

/**
 * A less scripted world, to check that the positive verdicts do not rest on pinning: t0 and t1
 * of mm A may run (and migrate) on any CPU, so may a process u of mm B; any of them maps and
 * unmaps, and kswapd may reclaim A's page from whichever CPU is idle. t0 and t1 start on CPUs 0
 * and 1; further CPUs start idle (the three threads stay three).
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
    vmas: [['A:x', ['LOCAL_CPU', 'PFNMAP']], ['B:z', []]],
    running: [[0, 't0'], [1, 't1']],
    insertPfn: ['A:x', 'B:z'],
    munmap: ['A:x', 'B:z'],
    reclaim: ['A:x'],
  };
}

/** Rutland's world with switch_mm loading CR3 before setting the mask bit. */
export function rutlandCr3First(z: Size = DEFAULT_SIZE): World {
  return { ...rutland(z), switchOrder: 'cr3-first' };
}
