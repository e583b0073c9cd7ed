/**
 * Spec modules load from any folder and in any module flavour (.ts, .mts, .cts, .js, .mjs, .cjs),
 * or fail with one line naming the file, and for a syntax error the line, column and message.
 * Temp specs import kripke by the absolute path of the repo's src/index.ts.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FIX, kripke, kripkeBin, type Run } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const INDEX = join(ROOT, 'src', 'index.ts');
const IMMUTABLE = join(ROOT, 'node_modules', 'immutable', 'dist', 'immutable.js'); // the copy kripke uses
const IMPORT_KRIPKE = `import { defineSpec, violated } from ${JSON.stringify(pathToFileURL(INDEX).href)};
import { Record } from ${JSON.stringify(pathToFileURL(IMMUTABLE).href)};`;

/** A counter whose invariant `Small` fails at 3 (exit 12); `ts` adds type annotations. */
function counter(ts: boolean): string {
  const s = ts ? 's: { n: number }' : 's';
  return `${IMPORT_KRIPKE}
const S = Record({ n: 0 });
export default defineSpec({
  name: 'counter',
  build: () => ({
    init: S(),
    deadlock: false,
    actions: { Inc: { apply: (${s}) => s.n < 3 && S({ n: s.n + 1 }) } },
    invariants: { Small: (${s}) => s.n < 3 || violated('n reached ' + s.n) },
  }),
});
`;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fresh folder under os.tmpdir() holding `files`; `type` writes a package.json with that "type". */
function folder(files: Record<string, string>, type?: 'module' | 'commonjs'): string {
  const dir = mkdtempSync(join(tmpdir(), 'kripke-load-'));
  dirs.push(dir);
  if (type) writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-specs', type }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** `text` as a literal in a RegExp. */
function re(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function oneLine(r: Run): string {
  expect(r.code).toBe(150);
  const lines = r.err.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(r.err).not.toMatch(/\n\s+at /);
  return lines[0];
}

function violates(r: Run): void {
  expect(r.err).toBe('');
  expect(r.code).toBe(12);
  expect(r.out).toMatch(/Error: Invariant Small is violated: n reached 3/);
}

describe('syntax errors name the file, line and column', () => {
  const expected = `kripke: error: cannot load ${FIX}/syntax-error.ts: ${FIX}/syntax-error.ts:1:44: Expected "}" but found ";"`;
  it('in-process', async () => {
    expect(oneLine(await kripke('check', `${FIX}/syntax-error.ts`))).toBe(expected);
  });
  it('through the bin (tsx)', () => {
    expect(oneLine(kripkeBin('check', `${FIX}/syntax-error.ts`))).toBe(expected);
  });
  it('an error in a module the spec imports names that module', async () => {
    const dir = folder({
      'spec.ts': `import { limit } from './lib/limit.ts';\n${counter(true).replace('s.n < 3 ||', 's.n < limit ||')}`,
      'lib/limit.ts': `// the limit\nexport const limit: number = (3;\n`,
    }, 'module');
    const want = `cannot load ${join(dir, 'spec.ts')}: ${join(dir, 'lib', 'limit.ts')}:2:32: Expected ")" but found ";"`;
    expect(oneLine(kripkeBin('check', join(dir, 'spec.ts')))).toBe(`kripke: error: ${want}`);
    expect(oneLine(await kripke('check', join(dir, 'spec.ts')))).toBe(`kripke: error: ${want}`);
  });
  it('a JavaScript spec: V8 gives no position, the line says where anyway', () => {
    const dir = folder({ 'spec.mjs': `${IMPORT_KRIPKE}\nexport default defineSpec({ name: 'x' ;\n` });
    expect(oneLine(kripkeBin('check', join(dir, 'spec.mjs')))).toMatch(new RegExp(`: ${re(join(dir, 'spec.mjs'))}:3:39: Expected "}" but found ";"$`));
  });
  it('a missing export names the importing module and the position', () => {
    const dir = folder({ 'spec.mjs': `${IMPORT_KRIPKE}\nimport { nothing } from './lib.mjs';\nexport default nothing;\n`, 'lib.mjs': 'export const something = 1;\n' });
    expect(oneLine(kripkeBin('check', join(dir, 'spec.mjs')))).toMatch(new RegExp(`: ${re(join(dir, 'spec.mjs'))}:3:10: The requested module './lib.mjs' does not provide an export named 'nothing'$`));
  });
  it('a module that throws while imported is named with the position', () => {
    const dir = folder({ 'spec.ts': `import './side.ts';\n${counter(true)}`, 'side.ts': `export {};\nthrow new Error('no config');\n` }, 'commonjs');
    expect(oneLine(kripkeBin('check', join(dir, 'spec.ts')))).toMatch(new RegExp(`: no config \\(at ${re(join(dir, 'side.ts'))}:2:7\\)$`));
  });
  it('a CommonJS helper that throws while imported is named, and nothing follows the line', () => {
    const spec = `import { limit } from './limit.ts';\n${counter(true).replace('s.n < 3 ||', 's.n < limit ||')}`;
    const dir = folder({ 'spec.ts': spec, 'limit.ts': `exports.limit = 3;\nthrow new Error('no limit today');\n` }, 'commonjs');
    expect(oneLine(kripkeBin('check', join(dir, 'spec.ts')))).toMatch(new RegExp(`: no limit today \\(at ${re(join(dir, 'limit.ts'))}\\)$`));
  });
});

describe('specs outside the project load, in any folder and flavour', () => {
  for (const type of [undefined, 'commonjs', 'module'] as const) {
    const where = type ? `a "type": "${type}" folder` : 'a folder without package.json';
    it(`${where}: .ts, .mts, .cts, .js and .mjs specs check (exit 12, the expected violation)`, () => {
      const dir = folder({ 'a.ts': counter(true), 'b.mts': counter(true), 'c.cts': counter(true), 'd.js': counter(false), 'e.mjs': counter(false) }, type);
      for (const f of ['a.ts', 'b.mts', 'c.cts', 'd.js', 'e.mjs']) violates(kripkeBin('check', join(dir, f), '--quiet', '--out', dir));
    });
  }

  it('a .mts spec in a CommonJS folder importing a local .ts helper that imports kripke', () => {
    const limit = `import { range } from ${JSON.stringify(pathToFileURL(INDEX).href)};\nexport const limit: number = range(1, 3).length;\n`;
    const dir = folder({ 'spec.mts': `import { limit } from './limit.ts';\n${counter(true).replace('s.n < 3 ||', 's.n < limit ||')}`, 'limit.ts': limit }, 'commonjs');
    violates(kripkeBin('check', join(dir, 'spec.mts'), '--quiet', '--out', dir));
  });

  it("a spec importing 'immutable' from its own folder (a second copy of immutable) checks and replays", () => {
    const spec = `import { Record } from 'immutable';
${IMPORT_KRIPKE.replace('violated', 'violated, change')}
const S = Record({ n: 0, log: 'start' });
export default defineSpec({
  name: 'records',
  build: () => ({
    init: S(),
    deadlock: false,
    actions: { Inc: { apply: (s: ReturnType<typeof S>) => s.n < 3 && change(s).set('n', s.n + 1).set('log', 'inc') } },
    invariants: { Small: (s: ReturnType<typeof S>) => s.n < 3 || violated('n reached ' + s.n) },
  }),
});
`;
    const dir = folder({ 'spec.ts': spec }, 'commonjs');
    cpSync(join(ROOT, 'node_modules', 'immutable'), join(dir, 'node_modules', 'immutable'), { recursive: true });
    violates(kripkeBin('check', join(dir, 'spec.ts'), '--quiet', '--out', dir));
    const replay = kripkeBin('replay', join(dir, 'records-Small.itf.json'));
    expect(replay.err).toBe('');
    expect(replay.code).toBe(0);
  });

  it('a CommonJS spec (.cjs, require and module.exports) that requires kripke checks', () => {
    const cjs = `const { defineSpec, violated } = require(${JSON.stringify(INDEX)});
const { Record } = require(${JSON.stringify(IMMUTABLE)});
const S = Record({ n: 0 });
module.exports = defineSpec({
  name: 'counter',
  build: () => ({ init: S(), deadlock: false, actions: { Inc: { apply: (s) => s.n < 3 && S({ n: s.n + 1 }) } }, invariants: { Small: (s) => s.n < 3 || violated('n reached ' + s.n) } }),
});
`;
    const dir = folder({ 'spec.cjs': cjs }, 'commonjs');
    violates(kripkeBin('check', join(dir, 'spec.cjs'), '--quiet', '--out', dir));
  });
});

describe('layouts that cannot load say what to change, on one line', () => {
  it.runIf(Number(process.versions.node.split('.')[0]) < 22)('a .cts spec written with require(): tsx compiles it as CommonJS, which cannot require kripke on Node 20', () => {
    const cts = `const { defineSpec } = require(${JSON.stringify(INDEX)});\nmodule.exports = defineSpec({ name: 'x', build: () => ({ init: 0 as number, actions: {} }) });\n`;
    const dir = folder({ 'spec.cts': cts });
    expect(oneLine(kripkeBin('check', join(dir, 'spec.cts')))).toMatch(/spec\.cts:1:\d+: a CommonJS module compiled by tsx cannot require\(\) an ES module on Node\.js [\d.]+: write the spec with import\/export$/);
  });
  it("a package the spec imports is not installed where the spec is", () => {
    const dir = folder({ 'spec.ts': `import { List } from 'immutable';\n${counter(true)}\nexport const L = List();\n` });
    expect(oneLine(kripkeBin('check', join(dir, 'spec.ts')))).toMatch(
      new RegExp(`cannot find package 'immutable' imported from ${re(join(dir, 'spec.ts'))} \\(run npm install immutable in that module's folder\\)$`),
    );
  });
});
