/**
 * `npm run bench`: tlbbench at S, M, L (and XL with --xl), each size in a fresh child process so
 * that peak RSS is per size. Exits non-zero, loudly, if any count differs from COUNTS.md.
 *
 *   npm run bench                         # S, M, L with 1 worker
 *   npm run bench -- --sizes S,M --workers 2
 *   npm run bench -- --xl                 # S, M, L, XL
 *   npm run bench -- --sizes M --repeat 3 # median of 3
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

interface Size {
  tag: string;
  consts: [string, string][];
  distinct: number;
  generated: number;
  depth: number;
}

const SIZES: Size[] = [
  { tag: 'S', consts: [['N', '3'], ['P', '3'], ['F', '3']], distinct: 96_954, generated: 721_161, depth: 16 },
  { tag: 'M', consts: [['N', '4'], ['P', '3'], ['F', '3']], distinct: 1_418_010, generated: 13_962_945, depth: 20 },
  { tag: 'L', consts: [['N', '6'], ['P', '2'], ['F', '3']], distinct: 12_426_687, generated: 156_165_078, depth: 22 },
  { tag: 'XL', consts: [['N', '4'], ['P', '4'], ['F', '4']], distinct: 69_788_257, generated: 826_451_520, depth: 25 },
];

const here = dirname(fileURLToPath(import.meta.url));
const specPath = resolve(here, 'tlbbench.ts');

interface ChildResult {
  status: string;
  distinct: number;
  generated: number;
  depth: number;
  wallMs: number;
  peakRssBytes: number;
  workers: number;
}

async function child(tag: string, workers: number): Promise<void> {
  const size = SIZES.find((s) => s.tag === tag)!;
  const mod = (await import('../src/index.js')) as any;
  const { check, compile } = mod;
  const spec = (await import(specPath)).default;
  const t0 = performance.now();
  let r;
  if (workers > 1) {
    r = await mod.checkParallel(specPath, size.consts, { workers });
  } else {
    r = check(compile(spec, size.consts));
  }
  const wallMs = performance.now() - t0;
  const out: ChildResult = {
    status: r.status,
    distinct: r.stats.distinct,
    generated: r.stats.generated,
    depth: r.stats.depth,
    wallMs,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    workers,
  };
  process.stdout.write('@@RESULT ' + JSON.stringify(out) + '\n');
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    await child(argv[1], Number(argv[2]));
    return;
  }
  let tags = ['S', 'M', 'L'];
  let workers = 1;
  let repeat = 1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--xl') tags = [...new Set([...tags, 'XL'])];
    else if (a === '--sizes' && i + 1 < argv.length) tags = argv[++i].split(',').map((t) => t.trim().toUpperCase());
    else if (a === '--workers' && i + 1 < argv.length) workers = Number(argv[++i]);
    else if (a === '--repeat' && i + 1 < argv.length) repeat = Number(argv[++i]);
    else {
      console.error(`bench: unknown flag '${a}' (known: --sizes S,M,L,XL  --xl  --workers N  --repeat K)`);
      process.exit(151);
    }
  }
  for (const t of tags) {
    if (!SIZES.some((s) => s.tag === t)) {
      console.error(`bench: unknown size '${t}' (known: S, M, L, XL)`);
      process.exit(151);
    }
  }
  if (!Number.isInteger(workers) || workers < 1 || !Number.isInteger(repeat) || repeat < 1) {
    console.error('bench: --workers and --repeat take a positive integer');
    process.exit(151);
  }

  let bad = false;
  const cpu = (() => {
    try {
      return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '?';
    } catch {
      return '?';
    }
  })();
  console.log(`tlbbench ${new Date().toISOString()}: ${availableParallelism()} CPUs (${cpu}), node ${process.version}, workers ${workers}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log('| size | distinct | transitions | depth | wall s | states/s | peak RSS MiB | B/state | workers |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const tag of tags) {
    const size = SIZES.find((s) => s.tag === tag)!;
    const runs: ChildResult[] = [];
    for (let k = 0; k < repeat; k++) {
      const p = spawnSync(process.execPath, ['--max-old-space-size=20000', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', tag, String(workers)], {
        stdio: ['ignore', 'pipe', 'inherit'],
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      });
      const line = (p.stdout ?? '').split('\n').find((l) => l.startsWith('@@RESULT '));
      if (p.status !== 0 || !line) {
        console.log(`!!! ${tag}: child failed (exit ${p.status}, signal ${p.signal})`);
        bad = true;
        break;
      }
      runs.push(JSON.parse(line.slice(9)) as ChildResult);
    }
    if (runs.length === 0) continue;
    const r = runs[0];
    const wall = median(runs.map((x) => x.wallMs)) / 1000;
    const rss = Math.max(...runs.map((x) => x.peakRssBytes));
    console.log(
      `| ${tag} | ${fmt(r.distinct)} | ${fmt(r.generated)} | ${r.depth} | ${wall.toFixed(2)}${repeat > 1 ? ` (median of ${repeat}: ${runs.map((x) => (x.wallMs / 1000).toFixed(2)).join(', ')})` : ''} | ${fmt(r.distinct / wall)} | ${fmt(rss / 2 ** 20)} | ${(rss / r.distinct).toFixed(1)} | ${r.workers} |`,
    );
    for (const x of runs) {
      if (x.distinct !== size.distinct || x.generated !== size.generated || x.depth !== size.depth || x.status !== 'ok') {
        console.log(
          `!!! COUNT MISMATCH at ${tag}: got status ${x.status}, ${fmt(x.distinct)} distinct / ${fmt(x.generated)} transitions / depth ${x.depth}; ` +
            `COUNTS.md says ${fmt(size.distinct)} / ${fmt(size.generated)} / ${size.depth}`,
        );
        bad = true;
      }
    }
  }
  if (bad) {
    console.log('!!! BENCH FAILED: counts differ from COUNTS.md or a run failed');
    process.exit(1);
  }
}

await main();
