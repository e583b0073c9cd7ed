/**
 * kripke as a package: `npm pack`, installed offline into fresh ESM and CommonJS projects; a
 * user spec importing `kripke` and `kripke/kernel` checks with `npx kripke`, and type-checks under
 * `strict`, `noUncheckedIndexedAccess` and `exactOptionalPropertyTypes` with no error from
 * kripke's own types (skipLibCheck off).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, packKripke, userProject } from './project.js';

const SPEC = `import { Record, type RecordOf } from 'immutable';
import { action, change, check, compile, defineSpec, violated } from 'kripke';
import { kernelSpec, rutland, vmLocalCpuEveryPath, type FlushPolicy } from 'kripke/kernel';

type State = RecordOf<{ n: number }>;
const S = Record({ n: 0 });

/** A flush policy of the user's: IPI nobody (as VM_LOCAL_CPU does for every vma). */
export const nobody: FlushPolicy = { name: 'nobody', doc: 'no IPI at all', targets: (q) => q.mask.clear() };
export const userVariant = kernelSpec({ name: 'user-nobody', doc: 'no shootdown', world: rutland(), policy: nobody });
export const proposed = kernelSpec({ name: 'user-V1-hyp', doc: 'VM_LOCAL_CPU honoured on every path', world: rutland(), policy: vmLocalCpuEveryPath });

const counter = defineSpec({
  name: 'user-counter',
  constants: { K: { default: 3, min: 1 } },
  build: ({ K }) => ({
    init: S() as State,
    deadlock: false,
    actions: { Inc: { apply: (s: State) => s.n < K && change(s).set('n', s.n + 1) } },
    invariants: { Small: (s: State) => s.n < K || violated(\`n = \${s.n}\`) },
  }),
});
export default counter;

/** Types a user relies on: constants' types, and parameters inferred by action(). */
export const typed = defineSpec({
  name: 'typed',
  constants: { N: { default: 2, min: 1 }, MODE: { default: 'a' as 'a' | 'b', values: ['a', 'b'] as ('a' | 'b')[] } },
  build: (k) => {
    const n: number = k.N;
    const mode: 'a' | 'b' = k.MODE;
    // @ts-expect-error a constant the spec does not declare
    void k.NN;
    return {
      init: S() as State,
      actions: {
        Inc: action({ params: { p: [1, 2] }, apply: (s: State, { p }) => s.n < n && mode === 'a' && change(s).set('n', s.n + p) }),
        // @ts-expect-error a parameter the action does not have
        Bad: action({ params: { p: [1] }, apply: (s: State, { q }) => s.n === q && s }),
        // @ts-expect-error a parameter of the wrong type
        Wrong: action({ params: { p: ['x'] }, apply: (s: State, { p }) => change(s).set('n', s.n + p * 2) }),
      },
      // @ts-expect-error a field the state does not have
      invariants: { Field: (s: State) => s.nn === 0 },
    };
  },
});

/** The library API: a verdict in a few lines. */
export function verdict(): string {
  return check(compile(counter)).status;
}
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    skipLibCheck: false,
    types: ['node'],
  },
  include: ['*.ts', '*.mts'],
};

let work: string;
let tarball: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kripke-pkg-'));
  tarball = packKripke(work);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the tarball', () => {
  it('ships compiled JavaScript with declarations, the bin, README and LICENSE; no tests, traces or sources', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const f of ['package/LICENSE', 'package/README.md', 'package/bin/kripke.mjs', 'package/dist/src/index.js', 'package/dist/src/index.d.ts', 'package/dist/spec/index.js', 'package/dist/spec/index.d.ts', 'package/dist/src/core/worker-entry.mjs']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^package\/(test|traces|src|spec|bench)\//.test(f))).toEqual([]);
  });
});

describe.each(['module', 'commonjs'] as const)('installed into a fresh %s project (offline)', (type) => {
  let dir: string;
  beforeAll(() => {
    dir = join(work, type);
    userProject(dir, tarball, type);
    writeFileSync(join(dir, 'spec.ts'), SPEC);
    writeFileSync(join(dir, 'spec.mts'), SPEC.replace("name: 'user-counter'", "name: 'user-counter-mts'"));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    writeFileSync(join(dir, 'variant.ts'), "export { proposed as default } from './spec.js';\n");
  }, 120_000);

  it('npx kripke check runs a .ts spec importing kripke and kripke/kernel', () => {
    const r = attempt('npx', ['kripke', 'check', 'spec.ts', '--quiet', '--out', 'out'], dir);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/Error: Invariant Small is violated: n = 3/);
    expect(r.code).toBe(12);
  });
  it('and a .mts spec', () => {
    const r = attempt('npx', ['kripke', 'check', 'spec.mts', '--quiet', '--out', 'out'], dir);
    expect(r.out).toMatch(/spec user-counter-mts/);
    expect(r.code).toBe(12);
  });
  it('a kernel variant composed from kripke/kernel finds Rutland\'s counterexample', () => {
    const r = attempt('npx', ['kripke', 'check', 'variant.ts', '--invariant', 'NoStaleTranslation', '--quiet', '--out', 'out'], dir);
    expect(r.out).toMatch(/NoStaleTranslation is violated/);
    expect(r.code).toBe(12);
  });
  it('npx kripke simulate (fast-check is a dependency of the package), on two worker threads, finds and shrinks Rutland\'s counterexample', () => {
    const threads = Math.min(2, availableParallelism()); // the packaged worker entry, where the machine has two CPUs
    const r = attempt('npx', ['kripke', 'simulate', 'variant.ts', '--invariant', 'NoStaleTranslation', '--seed', '1', '--workers', String(threads), '--quiet', '--out', 'out'], dir);
    expect(r.err).toBe('');
    if (threads === 2) expect(r.out).toContain('Workers: 2 threads walked');
    expect(r.out).toMatch(/shrunk to \d+ in/);
    expect(r.code).toBe(12);
  });
  it('tsc --noEmit under strict, noUncheckedIndexedAccess and exactOptionalPropertyTypes: no errors', () => {
    const r = attempt('npx', ['tsc', '--noEmit', '-p', '.'], dir);
    expect(r.out + r.err).toBe('');
    expect(r.code).toBe(0);
  });
  it('plain node imports the library (no tsx)', () => {
    const r = attempt(process.execPath, ['--input-type=module', '-e', "import { defineSpec } from 'kripke'; import { rutland } from 'kripke/kernel'; console.log(typeof defineSpec, rutland().cpus.length)"], dir);
    expect(r.out.trim()).toBe('function 2');
  });
});
