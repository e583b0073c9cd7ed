/**
 * Output files are written atomically: to a temporary file beside the target, then renamed, so
 * a reader never sees a half-written trace or result, and a failed write leaves the old file.
 * Temporary files are named `.<target>.<pid>.kripke-tmp`; one left behind by a killed run (its
 * process gone) is removed by the next write to that folder.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const TMP = /^\.(.+)\.(\d+)\.kripke-tmp$/;

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temporary files of runs that are gone from folder `dir`. */
export function sweepTemporaries(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = TMP.exec(name);
    if (m && !alive(Number(m[2]))) rmSync(join(dir, name), { force: true });
  }
}

/** Writes `text` to `path` atomically (creating its folder). Throws the OS error on failure. */
export function writeFileAtomic(path: string, text: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  sweepTemporaries(dir);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.kripke-tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** One line for a failed write: the path and the OS error (`EACCES: permission denied`). */
export function writeError(path: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const why = err.code ? `${err.code}: ${String(err.message).replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')}` : String(err?.message ?? e);
  return `cannot write ${path}: ${why}`;
}

/** A file-name-safe version of a label. */
export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}
