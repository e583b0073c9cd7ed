/**
 * The terminal: the live progress line is cleared before any other output to it (warnings,
 * signal notices, errors, result lines), and colour (styleText) is used only on a terminal
 * without NO_COLOR, or when FORCE_COLOR forces it; plain output stays byte-identical.
 */
import { describe, expect, it } from 'vitest';
import { colour, colourWanted, painter, plain } from '../../src/cli/colour.js';
import { reportError } from '../../src/cli/io.js';
import { clearLive, guardStream } from '../../src/cli/live.js';
import { main } from '../../src/cli/main.js';
import { makeProgress } from '../../src/cli/progress.js';
import { catchInterrupts } from '../../src/cli/signals.js';
import type { Stats } from '../../src/core/explorer.js';
import { kripkeBin, kripkeBinEnv, tempDir } from './helpers.js';

const STATS: Stats = { generated: 10, distinct: 5, depth: 2, queue: 1, elapsedMs: 1000, peakRssBytes: 2 ** 20, storeBytes: 1, collisionProbability: 0 };

/** A fake terminal recording every write. */
function terminal(): { stream: NodeJS.WriteStream; writes: string[] } {
  const writes: string[] = [];
  const stream = { isTTY: true, columns: 200, write: (s: string) => (writes.push(s), true) } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe('the live line is cleared before other output', () => {
  it('a warning written to the guarded stream first erases the live line', () => {
    const { stream, writes } = terminal();
    const err = guardStream(stream);
    makeProgress(err).update(STATS, 1);
    err.write('kripke: warning: something\n');
    expect(writes).toEqual([expect.stringMatching(/^\rProgress: .*\x1b\[K$/), '\r\x1b[K', 'kripke: warning: something\n']);
    err.write('more\n');
    expect(writes.slice(3)).toEqual(['more\n']); // nothing left to clear
  });
  it('an error line (reportError) too', () => {
    const { stream, writes } = terminal();
    const err = guardStream(stream);
    makeProgress(err).update(STATS);
    reportError({ out: () => {}, err }, 'cannot write x');
    expect(writes.slice(1)).toEqual(['\r\x1b[K', 'kripke: error: cannot write x\n']);
  });
  it('a signal notice replaces the live line (no blank line); off a terminal it keeps its own line', () => {
    const { stream, writes } = terminal();
    const interrupts = catchInterrupts(stream);
    try {
      makeProgress(stream).update(STATS);
      process.listeners('SIGINT').at(-1)!('SIGINT');
      expect(writes.slice(1)).toEqual(['\r\x1b[K', 'kripke: SIGINT: stopping at the next state (send it again to exit at once)\n']);
      expect(interrupts.signal.aborted).toBe(true);
    } finally {
      interrupts.dispose();
    }
    let log = '';
    const pipe = { isTTY: false, write: (s: string) => ((log += s), true) } as unknown as NodeJS.WriteStream;
    const again = catchInterrupts(pipe);
    try {
      process.listeners('SIGTERM').at(-1)!('SIGTERM');
      expect(log).toBe('\nkripke: SIGTERM: stopping at the next state (send it again to exit at once)\n');
    } finally {
      again.dispose();
    }
  });
  it('a whole check on a terminal: every result line and warning comes after the live line is cleared', async () => {
    const events: ['out' | 'err', string][] = [];
    const err = { isTTY: true, columns: 120, write: (s: string) => (events.push(['err', s]), true) } as unknown as NodeJS.WriteStream;
    const code = await main(['check', 'bench/tlbbench.ts', '--const', 'N=3,P=3,F=3', '--workers', '999'], { out: (l) => events.push(['out', l]), err });
    expect(code).toBe(0);
    const live = events.filter(([, s]) => /^\rProgress: /.test(s));
    expect(live.length).toBeGreaterThan(0);
    let shown = false;
    for (const [where, s] of events) {
      if (where === 'err' && /^\rProgress: /.test(s)) shown = true;
      else if (where === 'err' && s === '\r\x1b[K') shown = false;
      else expect(shown, `${where}: ${s}`).toBe(false);
    }
    expect(shown).toBe(false);
    expect(clearLive(err)).toBe(false);
  });
});

describe('colour', () => {
  it('is on for a terminal, off for a pipe; NO_COLOR turns it off, FORCE_COLOR forces it (0 or false: off)', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(colourWanted(tty, {})).toBe(true);
    expect(colourWanted(pipe, {})).toBe(false);
    expect(colourWanted(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colourWanted(tty, { NO_COLOR: '' })).toBe(true);
    expect(colourWanted(tty, { TERM: 'dumb' })).toBe(false);
    expect(colourWanted(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourWanted(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
    expect(colourWanted(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourWanted(tty, { FORCE_COLOR: 'false' })).toBe(false);
    expect(painter(pipe, {})).toBe(plain);
    expect(painter(tty, {})).toBe(colour);
  });
  it('styleText codes: green ok, red bad, yellow warn, bold red headings', () => {
    expect(colour('ok', 'x')).toBe('\x1b[32mx\x1b[39m');
    expect(colour('bad', 'x')).toBe('\x1b[31mx\x1b[39m');
    expect(colour('warn', 'x')).toBe('\x1b[33mx\x1b[39m');
    expect(colour('heading', 'x')).toMatch(/^\x1b\[1m\x1b\[31mx\x1b\[39m\x1b\[22m$/);
  });
  it('colours the verdict line and the Error: headings of a check', async () => {
    const out: string[] = [];
    const err = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
    const paint = { out: colour, err: colour };
    await main(['check', 'bench/tlbbench.ts', '--const', 'MODE=local', '--out', tempDir(), '--quiet'], { out: (l) => out.push(l), err, paint });
    expect(out.join('\n')).toContain('\x1b[1m\x1b[31mError:\x1b[39m\x1b[22m Invariant TlbCoherent is violated');
    expect(out).toContain('\x1b[31mModel checking stopped: 1 violation(s) found.\x1b[39m');
    out.length = 0;
    await main(['check', 'bench/tlbbench.ts', '--quiet'], { out: (l) => out.push(l), err, paint });
    expect(out).toContain('\x1b[32mModel checking completed. No violation found.\x1b[39m');
    out.length = 0;
    await main(['check', 'bench/tlbbench.ts', '--max-states', '9', '--quiet'], { out: (l) => out.push(l), err, paint });
    expect(out).toContain('\x1b[33mSearch incomplete: --max-states 9 reached. No verdict: the state space was not fully explored.\x1b[39m');
  });
  it('through the bin: no escape codes into a pipe; FORCE_COLOR=1 colours, NO_COLOR alone does nothing to a pipe', () => {
    const plainRun = kripkeBin('check', 'bench/tlbbench.ts', '--quiet');
    expect(plainRun.code).toBe(0);
    expect(plainRun.out + plainRun.err).not.toMatch(/\x1b/);
    const forced = kripkeBinEnv({ FORCE_COLOR: '1' }, 'check', 'bench/tlbbench.ts', '--quiet');
    expect(forced.out).toContain('\x1b[32mModel checking completed. No violation found.\x1b[39m');
    const off = kripkeBinEnv({ FORCE_COLOR: '0' }, 'check', 'bench/tlbbench.ts', '--const', 'MODE=local', '--out', tempDir(), '--quiet');
    expect(off.out).not.toMatch(/\x1b/);
    const err = kripkeBinEnv({ FORCE_COLOR: '1' }, 'check', 'nope.ts');
    expect(err.err).toBe('kripke: \x1b[31merror:\x1b[39m cannot load nope.ts: no such file\n');
  });
});
