/**
 * A hand-made annotated trace for the viewer's tests: arrows of every shape (to a later step in
 * another lane, to the same lane, and one nobody received) and spec strings that try to inject
 * HTML and script. A page that runs any of it sets `window.__pwned`.
 */
import type { AnnotatedTrace } from '../../src/trace/annotate.js';

export const EVIL_LANE = 'CPU 2 <b>"x"</b>';
export const EVIL_LABEL = 'IPI <script>window.__pwned=1</script>';

export const hostileTrace: AnnotatedTrace = {
  spec: 'demo <img src=x onerror="window.__pwned=3">',
  constants: "N=2, MODE='<i>'",
  claim: { property: 'NoStale<script>window.__pwned=2</script>', kind: 'invariant', reason: 'CPU 2 reads f1 </script><script>window.__pwned=4</script>' },
  lanes: ['CPU 0', 'CPU 1', EVIL_LANE],
  steps: [
    { n: 1, lane: '', anchors: [], changes: ['pte = ["x": "f1"]'], hidden: 0, state: ['pte = ["x": "f1"]'], notes: [], send: [], receive: [] },
    {
      n: 2,
      action: 'Unmap(c=0)',
      name: 'Unmap',
      actor: 'thread t0 on CPU 0',
      lane: 'CPU 0',
      doc: 'zap_pte_range & flush <local>',
      anchors: [{ file: 'mm/memory.c', fn: 'zap_pte_range', version: 'v4.17', line: 1300 }, { file: 'arch/x86/mm/tlb.c', version: 'mainline 6.15' }],
      changes: ['pte[x]: "f1" -> ""'],
      hidden: 2,
      state: ['pte = ["x": ""]'],
      notes: ['mask read {0, 1} <u>before</u> the store'],
      send: [{ id: 'ipi1', to: 'CPU 1', label: EVIL_LABEL }],
      receive: [],
    },
    { n: 3, action: 'FlushIpi(c=1)', name: 'FlushIpi', actor: 'CPU 1', lane: 'CPU 1', anchors: [], changes: [], hidden: 0, state: ['pte = ["x": ""]'], notes: [], send: [], receive: ['ipi1'] },
    {
      n: 4,
      action: 'Lazy(c=0)',
      name: 'Lazy',
      actor: 'CPU 0',
      lane: 'CPU 0',
      anchors: [],
      changes: [],
      hidden: 0,
      state: ['pte = ["x": ""]'],
      notes: [],
      send: [{ id: 'ipi2', to: EVIL_LANE, label: 'IPI 2' }, { id: 'self', to: 'CPU 0', label: 'wake' }],
      receive: [],
    },
    { n: 5, action: 'Wake(c=0)', name: 'Wake', actor: 'CPU 0', lane: 'CPU 0', anchors: [], changes: [], hidden: 0, state: ['pte = ["x": ""]'], notes: [], send: [], receive: ['self'] },
    { n: 6, action: 'Load(c=2)', name: 'Load', actor: 'HW', lane: EVIL_LANE, anchors: [], changes: ['tlb[2][x]: (added) "f1"'], hidden: 0, state: ['pte = ["x": ""]', 'tlb = [2: ["x": "f1"]]'], notes: [], send: [], receive: [] },
  ],
  arrows: [
    { from: 2, to: 3, fromLane: 'CPU 0', toLane: 'CPU 1', label: EVIL_LABEL },
    { from: 4, fromLane: 'CPU 0', toLane: EVIL_LANE, label: 'IPI 2' },
    { from: 4, to: 5, fromLane: 'CPU 0', toLane: 'CPU 0', label: 'wake' },
  ],
  notes: ['explain of Load(c=2) threw: <oops>'],
  hiding: 'bookkeeping',
};
