/**
 * Every golden counterexample in traces/ (not traces/out/) replays on the spec it records and
 * still violates the property it claims.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kripke } from './cli/helpers.js';

function goldenFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      // traces/out/: new traces, not golden. traces/foreign/: other tools' traces (Apalache, Quint,
      // a log), which claim no kripke property and record no spec module; test/trace/foreign.test.ts
      // replays them.
      if (p !== join('traces', 'out') && p !== join('traces', 'foreign')) out.push(...goldenFiles(p));
    } else if (name.endsWith('.itf.json')) out.push(p);
  }
  return out.sort();
}

const files = goldenFiles('traces');

describe('golden traces', () => {
  it('there are golden traces to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    it(`${file} replays and still shows its violation`, async () => {
      const meta = JSON.parse(readFileSync(file, 'utf8'))['#meta'];
      // older files hold the claim as an object, newer ones as JSON text (traces/README.md)
      const violation = typeof meta.violation === 'string' ? JSON.parse(meta.violation) : meta.violation;
      expect(violation?.property, 'a golden trace claims a violation').toBeTruthy();
      const r = await kripke('replay', file);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`Confirmed: (${violation.property} is violated|The last state is a witness)`));
    });
  }
});
