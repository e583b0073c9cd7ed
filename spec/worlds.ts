/**
 * The worlds the variants run in (guide §7.5 setups), each as small as its story allows.
 */
import type { World } from './model/world.js';

/**
 * Rutland's x/y example: one mm A with threads t0 (pinned to CPU 0) and t1 (pinned to CPU 1);
 * the page x of a VM_LOCAL_CPU|VM_PFNMAP vma, mapped and unmapped by t0 (local_cpu_mmap /
 * local_cpu_munmap); two frames for it.
 */
export const rutland: World = {
  cpus: [0, 1],
  frames: ['f1', 'f2'],
  threads: [
    { name: 't0', mm: 'A', cpus: [0] },
    { name: 't1', mm: 'A', cpus: [1] },
  ],
  vmas: [['A:x', ['LOCAL_CPU', 'PFNMAP']]],
  running: [[0, 't0'], [1, 't1']],
  insertPfn: ['A:x'],
  munmap: ['A:x'],
  mappers: ['t0'],
};

/**
 * A remote initiator (guide V2c, Catalin's objection): t1 of mm A pinned to CPU 1 with x mapped
 * to f1; kswapd on CPU 0 (init_mm loaded, not in A's mask) reclaims x.
 */
export const reclaim: World = {
  cpus: [0, 1],
  frames: ['f1'],
  threads: [{ name: 't1', mm: 'A', cpus: [1] }],
  vmas: [['A:x', ['LOCAL_CPU', 'PFNMAP']]],
  running: [[1, 't1']],
  ptes: [['A:x', 'f1']],
  uses: [['f1', 'user']],
  reclaim: ['A:x'],
};

/**
 * zuf: the zus server mm A with ZT threads zt0 (CPU 0) and zt1 (CPU 1); zt0's window w0 is a
 * fixed VA of a persistent VM_LOCAL_CPU|VM_PFNMAP vma, never unmapped. The app (mm B, CPU 0)
 * has its buffer b in frame f1; f0 is the global drain page.
 */
export function zuf(unmap: 'drain' | 'zap', mmPerZt: boolean): World {
  const zt1mm = mmPerZt ? 'A1' : 'A';
  return {
    cpus: [0, 1],
    frames: ['f0', 'f1'],
    threads: [
      { name: 'app', mm: 'B', cpus: [0] },
      { name: 'zt0', mm: 'A', cpus: [0] },
      { name: 'zt1', mm: zt1mm, cpus: [1] },
    ],
    vmas: [
      ['A:w0', ['LOCAL_CPU', 'PFNMAP']],
      ['B:b', []],
    ],
    running: [[0, 'app'], [1, 'zt1']],
    ptes: [['B:b', 'f1'], ...(unmap === 'drain' ? [['A:w0', 'f0'] as const] : [])],
    uses: [['f0', 'drain'], ['f1', 'user']],
    munmap: ['B:b'],
    zuf: { app: 'app', appKey: 'B:b', appFrame: 'f1', windows: [['zt0', 'A:w0']], drainFrame: 'f0', unmap },
  };
}

/** Rutland's world on a lazy-TLB kernel (v4.19+ semantics, guide V4): idle CPUs stay in the mm. */
export function rutlandLazy(lazy: 'gen-check' | 'no-gen-check'): World {
  return { ...rutland, lazy };
}

/**
 * A less scripted world, to check that the positive verdicts do not rest on pinning: t0 and t1
 * of mm A may run (and migrate) on either CPU, so may a process u of mm B; any of them maps and
 * unmaps, and kswapd may reclaim A's page from whichever CPU is idle.
 */
export const mixed: World = {
  cpus: [0, 1],
  frames: ['f1', 'f2'],
  threads: [
    { name: 't0', mm: 'A', cpus: [0, 1] },
    { name: 't1', mm: 'A', cpus: [0, 1] },
    { name: 'u', mm: 'B', cpus: [0, 1] },
  ],
  vmas: [['A:x', ['LOCAL_CPU', 'PFNMAP']], ['B:z', []]],
  running: [[0, 't0'], [1, 't1']],
  insertPfn: ['A:x', 'B:z'],
  munmap: ['A:x', 'B:z'],
  reclaim: ['A:x'],
};

/** Rutland's world with switch_mm loading CR3 before setting the mask bit. */
export const rutlandCr3First: World = { ...rutland, switchOrder: 'cr3-first' };
