#!/usr/bin/env node
// Builds the package: `tsc -p tsconfig.build.json` compiles src/, spec/ and invariants/ to dist/
// (JavaScript and .d.ts), then the few plain-JS modules tsc does not copy go beside them.
// Runs as `prepare` (so `npm ci` and `npm pack` build it) and `npm run build`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const PLAIN = ['src/core/worker-entry.mjs', 'src/cli/memory-size.mjs', 'src/cli/memory-size.d.mts'];

rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
for (const f of PLAIN) {
  mkdirSync(dirname(join(root, 'dist', f)), { recursive: true });
  copyFileSync(join(root, f), join(root, 'dist', f));
}
