/**
 * The memory guard of a search: a run never dies in a V8 heap abort. About every 100 ms it reads
 * the process's resident set size and the JS heap; when the resident set plus the next growth of
 * the visited-state table would pass the budget, or the JS heap nears its limit, the search stops
 * cleanly ('incomplete', "memory budget reached") with its partial statistics.
 */
import { getHeapStatistics } from 'node:v8';

/**
 * A search stops when the JS heap's old generation is this full. V8's `heap_size_limit` also
 * counts the young generation's reserve (3 semi-spaces of 16 MiB on 64-bit Node 20), which the
 * old generation can never use: an abort comes when the old generation alone is full.
 */
const OLD_SPACE_SHARE = 0.8;
const YOUNG_RESERVE = 48 * 2 ** 20;
const CHECK_MS = 100;

export interface MemoryGuard {
  /** Peak resident set size seen so far, bytes. */
  peakRss(): number;
  /** Null while within budget, else why the search must stop. `nextGrowth`: bytes the store may allocate next. */
  check(now: number, nextGrowth: number): string | null;
}

/** Bytes as `1.5 GiB` / `512 MiB`. */
export function showBytes(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : `${Math.round(n / 2 ** 20)} MiB`;
}

/** A guard for a budget in bytes (none: only the JS heap limit is guarded). */
export function memoryGuard(budgetBytes?: number): MemoryGuard {
  let peak = process.memoryUsage.rss();
  let next = 0;
  return {
    peakRss() {
      const rss = process.memoryUsage.rss();
      if (rss > peak) peak = rss;
      return peak;
    },
    check(now, nextGrowth) {
      if (now < next) return null;
      next = now + CHECK_MS;
      const rss = process.memoryUsage.rss();
      if (rss > peak) peak = rss;
      if (budgetBytes !== undefined && rss + nextGrowth > budgetBytes) {
        return `memory budget reached: ${showBytes(rss)} in use of the ${showBytes(budgetBytes)} budget (--memory)`;
      }
      const h = getHeapStatistics();
      if (h.used_heap_size > OLD_SPACE_SHARE * (h.heap_size_limit - YOUNG_RESERVE)) {
        return `memory budget reached: the JS heap holds ${showBytes(h.used_heap_size)} of its ${showBytes(h.heap_size_limit - YOUNG_RESERVE)} limit`;
      }
      return null;
    },
  };
}
