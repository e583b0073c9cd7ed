/**
 * `kripke --version`, `kripke help <command>` and `kripke <command> --help`: each command's own
 * options, from the one table that also decides which options a command accepts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ALLOWED, COMMAND_NAMES, OPTION_TABLE } from '../../src/cli/options.js';
import { kripke, kripkeBin, tempDir } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

describe('kripke --version', () => {
  it("prints 'kripke <version>' from package.json, exit 0 (in-process and through the bin)", async () => {
    const r = await kripke('--version');
    expect(r).toEqual({ code: 0, out: `kripke ${VERSION}`, err: '' });
    const b = kripkeBin('--version');
    expect(b.code).toBe(0);
    expect(b.out).toBe(`kripke ${VERSION}\n`);
  });
  it('refuses an argument after it', async () => {
    const r = await kripke('--version', 'check');
    expect(r.code).toBe(151);
    expect(r.err).toBe("kripke: error: unexpected argument 'check'\n");
  });

  /** version.ts compiled to JavaScript at `dir/rel`, imported, asked for its version. */
  async function compiledVersion(dir: string, rel: string): Promise<string> {
    const src = readFileSync(join(ROOT, 'src', 'cli', 'version.ts'), 'utf8');
    const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), js);
    const mod = await import(pathToFileURL(join(dir, rel)).href);
    return mod.kripkeVersion();
  }

  it('works from a compiled copy: dist/src/cli/version.js finds the package.json above dist/', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'kripke', version: '9.8.7-test' }));
    expect(await compiledVersion(dir, 'dist/src/cli/version.js')).toBe('9.8.7-test');
  });
  it('and a package.json two levels up (dist/package.json) if it is kripke\'s; another package\'s is skipped', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'kripke', version: '1.0.0-root' }));
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'package.json'), JSON.stringify({ name: 'kripke', version: '2.0.0-dist' }));
    mkdirSync(join(dir, 'dist', 'src'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'src', 'package.json'), JSON.stringify({ type: 'module' }));
    expect(await compiledVersion(dir, 'dist/src/cli/version.js')).toBe('2.0.0-dist');
  });
});

describe('help', () => {
  it("'kripke help <command>' is 'kripke <command> --help' (and -h), exit 0", async () => {
    for (const c of COMMAND_NAMES) {
      const a = await kripke('help', c);
      const b = await kripke(c, '--help');
      const h = await kripke(c, '-h');
      expect(a.code).toBe(0);
      expect(a.err).toBe('');
      expect(b).toEqual(a);
      expect(h).toEqual(a);
      expect(a.out).toMatch(new RegExp(`^Usage: kripke ${c} `));
    }
  });
  it("each command's help lists exactly the options it accepts", async () => {
    for (const c of COMMAND_NAMES) {
      const text = (await kripke('help', c)).out;
      const listed = [...text.matchAll(/^ {2}(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]);
      expect(listed, c).toEqual(ALLOWED[c]);
      for (const name of Object.keys(OPTION_TABLE)) {
        const accepted = !(await kripke(c, `--${name}`, ...(OPTION_TABLE[name as keyof typeof OPTION_TABLE].type === 'string' ? ['x'] : []))).err.includes('does not apply');
        expect(accepted, `${c} --${name}`).toBe(ALLOWED[c].includes(name));
      }
    }
  });
  it('check and suite help differ: --workers and --continue are check options, --only a suite option', async () => {
    const check = (await kripke('check', '--help')).out;
    const suite = (await kripke('suite', '--help')).out;
    expect(check).toMatch(/--workers N/);
    expect(check).not.toMatch(/--only/);
    expect(suite).toMatch(/--only VARIANT/);
    expect(suite).not.toMatch(/--workers|--continue/);
    expect((await kripke('list', '--help')).out).not.toMatch(/--out|--invariant/);
  });
  it("the general help names 'kripke help <command>' and --version; 'kripke help help' is the same text", async () => {
    const r = await kripke('help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/kripke help \[<command>\]/);
    expect(r.out).toMatch(/kripke --version/);
    expect((await kripke('help', 'help')).out).toBe(r.out);
    expect((await kripke('--help')).out).toBe(r.out);
    expect((await kripke('--help', 'suite')).out).toBe((await kripke('help', 'suite')).out);
  });
  it("'kripke help frob' is exit 151 and one line", async () => {
    const r = await kripke('help', 'frob');
    expect(r.code).toBe(151);
    expect(r.out).toBe('');
    expect(r.err).toBe(`kripke: error: unknown command 'frob' (commands: ${[...COMMAND_NAMES, 'help'].join(', ')})\n`);
    expect((await kripke('help', 'check', 'extra')).code).toBe(151);
  });
  it('help lines fit in 100 columns', async () => {
    for (const c of COMMAND_NAMES) for (const l of (await kripke('help', c)).out.split('\n')) expect(l.length, l).toBeLessThanOrEqual(100);
  });
});
