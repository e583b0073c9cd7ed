/**
 * The JSON report: `--out -` puts it alone on stdout (for jq), it carries kripke's version and
 * the id of docs/result.schema.json, and every report kripke writes validates against that
 * schema (with ajv, a devDependency). Counts agree with the text.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_ID } from '../../src/cli/json-report.js';
import { FIX, kripke, kripkeBin, tempDir } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'docs', 'result.schema.json'), 'utf8'));

/** `kripke <args> --reporter json --out -` in-process: stdout parsed (it must be one JSON document). */
async function report(...args: string[]): Promise<{ code: number; doc: any; err: string }> {
  const r = await kripke(...args, '--reporter', 'json', '--out', '-');
  return { code: r.code, doc: JSON.parse(r.out), err: r.err };
}

let validate: ((doc: unknown) => boolean) & { errors?: unknown };

beforeAll(async () => {
  const name = 'ajv/dist/2020.js'; // a variable: the type checker need not find ajv
  let Ajv2020: new (o: object) => { compile(s: unknown): typeof validate };
  try {
    Ajv2020 = (await import(name)).Ajv2020;
  } catch {
    throw new Error('ajv is not installed: npm install --save-dev ajv@8 (it validates docs/result.schema.json)');
  }
  validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(SCHEMA);
});

function valid(doc: unknown): void {
  const ok = validate(doc);
  expect(validate.errors ?? [], JSON.stringify(doc).slice(0, 300)).toEqual([]);
  expect(ok).toBe(true);
}

describe('--reporter json --out -', () => {
  it('stdout is exactly one JSON document; the human output goes to stderr; no file is written', async () => {
    const cwd = readdirSync('.');
    const r = await kripke('check', 'bench/tlbbench.ts', '--const', 'MODE=local', '--reporter', 'json', '--out', '-', '--quiet');
    expect(r.code).toBe(12);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ schema: SCHEMA_ID, version: VERSION, kind: 'check', spec: 'tlbbench', status: 'violation', exitCode: 12 });
    expect(r.err).toMatch(/^kripke check bench\/tlbbench\.ts: spec tlbbench/);
    expect(r.err).toMatch(/Error: Invariant TlbCoherent is violated/);
    expect(r.err).toMatch(/Replay: {5}npx kripke replay bench\/tlbbench\.ts 0(\/\d+)+ --const MODE=local/);
    expect(r.err).not.toMatch(/Trace file:|JSON result:/);
    expect(doc.violations[0].file).toBeUndefined();
    expect(doc.violations[0].path).toMatch(/^0(\/\d+)+$/);
    expect(readdirSync('.')).toEqual(cwd);
    expect(existsSync('-')).toBe(false);
  });
  it('through the bin: `kripke check ... --reporter json --out - | jq` gets valid JSON on stdout', () => {
    const r = kripkeBin('check', 'examples/mutex.ts', '--reporter', 'json', '--out', '-');
    expect(r.code).toBe(12);
    const doc = JSON.parse(r.out);
    expect(doc.kind).toBe('check');
    expect(r.out.endsWith('}\n')).toBe(true);
    expect(r.err).toMatch(/MutualExclusion is violated/);
  });
  it('suite: the report alone on stdout, the table on stderr', async () => {
    const r = await kripke('suite', `${FIX}/suite-ok.ts`, '--reporter', 'json', '--out', '-', '--quiet');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ schema: SCHEMA_ID, version: VERSION, kind: 'suite', suite: 'tiny', exitCode: 0, interrupted: false });
    expect(doc.rows[1]).toMatchObject({ variant: 'local', verdict: 'violated at depth 7', asExpected: true, status: 'violation', traces: [] });
    expect(doc.rows[1].paths).toEqual(['0/0/1/6/14/20/24']);
    expect(r.err).toMatch(/local\s+NoStaleTranslation\s+violated at depth 7\s+yes/);
  });
  it('--out - without --reporter json is refused (151)', async () => {
    for (const c of ['check', 'suite']) {
      const r = await kripke(c, 'bench/tlbbench.ts', '--out', '-');
      expect(r.code).toBe(151);
      expect(r.err).toBe('kripke: error: --out - writes the JSON report to stdout: it needs --reporter json\n');
    }
  });
});

describe('the report and its schema', () => {
  it('the schema file has the id the reports carry', () => {
    expect(SCHEMA.$id).toBe(SCHEMA_ID);
  });
  it('generated counts states as the text does (initial included), with transitions and initial apart', async () => {
    const { doc, err } = await report('check', 'bench/tlbbench.ts', '--quiet');
    expect(doc.stats).toMatchObject({ generated: 2325, transitions: 2324, initial: 1, distinct: 533 });
    expect(err).toMatch(/533 distinct states found, 2,325 states generated \(1 initial, 2,324 transitions\)/);
    valid(doc);
  });
  it('every kind of outcome validates: ok, violations (--continue), incomplete, error, deadlock, sometimes, workers, symmetry', async () => {
    const runs = [
      ['check', 'bench/tlbbench.ts', '--quiet'],
      ['check', 'bench/tlbbench.ts', '--const', 'MODE=local', '--continue', '--quiet'],
      ['check', 'bench/tlbbench.ts', '--max-states', '50', '--quiet'],
      ['check', 'test/bad-inputs/specs/broken.ts', '--const', 'BUG=action-throws', '--quiet'],
      ['check', 'test/fixtures/deadlock.ts', '--quiet'],
      ['check', 'test/fixtures/sometimes.ts', '--quiet'],
      ['check', 'bench/tlbbench.ts', '--workers', '2', '--quiet'],
      ['check', 'bench/tlbbench.ts', '--const', 'MODE=local', '--symmetry', '--continue', '--quiet'],
      ['suite', `${FIX}/suite-wrong.ts`, '--quiet'],
    ];
    const statuses = new Set<string>();
    for (const args of runs) {
      const { doc } = await report(...args);
      valid(doc);
      statuses.add(doc.status ?? doc.kind);
    }
    expect([...statuses].sort()).toEqual(['deadlock', 'error', 'incomplete', 'ok', 'suite', 'violation']);
  });
  it('the report file (DIR/<spec>[-<constants>].result.json) is the same document', async () => {
    const dir = tempDir();
    const r = await kripke('check', 'examples/mutex.ts', '--const', 'N=3', '--reporter', 'json', '--out', dir, '--quiet');
    const file = join(dir, 'mutex-N3.result.json');
    expect(r.out).toContain(`JSON result: ${file}`);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    valid(doc);
    expect(doc.violations[0].file).toBe(join(dir, 'mutex-N3-MutualExclusion.itf.json'));
    const suite = await kripke('suite', `${FIX}/suite-ok.ts`, '--reporter', 'json', '--out', dir, '--quiet');
    expect(suite.code).toBe(0);
    valid(JSON.parse(readFileSync(join(dir, 'tiny', 'suite.result.json'), 'utf8')));
  });
  it('a report with an extra, undocumented field does not validate (the schema is closed)', async () => {
    const { doc } = await report('check', 'bench/tlbbench.ts', '--quiet');
    expect(validate({ ...doc, surprise: 1 })).toBe(false);
    expect(validate({ ...doc, stats: { ...doc.stats, generated: undefined } })).toBe(false);
  });
});
