#!/usr/bin/env node
/**
 * Copies the kernel verdict table's counterexamples (written by `npm start` to traces/out/kernel/)
 * to traces/kernel/, the golden traces test/golden.test.ts replays, with `#meta.source` made
 * relative to traces/kernel/. Witness traces are left out: a golden trace claims a violation.
 *
 *   npm start && node scripts/update-golden.mjs
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const from = 'traces/out/kernel';
const to = 'traces/kernel';
rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
let n = 0;
for (const name of readdirSync(from).sort()) {
  if (!name.endsWith('.itf.json') || name.endsWith('-witness.itf.json')) continue;
  const doc = JSON.parse(readFileSync(join(from, name), 'utf8'));
  doc['#meta'].source = relative(to, resolve(from, doc['#meta'].source));
  writeFileSync(join(to, name), JSON.stringify(doc, null, 2) + '\n');
  n++;
}
console.log(`${n} golden traces in ${to}/`);
