/**
 * The README stays true: its example spec is examples/mutex.ts verbatim and behaves as described,
 * and its quick start names the scripts package.json has.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../src/cli/options.js';
import { kripke, tempDir } from './helpers.js';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it('shows examples/mutex.ts verbatim (minus its header comment)', () => {
    const file = readFileSync('examples/mutex.ts', 'utf8').replace(/^\/\/.*\n/, '');
    const block = readme.match(/```ts\n([\s\S]*?)```/)![1];
    expect(block).toBe(file);
  });
  it('the example finds the bug with a 4-action counterexample, and holds nothing back at N=3', async () => {
    const r = await kripke('check', 'examples/mutex.ts', '--out', tempDir(), '--quiet');
    expect(r.code).toBe(12);
    expect(r.out).toMatch(/MutualExclusion is violated: processes 1 and 2 are both critical/);
    expect(r.out).toMatch(/5 states \(4 actions\)/);
    expect((await kripke('check', 'examples/mutex.ts', '--const', 'N=3', '--out', tempDir(), '--quiet')).code).toBe(12);
  });
  it('the exit-code table lists every exit code the CLI uses, signals included', async () => {
    const { EXIT } = await import('../../src/cli/exit-codes.js');
    const { SIGNAL_EXIT } = await import('../../src/cli/signals.js');
    const table = readme.slice(readme.indexOf('### Exit codes'));
    for (const code of [...Object.values(EXIT), ...Object.values(SIGNAL_EXIT)]) expect(table).toMatch(new RegExp(`\\| (\\d+, )*${code}(, \\d+)* \\|`));
  });
  it('the command reference has a section for every command', () => {
    for (const c of COMMAND_NAMES) expect(readme, c).toMatch(new RegExp(`^### \`kripke ${c}[ \`]`, 'm'));
  });
  it('quick start commands exist', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
    expect(pkg.scripts.start).toMatch(/kripke\.mjs suite spec\/suite\.ts/);
    expect(pkg.scripts.test).toBeDefined();
    expect(readFileSync('.ci/run', 'utf8')).toMatch(/npm ci[\s\S]*\nnpm test\n/);
  });
});
