/** Number and size formatting for reports. */

export function num(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function secs(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 2 : 1) + ' s';
}

export function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0) + ' MiB';
}

export function rate(count: number, ms: number): string {
  return ms > 0 ? num((count * 1000) / ms) + '/s' : '-';
}

/** Left-aligned table with a header row. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
