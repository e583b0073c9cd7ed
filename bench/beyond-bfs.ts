/**
 * `npm run bench -- --beyond`: simulation and counterexample minimisation (issue #14), measured.
 *   simulate   on configurations where the BFS's shortest counterexample is known: the time to
 *              the first violation, the walk's length, the shrunk length against the shortest
 *              (the goal: within 2 steps), for 5 seeds each; and steps/s on a spec with no
 *              violation (every walk runs to its depth).
 *   minimise   on the kernel's violations (the golden traces' rows): the BFS's time, the second
 *              pass's time and entries, the lane switches before and after.
 * Prints Markdown tables for bench/RESULTS.md.
 */
import { check, compile, selectProperties, type CompiledModel } from '../src/index.js';
import { fewestInterleavings } from '../src/core/interleavings.js';
import { shrinkFinding } from '../src/core/shrink.js';
import { simulateSync } from '../src/core/simulate.js';
import tlbbench from './tlbbench.js';
import kernel from '../spec/kernel.js';

const model = (spec: unknown, constants: Record<string, string>, props: string[]) =>
  selectProperties(compile(spec as never, Object.entries(constants)), props) as CompiledModel<unknown>;
const secs = (ms: number) => (ms / 1000).toFixed(2);

const SIM: { name: string; spec: unknown; constants: Record<string, string>; property: string; shortest: number }[] = [
  { name: 'kernel V1-hyp-munmap, 6 CPUs', spec: kernel, constants: { VARIANT: 'V1-hyp-munmap', CPUS: '6' }, property: 'NoStaleTranslation', shortest: 8 },
  { name: 'kernel V2b, 4 CPUs', spec: kernel, constants: { VARIANT: 'V2b', CPUS: '4' }, property: 'NoStaleTranslation', shortest: 13 },
  { name: 'tlbbench 4,4,4 local', spec: tlbbench, constants: { N: '4', P: '4', F: '4', MODE: 'local' }, property: 'NoStaleTranslation', shortest: 7 },
];

console.log('| configuration | seed | found after | walks | walk length | shrunk | BFS shortest | shrink replays | shrink time |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const c of SIM) {
  const m = model(c.spec, c.constants, [c.property]);
  for (const seed of [1, 2, 3, 4, 5]) {
    const r = simulateSync(m, { seed, depth: 60, timeoutMs: 60_000 });
    if (!r.found) {
      console.log(`| ${c.name} | ${seed} | not found in ${secs(r.stats.elapsedMs)} s | ${r.stats.runs} | | | ${c.shortest} | | |`);
      continue;
    }
    const s = shrinkFinding(m, r.found.finding, seed);
    console.log(`| ${c.name} | ${seed} | ${secs(r.stats.elapsedMs)} s | ${r.stats.runs} | ${r.found.finding.path.length} | ${s.finding.path.length} | ${c.shortest} | ${s.evaluations} | ${secs(s.elapsedMs)} s |`);
  }
}

console.log('');
console.log('| spec (no violation) | walks x depth | steps | time | steps/s | distinct seen | BFS distinct |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [name, spec, constants, props] of [
  ['kernel V0, 4 CPUs', kernel, { VARIANT: 'V0', CPUS: '4' }, ['NoStaleTranslation']],
  ['tlbbench 3,3,3', tlbbench, { N: '3', P: '3', F: '3' }, []],
] as const) {
  const m = model(spec, constants, [...props]);
  const r = simulateSync(m, { seed: 1, depth: 50, runs: 1000 });
  const bfs = check(m).stats.distinct;
  console.log(`| ${name} | 1,000 x 50 | ${r.stats.steps.toLocaleString('en-US')} | ${secs(r.stats.elapsedMs)} s | ${Math.round(r.stats.steps / (r.stats.elapsedMs / 1000)).toLocaleString('en-US')} | ${r.stats.distinct.toLocaleString('en-US')} | ${bfs.toLocaleString('en-US')} |`);
}

console.log('');
console.log('| kernel row | length | BFS | minimise | entries | switches before -> after |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [v, p] of [
  ['V1-hyp-munmap', 'NoStaleTranslation'], ['V1-mremap', 'NoStaleTranslation'], ['V2b', 'NoStaleTranslation'], ['V3', 'NoStaleTranslation'],
  ['V4c', 'NoStaleTranslation'], ['V0b-fea4e317', 'NoStaleTranslation'], ['V0b-83b0177a', 'NoStaleTranslation'], ['V5b', 'NoStaleTranslation'], ['V6a', 'SyscallSemantics'],
] as const) {
  const m = model(kernel, { VARIANT: v }, [p]);
  const t0 = performance.now();
  const r = check(m);
  const bfs = performance.now() - t0;
  const x = fewestInterleavings(m, r.violations[0]);
  console.log(`| ${v} ${p} | ${r.violations[0].length} | ${secs(bfs)} s | ${secs(x.elapsedMs)} s | ${x.entries.toLocaleString('en-US')} | ${x.given} -> ${x.switches} |`);
}
