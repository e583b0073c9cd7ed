/**
 * Frames: free, user data page, drain page, reused as a kernel page table, a page-table page
 * (of some process) or kernel data.
 * FrameAlloc is the reuse step of Rutland's argument: "after we free x, the kernel could reuse
 * the page for any purpose (e.g. kernel page tables)". Reused frames stay with the kernel.
 */
import { change } from '../../src/index.js';
import type { Actions, Ctx } from './context.js';
import type { State } from './state.js';
import { REUSE_TARGETS, type Frame, type Use } from './world.js';

export function frameActions<S extends State>({ w }: Ctx): Actions<S> {
  return {
    FrameAlloc: {
      params: { f: w.frames, use: REUSE_TARGETS },
      actor: () => 'kernel (any CPU)',
      doc: 'alloc_pages / pte_alloc_one_kernel: a free frame is reused by the kernel',
      apply: (s: S, { f, use }: { f: Frame; use: Use }) => s.frame.get(f) === 'free' && change(s).setIn(['frame', f], use),
    },
  };
}
