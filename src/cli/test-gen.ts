/**
 * `kripke test <trace.itf.json>... [-o FILE]`: counterexamples as vitest tests. Each trace becomes
 * an `it` that replays it on its spec (replayTraceFile) and asserts it still replays and still
 * shows its claim at the last step: a regression test of the spec, which fails the day a change
 * to the spec makes the counterexample go away or change. With `--expect holds` (and `--const`
 * for the fixed configuration, or another spec module) the test asserts the opposite: the
 * counterexample no longer shows, and a full check of the property finds no violation.
 *
 * Paths in the test are relative to the test file (new URL(..., import.meta.url)), so it runs from
 * anywhere; the import is kripke's own source inside kripke's repository, else the package.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { KripkeError } from '../core/errors.js';
import { replayTraceFile } from '../replay-file.js';
import { parseItf } from '../trace/itf-read.js';
import { itfToConst, type ItfValue } from '../trace/itf.js';
import { traceSource } from './replay.js';
import { EXIT } from './exit-codes.js';
import { writeFileAtomic, writeError } from './files.js';
import type { Io } from './io.js';
import { kripkeVersion } from './version.js';

export interface TestGenArgs {
  /** The spec module to replay on (default: each file's recorded source). */
  spec?: string;
  files: string[];
  constants: [string, string][];
  expect: 'violated' | 'holds';
  /** Where the test goes (default: stdout). */
  output?: string;
  /** The command line, recorded in the file's header. */
  command: string;
}

/** `from` to `to` as a module specifier: forward slashes, starting with ./ or ../. */
function specifier(fromDir: string, to: string): string {
  const r = relative(fromDir, to).split(sep).join('/');
  return r.startsWith('.') ? r : `./${r}`;
}

/** The kripke import of a test at `dir`: the source, inside kripke's own repository; else the package. */
function kripkeImport(dir: string): string {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const pj = join(d, 'package.json');
    if (existsSync(pj)) {
      const name = (() => {
        try {
          return JSON.parse(readFileSync(pj, 'utf8')).name;
        } catch {
          return undefined;
        }
      })();
      return name === 'kripke' && existsSync(join(d, 'src', 'index.ts')) ? specifier(dir, join(d, 'src', 'index.js')) : 'kripke';
    }
    if (dirname(d) === d) return 'kripke';
  }
}

const q = (s: string) => JSON.stringify(s);

/** The trace files named: a folder stands for its .itf.json files, in name order. */
function traceFiles(names: readonly string[]): string[] {
  return names.flatMap((n) => (existsSync(n) && statSync(n).isDirectory() ? readdirSync(n).filter((f) => f.endsWith('.itf.json')).sort().map((f) => join(n, f)) : [n]));
}

