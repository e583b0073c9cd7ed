/**
 * `kripke view`: a trace file for a reader. The sequence diagrams of the V1 golden trace are
 * golden files themselves (traces/*.mmd, *.txt); the HTML is checked in a real browser in
 * test/browser/. Bad input: one line, a distinct exit code, no file.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kripke, kripkeBinEnv } from './helpers.js';

const V1 = 'traces/kernel-V1-hyp-munmap-NoStaleTranslation';
const tmp = () => mkdtempSync(join(tmpdir(), 'kripke-view-'));

describe('kripke view', () => {
  for (const [format, ext] of [['mermaid', 'mmd'], ['text', 'txt']] as const) {
    it(`--format ${format} of the V1 golden trace is ${V1}.${ext}`, async () => {
      const r = await kripke('view', `${V1}.itf.json`, '--format', format);
      expect(r.code).toBe(0);
      expect(`${r.out}\n`).toBe(readFileSync(`${V1}.${ext}`, 'utf8'));
      expect(r.err).toMatch(/Replayed .* every step is an enabled action/); // progress on stderr, the diagram alone on stdout
    });
  }

  it('the text diagram is ASCII, 80 columns, with the lanes, the IPI-free local flush and the verdict', async () => {
    const text = readFileSync(`${V1}.txt`, 'utf8');
    for (const l of text.split('\n')) {
      expect(l.length, l).toBeLessThanOrEqual(80);
      expect(l).toMatch(/^[\x20-\x7e]*$/);
    }
    expect(text.split('\n')[0]).toMatch(/^CPU 0 +CPU 1 +HW CPU 1 +driver +kernel$/);
    expect(text).toMatch(/^ +\[3\] HwFill A:x$/m);
    expect(text).toMatch(/CPU 1 skipped: the policy/);
    expect(text).toMatch(/=> NoStaleTranslation violated: thread t1 on CPU 1 accesses A:x/);
  });

  it('mermaid: participants are the lanes, IPIs are arrows, the violating step is shaded', async () => {
    const r = await kripke('view', 'traces/kernel/V1-mremap-NoStaleTranslation.itf.json', '--format', 'mermaid');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^sequenceDiagram\n {2}participant L0 as CPU 0\n {2}participant L1 as CPU 1\n/);
    expect(r.out).toMatch(/\n {2}L0->>L1: flush IPI: A:y\n {2}Note over L1: 8\. FlushTlbFunc/);
    expect(r.out).toMatch(/\n {2}L1->>L0: ack\n/);
    expect(r.out).toMatch(/rect rgb\(255, 228, 228\)\n {4}Note over L1: 11\. Access/);
    // a statement ends at ';' in Mermaid: none is left in a note but those ending entity codes (#59;)
    for (const l of r.out.split('\n')) expect(l.replace(/#\w+;/g, '')).not.toContain(';');
  });

  it('plantuml: a participant per lane, notes and arrows', async () => {
    const r = await kripke('view', 'traces/kernel/V1-mremap-NoStaleTranslation.itf.json', '--format', 'plantuml');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^@startuml\n/);
    expect(r.out).toMatch(/participant "HW CPU 1" as L2/);
    expect(r.out).toMatch(/\nL0 -> L1: flush IPI: A:y\n/);
    expect(r.out).toMatch(/@enduml$/);
  });

  it('html goes to -o (or beside the trace), written whole', async () => {
    const d = tmp();
    const out = join(d, 'v1.html');
    const r = await kripke('view', `${V1}.itf.json`, '-o', out);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/Wrote .*v1\.html \(html, 8 states, 5 lanes, NoStaleTranslation\)/);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    // nothing loads from elsewhere: links to the kernel source are links, the SVG namespace is a name
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img|@import|url\(|https?:\/\/(?!elixir\.bootlin\.com|www\.w3\.org\/2000\/svg)/);
  });

  it('check --html writes a viewer beside each trace file and names it', async () => {
    const d = tmp();
    const r = await kripke('check', 'spec/kernel.ts', '--const', 'VARIANT=V1-hyp-munmap', '--invariant', 'NoStaleTranslation', '--out', d, '--quiet', '--html');
    expect(r.code).toBe(12);
    const html = join(d, 'kernel-V1-hyp-munmap-NoStaleTranslation.html');
    expect(r.out).toContain(`Viewer:     ${html}`);
    expect(readFileSync(html, 'utf8')).toMatch(/NoStaleTranslation/);
    expect(existsSync(join(d, 'kernel-V1-hyp-munmap-NoStaleTranslation.itf.json'))).toBe(true);
  });

  it('a trace with no step (a violated initial state) still names its verdict in every diagram', async () => {
    const d = tmp();
    const c = await kripke('check', 'test/fixtures/bad-init.ts', '--out', d, '--quiet');
    expect(c.code).toBe(12);
    const file = readdirSync(d).find((f) => f.endsWith('.itf.json'))!;
    for (const format of ['mermaid', 'plantuml', 'text']) {
      const r = await kripke('view', 'test/fixtures/bad-init.ts', join(d, file), '--format', format);
      expect(r.code, format).toBe(0);
      expect(r.out, format).toMatch(/Positive violated/);
    }
  });

  it('--hide: the hidden count names the flag, not --show-all', async () => {
    const r = await kripke('check', 'spec/kernel.ts', '--const', 'VARIANT=V1-hyp-munmap', '--invariant', 'NoStaleTranslation', '--hide', 'tlb', '--width', '100', '--out', tmp(), '--quiet');
    expect(r.code).toBe(12);
    expect(r.out).toMatch(/\(\+1 hidden by --hide\/--show\)/);
    expect(r.out).not.toMatch(/tlb\[1\]\[A:x\]/);
  });

  it('a terminal narrower than 40 columns gets the 40-column layout (a counterexample is never lost to the width)', () => {
    const d = tmp();
    const r = kripkeBinEnv({ COLUMNS: '9' }, 'check', 'spec/kernel.ts', '--const', 'VARIANT=V1-hyp-munmap', '--invariant', 'NoStaleTranslation', '--out', d, '--quiet');
    expect(r.code).toBe(12);
    const trace = r.out.slice(r.out.indexOf('The shortest counterexample'), r.out.indexOf('(NoStaleTranslation fails'));
    for (const l of trace.split('\n').slice(1)) expect(l.length, l).toBeLessThanOrEqual(40);
    expect(existsSync(join(d, 'kernel-V1-hyp-munmap-NoStaleTranslation.itf.json'))).toBe(true);
  });

  it('refuses bad input with one line and its exit code, writing nothing', async () => {
    const d = tmp();
    const bad = await kripke('view', `${V1}.itf.json`, '--format', 'svg', '-o', join(d, 'x'));
    expect(bad.code).toBe(151);
    expect(bad.err).toBe("kripke: error: --format expects one of html, mermaid, plantuml, text, got 'svg'\n");
    expect(existsSync(join(d, 'x'))).toBe(false);
    const corrupt = join(d, 'c.itf.json');
    writeFileSync(corrupt, '{"states": [');
    const c = await kripke('view', 'spec/kernel.ts', corrupt, '-o', join(d, 'c.html'));
    expect(c.code).toBe(152);
    expect(c.err.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(d, 'c.html'))).toBe(false);
    const hide = await kripke('view', `${V1}.itf.json`, '--hide', 'nosuch', '--format', 'text');
    expect(hide.code).toBe(151);
    expect(hide.err.trim().split('\n').at(-1)).toMatch(/^kripke: error: --hide nosuch: 'nosuch' is not a field of the state \(its fields: frame, pte, /);
  });
});
