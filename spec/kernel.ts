/**
 * The kernel spec: Linux mm, per-CPU TLBs and TLB-flush semantics (x86 v4.17), for the review of
 * the 2018 VM_LOCAL_CPU patch. One composed spec; VARIANT picks the world and the flush policy.
 *
 *   npx kripke check spec/kernel.ts --const VARIANT=V1 --invariant NoStaleTranslation
 */
import { defineSpec } from '../src/index.js';
import type { State } from './model/world.js';
import { kernelModel } from './variant.js';
import { VARIANTS, variant, variantNames } from './variants.js';

export default defineSpec<State, { VARIANT: { default: string; values: string[]; doc: string } }>({
  name: 'kernel',
  doc: 'Linux mm + per-CPU TLBs + flush policies (VM_LOCAL_CPU review). Variants: ' +
    VARIANTS.map((v) => `${v.name}: ${v.doc}`).join('; '),
  constants: {
    VARIANT: { default: 'V0', values: variantNames, doc: 'world + flush policy (see spec/README.md)' },
  },
  build: ({ VARIANT }) => kernelModel(variant(VARIANT)),
});