export async function testGenCommand(given: TestGenArgs, io: Io): Promise<number> {
  const a = { ...given, files: traceFiles(given.files) };
  if (a.files.length === 0) throw new KripkeError('config', "'kripke test' needs a trace file: kripke test [<spec.ts>] <trace.itf.json>... [-o FILE]");
  const dir = a.output !== undefined && a.output !== '-' ? dirname(resolve(a.output)) : process.cwd();
  const constants = Object.fromEntries(a.constants);
  const opts = (specVar: string | undefined) => {
    const parts = [...(specVar ? [`spec: ${specVar}`] : []), ...(a.constants.length ? [`constants: ${JSON.stringify(constants)}`] : [])];
    return parts.length ? `, { ${parts.join(', ')} }` : '';
  };
  const specUrl = a.spec !== undefined ? `new URL(${q(specifier(dir, resolve(a.spec)))}, import.meta.url)` : undefined;
  const cases: string[] = [];
  for (const file of a.files) {
    // the trace must replay now (violated) or its property must be known (holds): the test is made from what is true today
    if (a.expect === 'holds' && metaOf(file)?.mutation) {
      throw new KripkeError('config', `${file} was found on a weakened spec (kripke mutate): --expect holds would check the spec as it is, not the mutant`);
    }
    const r = await replayTraceFile(file, { ...(a.spec ? { spec: a.spec } : {}), constants });
    const url = `new URL(${q(specifier(dir, resolve(file)))}, import.meta.url)`;
    if (a.expect === 'violated') {
      if (!r.replayed) throw new KripkeError('trace', `${file} does not replay: ${r.mismatch}`);
      if (!r.shown) throw new KripkeError('trace', `${file} does not show its claim: ${r.reason}`);
      const claim = r.claim!;
      cases.push(
        `it(${q(`${file}: ${claim.property} ${claim.kind === 'sometimes' ? 'has its witness' : 'is violated'} at the last of ${r.states} states`)}, async () => {\n` +
          `  const r = await replayTraceFile(${url}${opts(specUrl)});\n` +
          `  expect(r.mismatch).toBeUndefined();\n` +
          `  expect(r.states).toBe(${r.states});\n` +
          `  expect(r.claim).toMatchObject(${JSON.stringify({ property: claim.property, kind: claim.kind })});\n` +
          `  expect(r.shown).toBe(true);\n` +
          (r.reason !== undefined ? `  expect(r.reason).toBe(${q(r.reason)});\n` : '') +
          `});`,
      );
    } else {
      if (r.shown) throw new KripkeError('trace', `${file} still shows its claim${a.constants.length ? ` with ${a.constants.map(([k, v]) => `${k}=${v}`).join(',')}` : ''}: a test that it holds would fail`);
      const meta = metaOf(file);
      const property = r.claim?.property ?? claimedProperty(file);
      if (property === undefined) throw new KripkeError('trace', `${file} claims no property: there is nothing to assert holds`);
      const kind = r.claim?.kind ?? meta?.violation?.kind;
      if (kind === 'deadlock' || kind === 'sometimes') throw new KripkeError('config', `--expect holds asserts a property holds; ${file} claims ${kind === 'deadlock' ? 'a deadlock' : `a witness of ${property}`}, which a check of properties does not judge`);
      const source = a.spec !== undefined ? specUrl! : `new URL(${q(specifier(dir, resolve(traceSource(file))))}, import.meta.url)`;
      cases.push(
        `it(${q(`${file}: the counterexample of ${property} is gone${a.constants.length ? ` with ${a.constants.map(([k, v]) => `${k}=${v}`).join(',')}` : ''}, and ${property} holds`)}, async () => {\n` +
          `  const r = await replayTraceFile(${url}${opts(specUrl)});\n` +
          `  expect(r.shown).toBe(false);\n` +
          `  const { result } = await checkSpec(fileURLToPath(${source}), { constants: ${JSON.stringify(recordedWith(file, constants))}, properties: [${q(property)}] });\n` +
          `  expect(result.status).toBe('ok');\n` +
          `});`,
      );
    }
  }
  const imports = a.expect === 'holds'
    ? `import { fileURLToPath } from 'node:url';\nimport { expect, it } from 'vitest';\nimport { checkSpec, replayTraceFile } from ${q(kripkeImport(dir))};\n`
    : `import { expect, it } from 'vitest';\nimport { replayTraceFile } from ${q(kripkeImport(dir))};\n`;
  const text =
    `// Generated by kripke ${kripkeVersion()}: ${a.command}\n` +
    `// Counterexamples as regression tests of the spec: ${a.expect === 'violated' ? 'each fails if its trace stops replaying or stops showing its claim' : 'each fails if the counterexample comes back or the property fails'}.\n` +
    `// Regenerate with the same command; do not edit.\n` +
    imports + '\n' + cases.join('\n\n') + '\n';
  if (a.output === undefined || a.output === '-') {
    io.out(text.trimEnd());
    return EXIT.ok;
  }
  try {
    writeFileAtomic(a.output, text);
  } catch (e) {
    throw new KripkeError('config', writeError(a.output, e));
  }
  io.out(`Wrote ${a.output}: ${cases.length} test${cases.length === 1 ? '' : 's'} (${a.expect === 'violated' ? 'each counterexample still shows' : 'each counterexample is gone, and its property holds'})`);
  return EXIT.ok;
}

/** A trace file's `#meta`, as kripke reads it (constants and claim decoded). */
const metaOf = (file: string) => parseItf(readFileSync(file, 'utf8'), file)['#meta'];

/** The property a trace file claims. */
function claimedProperty(file: string): string | undefined {
  return metaOf(file)?.violation?.property;
}

/** The file's recorded constants with `overrides` on top (the configuration a holds-test checks). */
function recordedWith(file: string, overrides: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metaOf(file)?.constants ?? {})) out[k] = itfToConst(v as ItfValue);
  return { ...out, ...overrides };
}
