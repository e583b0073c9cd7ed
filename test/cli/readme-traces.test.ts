/**
 * The README's trace excerpts are what kripke prints: every line of the lanes excerpt appears, in
 * order, in the real output at the width the README names, and the text diagram is the head of
 * the golden file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kripke, tempDir } from './helpers.js';

const readme = readFileSync('README.md', 'utf8');
const section = readme.slice(readme.indexOf('## Read a trace'), readme.indexOf('## The kernel spec'));
const blocks = [...section.matchAll(/```text\n([\s\S]*?)```/g)].map((m) => m[1].trimEnd().split('\n'));

describe('README: Read a trace', () => {
  it('the lanes excerpt is the real output of the command it names (abridged only at "...")', async () => {
    const r = await kripke('check', 'spec/kernel.ts', '--const', 'VARIANT=V1-hyp-munmap', '--invariant', 'NoStaleTranslation', '--width', '100', '--out', tempDir(), '--quiet');
    expect(r.code).toBe(12);
    const out = r.out.split('\n');
    let at = 0;
    for (const line of blocks[0]) {
      if (line.trim() === '...') continue;
      const i = out.indexOf(line, at);
      expect(i, `README line not in the output (in order): ${line}`).toBeGreaterThanOrEqual(0);
      at = i + 1;
    }
  });

  it('the text diagram excerpt is the head of the golden file', () => {
    const golden = readFileSync('traces/kernel-V1-hyp-munmap-NoStaleTranslation.txt', 'utf8').split('\n');
    expect(golden.slice(0, blocks[1].length)).toEqual(blocks[1]);
  });
});
