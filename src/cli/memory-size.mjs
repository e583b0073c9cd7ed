// Memory sizes for `--memory`, shared by the CLI (TypeScript) and bin/kripke.mjs (plain Node,
// which raises Node's heap limit to the budget before the CLI starts). Types: memory-size.d.mts.
import { totalmem } from 'node:os';

const UNITS = { '': 1, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** Share of the machine's memory (or of the cgroup limit) that a run may use by default. */
export const DEFAULT_SHARE = 0.7;

/** Bytes of a size such as `8GiB`, `512M`, `1.5g`, `1000000`; null if it is not one. */
export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?|(b))?$/i.exec(String(text).trim());
  if (!m) return null;
  const bytes = Math.floor(Number(m[1]) * UNITS[(m[2] ?? m[3] ?? '').toLowerCase()]);
  return bytes > 0 ? bytes : null;
}

/** The default budget: a share of the machine's memory, or of the cgroup limit if lower. */
export function defaultBudget() {
  const total = totalmem();
  const limit = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  return Math.floor((limit > 0 && limit < total ? limit : total) * DEFAULT_SHARE);
}

/** The value of `--memory` in raw arguments (`--memory X` or `--memory=X`), if given. */
export function memoryArg(argv) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--memory') return argv[i + 1];
    if (argv[i].startsWith('--memory=')) return argv[i].slice('--memory='.length);
  }
  return undefined;
}
