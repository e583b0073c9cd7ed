/**
 * tsx, which lets spec modules be TypeScript, registered once per thread. The installed CLI
 * loads its own compiled JavaScript first, without loader hooks (hooks make every later import
 * slower), and registers tsx only when it loads a spec module; a source checkout's bin and the
 * parallel workers register it at start-up and mark it here.
 */
const REGISTERED = Symbol.for('kripke.tsx-registered');

type Flagged = typeof globalThis & { [REGISTERED]?: boolean };

/** Registers tsx in this thread unless it already is. */
export async function ensureTsx(): Promise<void> {
  const g = globalThis as Flagged;
  if (g[REGISTERED]) return;
  g[REGISTERED] = true;
  const { register } = await import('tsx/esm/api');
  register();
}
