/** Number and size formatting for reports. */

/** `1,234,567`. */
export function num(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** `2.00 s`, `12.3 s`. */
export function secs(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 2 : 1) + ' s';
}

/** `96 MiB`. */
export function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0) + ' MiB';
}

/** `1,234/s` (`-` for no time). */
export function rate(count: number, ms: number): string {
  return ms > 0 ? num((count * 1000) / ms) + '/s' : '-';
}

/** Left-aligned table with a header row. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** A duration for progress lines: `2.00 s`, `12.3 s`, then `4m 05s`, `2h 03m 04s`. */
export function elapsed(ms: number): string {
  if (ms < 60_000) return secs(ms);
  const t = Math.floor(ms / 1000);
  const [h, m, s] = [Math.floor(t / 3600), Math.floor(t / 60) % 60, t % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}h ${two(m)}m ${two(s)}s` : `${m}m ${two(s)}s`;
}
