/**
 * A fresh user project that installs kripke from its tarball, offline: its package-lock.json is
 * made from kripke's own (the packages `npm ci` already put in the npm cache) plus the tarball,
 * and `npm ci --offline` installs it. Used by package.test.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '..', '..');
/** What a user project needs besides kripke: its peer, and the compiler for a type check. */
const WANT = ['immutable', 'fast-check', 'pure-rand', 'tsx', 'esbuild', 'typescript', '@types/node', 'undici-types', 'get-tsconfig', 'resolve-pkg-maps', 'fsevents'];

/** Builds the package and packs it into `dir`; returns the tarball's path. */
export function packKripke(dir: string): string {
  run(process.execPath, [join(REPO, 'scripts', 'build.mjs')], REPO);
  const out = run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], REPO).trim().split('\n').at(-1)!;
  return join(dir, out);
}

/** Creates a project in `dir` ('module' or 'commonjs') with kripke installed from `tarball`. */
export function userProject(dir: string, tarball: string, type: 'module' | 'commonjs'): void {
  mkdirSync(dir, { recursive: true });
  copyFileSync(tarball, join(dir, 'kripke.tgz'));
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8'));
  const pkgs: Record<string, Record<string, unknown>> = {};
  for (const [k, v] of Object.entries(lock.packages as Record<string, Record<string, unknown>>)) {
    const name = k.replace(/^node_modules\//, '');
    if (k.startsWith('node_modules/') && (WANT.includes(name) || name.startsWith('@esbuild/'))) {
      const { dev: _dev, peer: _peer, ...rest } = v;
      pkgs[k] = rest;
    }
  }
  const version = (n: string) => pkgs[`node_modules/${n}`].version as string;
  const deps = { kripke: 'file:kripke.tgz', immutable: version('immutable'), typescript: version('typescript'), '@types/node': version('@types/node') };
  const pj = { name: `user-${type}`, version: '1.0.0', private: true, type, dependencies: deps };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pj, null, 2));
  const kpj = JSON.parse(execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' }));
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const kripke = { version: kpj.version, resolved: 'file:kripke.tgz', integrity, license: kpj.license, dependencies: kpj.dependencies, peerDependencies: kpj.peerDependencies, bin: kpj.bin, engines: kpj.engines };
  const packages = { '': { name: pj.name, version: pj.version, dependencies: deps }, 'node_modules/kripke': kripke, ...pkgs };
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: pj.name, version: pj.version, lockfileVersion: 3, requires: true, packages }, null, 2));
  run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], dir);
}

/** Runs a command; returns stdout, throws with its output if it fails. */
export function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Runs a command; returns its exit code and output. */
export function attempt(cmd: string, args: string[], cwd: string): { code: number; out: string; err: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
