/**
 * The kernel spec: Linux mm, per-CPU TLBs and TLB-flush semantics (x86 v4.17, PCID contexts and
 * mainline's lazy mm_cpumask), for the review of the 2018 VM_LOCAL_CPU patch. One composed spec;
 * VARIANT picks the world and the flush policy, CPUS, FRAMES, PAGES and ROUTINES size the world
 * (defaults: the size of the verdict table).
 *
 *   npx kripke check spec/kernel.ts --const VARIANT=V1-mremap --invariant NoStaleTranslation
 *   npx kripke check spec/kernel.ts --const VARIANT=V0,CPUS=3 --invariant NoStaleTranslation
 */
import { defineSpec } from '../src/index.js';
import type { KernelState } from './model/state.js';
import { mutatedModel } from './variant.js';
import { VARIANTS, variant, variantNames } from './variants.js';
import { DEFAULT_SIZE } from './worlds.js';

export default defineSpec<KernelState, {
  VARIANT: { default: string; values: string[]; doc: string };
  CPUS: { default: number; min: number; max: number; doc: string };
  FRAMES: { default: number; min: number; max: number; doc: string };
  PAGES: { default: number; min: number; max: number; doc: string };
  ROUTINES: { default: number; min: number; max: number; doc: string };
}>({
  name: 'kernel',
  doc: 'Linux mm + per-CPU TLBs + flush policies (VM_LOCAL_CPU review). Variants: ' +
    VARIANTS.map((v) => `${v.name}: ${v.doc}`).join('; '),
  constants: {
    VARIANT: { default: 'V0', values: variantNames, doc: 'world + flush policy (see spec/README.md)' },
    CPUS: {
      default: DEFAULT_SIZE.cpus, min: 2, max: 8,
      doc: 'CPUs; each further CPU gets what CPU 1 has: a pinned thread of the shared mm, or a ZT (mixed: more room to migrate)',
    },
    FRAMES: {
      default: DEFAULT_SIZE.frames, min: 1, max: 8,
      doc: 'frames InsertPfn maps from (rutland-based and mixed worlds); fixed in the reclaim and zuf worlds',
    },
    PAGES: {
      default: DEFAULT_SIZE.pages, min: 1, max: 4,
      doc: 'pages per vma: munmap, mprotect and mremap change them all and flush the range (rutland-based and mixed worlds)',
    },
    ROUTINES: {
      default: DEFAULT_SIZE.routines, min: 1, max: 2,
      doc: 'PTE routines in flight at once: 2 = two munmaps of one mm (rutland: t1 gets a vma y), or reclaim concurrent with munmap (mixed)',
    },
  },
  build: ({ VARIANT, CPUS, FRAMES, PAGES, ROUTINES }, mutation) =>
    mutatedModel(variant(VARIANT, { cpus: CPUS, frames: FRAMES, pages: PAGES, routines: ROUTINES }), mutation),
});
