/**
 * kripke's version: read at run time from the package.json of the kripke package this module
 * belongs to, found by walking up from the module's own folder. That works from the sources
 * (`src/cli/version.ts`, run by tsx) and from a compiled copy (`dist/src/cli/version.js`), in
 * a checkout or in an installed package, with no version written anywhere but package.json.
 * This module imports nothing of kripke's, so it can be compiled and moved on its own.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The `version` of the nearest package.json above `from` (a module URL) whose package is kripke. */
export function versionFrom(from: string): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (typeof pkg.name === 'string' && /(^|\/)kripke$/.test(pkg.name) && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json here (or not JSON): look further up
    }
    const up = dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}

/** kripke's version (`0.1.0`), from its package.json; `unknown` if none is found. */
export function kripkeVersion(): string {
  cached ??= versionFrom(import.meta.url);
  return cached;
}
