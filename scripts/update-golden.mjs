#!/usr/bin/env node
/**
 * Copies the kernel verdict table's counterexamples (written by `npm start` to traces/out/kernel/)
 * to traces/kernel/, with `#meta.source` made relative to traces/kernel/, and writes their
 * regression tests, test/kernel-golden-traces.test.ts (`kripke test traces/kernel -o ...`).
 * Witness traces are left out: a golden trace claims a violation.
 *
 *   npm start && node scripts/update-golden.mjs
 */
import { spawnSync } from 'node:child_process';
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
const gen = spawnSync(process.execPath, ['bin/kripke.mjs', 'test', to, '-o', 'test/kernel-golden-traces.test.ts'], { stdio: 'inherit' });
if (gen.status !== 0) process.exit(gen.status ?? 1);
