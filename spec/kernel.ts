/**
 * The kernel spec: Linux mm, per-CPU TLBs and TLB-flush semantics (x86 v4.17), for the review of
 * the 2018 VM_LOCAL_CPU patch. One composed spec; VARIANT picks the world and the flush policy,
 * CPUS and FRAMES size the world (defaults: the size of the verdict table).
 *
 *   npx kripke check spec/kernel.ts --const VARIANT=V1 --invariant NoStaleTranslation
 *   npx kripke check spec/kernel.ts --const VARIANT=V0,CPUS=3 --invariant NoStaleTranslation
 */
import { defineSpec } from '../src/index.js';
import type { State } from './model/world.js';
import { kernelModel } from './variant.js';
import { VARIANTS, variant, variantNames } from './variants.js';
import { DEFAULT_SIZE } from './worlds.js';

export default defineSpec<State, {
  VARIANT: { default: string; values: string[]; doc: string };
  CPUS: { default: number; min: number; max: number; doc: string };
  FRAMES: { default: number; min: number; max: number; doc: string };
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
      doc: 'frames InsertPfn maps from (rutland, lazy, cr3-first, mixed worlds); fixed in the reclaim and zuf worlds',
    },
  },
  build: ({ VARIANT, CPUS, FRAMES }) => kernelModel(variant(VARIANT, { cpus: CPUS, frames: FRAMES })),
});
