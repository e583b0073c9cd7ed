/**
 * `npm run bench`: tlbbench at S, M, L (and XL with --xl), then the other jobs (kernel spec,
 * mutex, the Set/List-heavy bench/specs/bag.ts), each run in a fresh child process so that peak
 * RSS is per run. Exits non-zero, loudly, if any count differs from the expected one (tlbbench:
 * COUNTS.md; the other jobs: JOBS below).
 *
 *   npm run bench                         # tlbbench S, M, L, then every job of JOBS, 1 worker
 *   npm run bench -- --sizes S,M --workers 2
 *   npm run bench -- --xl                 # the default, and tlbbench XL
 *   npm run bench -- --sizes M --repeat 3 # tlbbench M only, median of 3
 *   npm run bench -- --jobs kernel-V0-4,mutex-5 --plain
 *   npm run bench -- --list               # the jobs and their expected counts
 *   npm run bench -- --beyond             # simulation (time to a violation, shrunk length) and --minimise's cost
 *   npm run bench --symmetry              # the symmetry jobs (tlbbench S, M, L and the kernel with --symmetry), and their reduction
 *   npm run bench -- --symmetry --jobs M-sym --repeat 3
 *
 * --sizes selects tlbbench sizes, --jobs selects jobs by name (tlbbench sizes are jobs S, M, L,
 * XL too; `--jobs all` is every non-tlbbench job); with neither, the default set runs. tlbbench
 * runs first, so M's states/s is known when the other rows are printed.
 *
 * --plain also runs each selected job on the plain path (the child's environment gets
 * KRIPKE_NO_CODEC=1: no byte encoding of states), alternating default and plain runs, and prints
 * both rows; "ratio to plain" is the plain run's wall time divided by the default run's (median
 * walls with --repeat). "vs M" is a row's states/s divided by tlbbench M's (default path) in this
 * invocation.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

type Status = 'ok' | 'violation' | 'deadlock' | 'incomplete' | 'error';

interface Job {
  name: string;
  /** 'tlbbench' rows are selected by --sizes (and --xl); 'symmetry' rows by --symmetry; the others by --jobs */
  group: 'tlbbench' | 'jobs' | 'symmetry';
  /** the spec module, relative to the repository root */
  spec: string;
  consts: [string, string][];
  /** passed to check / checkParallel */
  options?: { continue?: boolean; symmetry?: 'sort' | 'exhaustive' };
  /** symmetry jobs: the distinct states without symmetry, when known (the reduction factor's numerator) */
  unreduced?: number;
  status: Status;
  distinct: number;
  /** transitions: successors generated, duplicates included, initial states excluded */
  generated: number;
  depth: number;
  /** in the default set (`npm run bench` without --sizes / --jobs) */
  byDefault: boolean;
  doc: string;
}

const tlb = (tag: string, consts: [string, string][], distinct: number, generated: number, depth: number, byDefault: boolean): Job => ({
  name: tag, group: 'tlbbench', spec: 'bench/tlbbench.ts', consts, status: 'ok', distinct, generated, depth, byDefault,
  doc: `tlbbench ${consts.map(([, v]) => v).join(',')}`,
});

/** tlbbench with CPU symmetry (`--symmetry`): COUNTS.md's symmetric column; transitions measured. */
const tlbSym = (tag: string, consts: [string, string][], distinct: number, generated: number, depth: number, unreduced: number): Job => ({
  ...tlb(`${tag}-sym`, consts, distinct, generated, depth, false), group: 'symmetry', options: { symmetry: 'sort' }, unreduced,
  doc: `tlbbench ${consts.map(([, v]) => v).join(',')}, CPUS symmetric (--symmetry)`,
});

/** Expected counts: tlbbench from ../shared/bench/COUNTS.md; the others measured (default and plain paths agree). */
const JOBS: Job[] = [
  tlbSym('S', [['N', '3'], ['P', '3'], ['F', '3']], 19_726, 147_793, 16, 96_954),
  tlbSym('M', [['N', '4'], ['P', '3'], ['F', '3']], 86_565, 854_840, 20, 1_418_010),
  tlbSym('L', [['N', '6'], ['P', '2'], ['F', '3']], 62_860, 792_044, 22, 12_426_687),
  {
    name: 'kernel-V0-5-sym', group: 'symmetry', spec: 'spec/kernel.ts', consts: [['VARIANT', 'V0'], ['CPUS', '5']], options: { symmetry: 'sort' },
    status: 'ok', distinct: 21_355, generated: 197_073, depth: 24, byDefault: false, unreduced: 516_080,
    doc: 'kernel spec V0 at 5 CPUs with --symmetry: remote CPUs 1-4 (with their threads) × frames f1, f2',
  },
  {
    name: 'kernel-V0-6-sym', group: 'symmetry', spec: 'spec/kernel.ts', consts: [['VARIANT', 'V0'], ['CPUS', '6']], options: { symmetry: 'sort' },
    status: 'ok', distinct: 52_460, generated: 573_368, depth: 27, byDefault: false, unreduced: 4_532_720,
    doc: 'kernel spec V0 at 6 CPUs with --symmetry: remote CPUs 1-5 × frames f1, f2 (4,532,720 states without)',
  },
  tlb('S', [['N', '3'], ['P', '3'], ['F', '3']], 96_954, 721_161, 16, true),
  tlb('M', [['N', '4'], ['P', '3'], ['F', '3']], 1_418_010, 13_962_945, 20, true),
  tlb('L', [['N', '6'], ['P', '2'], ['F', '3']], 12_426_687, 156_165_078, 22, true),
  tlb('XL', [['N', '4'], ['P', '4'], ['F', '4']], 69_788_257, 826_451_520, 25, false),
  {
    name: 'kernel-V0-4', group: 'jobs', spec: 'spec/kernel.ts', consts: [['VARIANT', 'V0'], ['CPUS', '4']],
    status: 'ok', distinct: 64_160, generated: 487_048, depth: 21, byDefault: true,
    doc: 'kernel spec, correct x86 shootdown, 4 CPUs, 2 frames (Sets of CPUs, nested Maps)',
  },
  {
    name: 'kernel-V0-5', group: 'jobs', spec: 'spec/kernel.ts', consts: [['VARIANT', 'V0'], ['CPUS', '5']],
    status: 'ok', distinct: 516_080, generated: 4_757_444, depth: 24, byDefault: true,
    doc: 'kernel spec, correct x86 shootdown, 5 CPUs, 2 frames',
  },
  {
    name: 'kernel-V0-mixed-3', group: 'jobs', spec: 'spec/kernel.ts', consts: [['VARIANT', 'V0-mixed'], ['CPUS', '3']],
    status: 'ok', distinct: 423_162, generated: 2_729_122, depth: 32, byDefault: true,
    doc: 'kernel spec, V0 with migrating threads, two mms and kswapd reclaim, 3 CPUs',
  },
  {
    name: 'kernel-V0-pcid-3', group: 'jobs', spec: 'spec/kernel.ts', consts: [['VARIANT', 'V0-pcid'], ['CPUS', '3']],
    status: 'ok', distinct: 224_150, generated: 1_390_340, depth: 33, byDefault: true,
    doc: 'kernel spec, x86 with PCID contexts and tlb_gen generations, 3 CPUs',
  },
  {
    name: 'kernel-V0b-3', group: 'jobs', spec: 'spec/kernel.ts', consts: [['VARIANT', 'V0b'], ['CPUS', '3']],
    status: 'ok', distinct: 2_570_430, generated: 17_855_464, depth: 46, byDefault: true,
    doc: 'kernel spec, mainline lazy mm_cpumask (sticky bits, trimming, switch steps), 3 CPUs',
  },
  {
    name: 'mutex-5', group: 'jobs', spec: 'examples/mutex.ts', consts: [['N', '5']], options: { continue: true },
    status: 'violation', distinct: 243, generated: 890, depth: 11, byDefault: true,
    doc: 'the README\'s naive lock, 5 processes, --continue (the whole space: counts do not depend on where a search stops)',
  },
  {
    name: 'bag-M5-W3', group: 'jobs', spec: 'bench/specs/bag.ts', consts: [['M', '5'], ['W', '3']],
    status: 'ok', distinct: 8_505, generated: 68_418, depth: 26, byDefault: true,
    doc: 'sliding window over a bag network (Set of message Records, List output), 5 messages, window 3',
  },
  {
    name: 'bag-M6-W4', group: 'jobs', spec: 'bench/specs/bag.ts', consts: [['M', '6'], ['W', '4']],
    status: 'ok', distinct: 76_545, generated: 758_889, depth: 31, byDefault: true,
    doc: 'sliding window over a bag network, 6 messages, window 4',
  },
  {
    name: 'deep-300k', group: 'jobs', spec: 'bench/specs/deep.ts', consts: [['MAX', '300000']],
    status: 'ok', distinct: 600_002, generated: 1_200_002, depth: 300_002, byDefault: true,
    doc: 'a counter to 300,000 with a flag: 300,002 levels of two states (per-level cost; a slot of 300,001 values)',
  },
];

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

interface ChildResult {
  status: string;
  distinct: number;
  generated: number;
  depth: number;
  wallMs: number;
  peakRssBytes: number;
  /** worker threads asked for */
  workers: number;
  /** threads that explored the state space (checkParallel's threads.used; 1 for check) */
  used: number;
  /** why fewer threads were used, if checkParallel says */
  reason?: string;
  /** status 'error': the engine's message */
  error?: string;
}

async function child(name: string, workers: number): Promise<void> {
  const job = JOBS.find((j) => j.name === name)!;
  const specPath = resolve(root, job.spec);
  const mod = (await import('../src/index.js')) as any;
  const { check, compile } = mod;
  const spec = (await import(specPath)).default;
  const t0 = performance.now();
  let r;
  if (workers > 1) {
    r = await mod.checkParallel(specPath, job.consts, { workers, ...job.options });
  } else {
    r = job.options ? check(compile(spec, job.consts), job.options) : check(compile(spec, job.consts));
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
    used: r.threads?.used ?? 1,
    ...(r.threads?.reason !== undefined ? { reason: r.threads.reason } : {}),
    ...(r.error ? { error: `${r.error.message}${r.error.action ? ` (action ${r.error.action})` : ''}` } : {}),
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

type Path = 'default' | 'plain';

/** One run of a job in a fresh child process; null (after printing why) if the child failed. */
function runChild(job: Job, workers: number, path: Path): ChildResult | null {
  const env = { ...process.env };
  if (path === 'plain') env.KRIPKE_NO_CODEC = '1';
  const p = spawnSync(process.execPath, ['--max-old-space-size=20000', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', job.name, String(workers)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env,
  });
  const line = (p.stdout ?? '').split('\n').find((l) => l.startsWith('@@RESULT '));
  if (p.status !== 0 || !line) {
    console.log(`!!! ${job.name}${path === 'plain' ? ' (plain)' : ''}: child failed (exit ${p.status}, signal ${p.signal})`);
    return null;
  }
  return JSON.parse(line.slice(9)) as ChildResult;
}

function usage(): string {
  return 'known: --sizes S,M,L,XL  --xl  --jobs NAME,...|all  --symmetry  --plain  --workers N  --repeat K  --list';
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--beyond')) {
    await import('./beyond-bfs.js'); // simulation and minimisation (issue #14): its own tables
    return;
  }
  if (argv[0] === '--child') {
    await child(argv[1], Number(argv[2]));
    return;
  }
  let sizes: string[] | null = null;
  let jobNames: string[] | null = null;
  let xl = false;
  let workers = 1;
  let repeat = 1;
  let plain = false;
  // (`npm run bench --symmetry` hands the flag to npm, which passes it on as npm_config_symmetry)
  let symmetry = process.env.npm_config_symmetry === 'true';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--xl') xl = true;
    else if (a === '--symmetry') symmetry = true;
    else if (a === '--sizes' && i + 1 < argv.length) sizes = argv[++i].split(',').map((t) => t.trim().toUpperCase()).filter((t) => t !== '');
    else if (a === '--jobs' && i + 1 < argv.length) jobNames = argv[++i].split(',').map((t) => t.trim()).filter((t) => t !== '');
    else if (a === '--workers' && i + 1 < argv.length) workers = Number(argv[++i]);
    else if (a === '--repeat' && i + 1 < argv.length) repeat = Number(argv[++i]);
    else if (a === '--plain') plain = true;
    else if (a === '--list') {
      console.log('| job | spec | constants | options | status | distinct | transitions | depth | default set | what |');
      console.log('|---|---|---|---|---|---:|---:|---:|---|---|');
      for (const j of JOBS) {
        console.log(
          `| ${j.name} | ${j.spec} | ${j.consts.map(([k, v]) => `${k}=${v}`).join(',')} | ${j.options?.continue ? 'continue' : ''} | ${j.status} | ` +
            `${fmt(j.distinct)} | ${fmt(j.generated)} | ${j.depth} | ${j.byDefault ? 'yes' : (j.name === 'XL' ? '--xl' : 'no')} | ${j.doc} |`,
        );
      }
      return;
    } else {
      console.error(`bench: unknown flag '${a}' (${usage()})`);
      process.exit(151);
    }
  }
  // Unknown names are refused before anything runs.
  const tlbTags = JOBS.filter((j) => j.group === 'tlbbench').map((j) => j.name);
  for (const t of sizes ?? []) {
    if (!tlbTags.includes(t)) {
      console.error(`bench: unknown size '${t}' (known: ${tlbTags.join(', ')})`);
      process.exit(151);
    }
  }
  const expandedJobs: string[] = [];
  for (const n of jobNames ?? []) {
    if (n === 'all') expandedJobs.push(...JOBS.filter((j) => j.group === 'jobs').map((j) => j.name));
    else if (tlbTags.includes(n.toUpperCase())) expandedJobs.push(n.toUpperCase());
    else if (JOBS.some((j) => j.name === n)) expandedJobs.push(n);
    else {
      console.error(`bench: unknown job '${n}' (known: ${JOBS.map((j) => j.name).join(', ')}, all)`);
      process.exit(151);
    }
  }
  if (!Number.isInteger(workers) || workers < 1 || !Number.isInteger(repeat) || repeat < 1) {
    console.error('bench: --workers and --repeat take a positive integer');
    process.exit(151);
  }
  // The selection: named sizes and jobs, or the default set; --xl adds XL. tlbbench first.
  let wanted: string[];
  if (symmetry && sizes === null && jobNames === null) wanted = JOBS.filter((j) => j.group === 'symmetry').map((j) => j.name);
  else if (sizes === null && jobNames === null) wanted = JOBS.filter((j) => j.byDefault).map((j) => j.name);
  else wanted = [...(sizes ?? []), ...expandedJobs];
  if (xl) wanted.push('XL');
  wanted = [...new Set(wanted)];
  const selected = [
    ...wanted.filter((n) => tlbTags.includes(n)),
    ...wanted.filter((n) => !tlbTags.includes(n)),
  ].map((n) => JOBS.find((j) => j.name === n)!);

  let bad = false;
  const cpu = (() => {
    try {
      return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '?';
    } catch {
      return '?';
    }
  })();
  console.log(
    `kripke bench ${new Date().toISOString()}: ${availableParallelism()} CPUs (${cpu}), node ${process.version}, workers ${workers}, ` +
      `load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}${plain ? ', with plain-path runs (KRIPKE_NO_CODEC=1)' : ''}`,
  );
  if (process.env.KRIPKE_NO_CODEC) console.log('note: KRIPKE_NO_CODEC is set in this environment, so the "default" rows run the plain path too');
  console.log('| job | path | distinct | transitions | depth | wall s | states/s | peak RSS MiB | B/state | workers | ratio to plain | vs M |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  let mRate: number | null = null;
  /** symmetry jobs: the reduction factor of each, printed after the table */
  const reductions: string[] = [];
  const paths: Path[] = plain ? ['default', 'plain'] : ['default'];
  for (const job of selected) {
    const runs: Record<Path, ChildResult[]> = { default: [], plain: [] };
    let failed = false;
    for (let k = 0; k < repeat && !failed; k++) {
      for (const path of paths) {
        const r = runChild(job, workers, path);
        if (r === null) {
          failed = true;
          bad = true;
          break;
        }
        runs[path].push(r);
      }
    }
    const wall = (path: Path) => median(runs[path].map((x) => x.wallMs)) / 1000;
    if (job.name === 'M' && runs.default.length === repeat) mRate = runs.default[0].distinct / wall('default');
    for (const path of paths) {
      const rs = runs[path];
      if (rs.length === 0 || (failed && rs.length < repeat)) continue;
      const r = rs[0];
      const w = wall(path);
      const rss = Math.max(...rs.map((x) => x.peakRssBytes));
      const rate = r.distinct / w;
      // A plain run on several worker threads used the byte encoding after all: no ratio.
      const plainIsPlain = runs.plain.every((x) => x.used <= 1);
      const ratio =
        path === 'plain' ? 'ref'
        : runs.plain.length !== rs.length ? '–'
        : plainIsPlain ? (wall('plain') / w).toFixed(2)
        : 'n/a';
      const threads = r.used === r.workers ? String(r.workers) : `${r.used} of ${r.workers}`;
      console.log(
        `| ${job.name} | ${path} | ${fmt(r.distinct)} | ${fmt(r.generated)} | ${r.depth} | ${w.toFixed(2)}` +
          `${repeat > 1 ? ` (median of ${repeat}: ${rs.map((x) => (x.wallMs / 1000).toFixed(2)).join(', ')})` : ''} | ${fmt(rate)} | ` +
          `${fmt(rss / 2 ** 20)} | ${(rss / r.distinct).toFixed(1)} | ${threads} | ${ratio} | ${mRate === null ? '–' : (rate / mRate).toFixed(2)} |`,
      );
    }
    for (const path of paths) {
      for (const x of runs[path]) {
        if (x.distinct !== job.distinct || x.generated !== job.generated || x.depth !== job.depth || x.status !== job.status) {
          console.log(
            `!!! COUNT MISMATCH at ${job.name}${path === 'plain' ? ' (plain path)' : ''}: got status ${x.status}, ${fmt(x.distinct)} distinct / ${fmt(x.generated)} transitions / depth ${x.depth}; ` +
              `${job.group === 'tlbbench' ? 'COUNTS.md' : 'bench/run.ts'} says ${job.status}, ${fmt(job.distinct)} / ${fmt(job.generated)} / ${job.depth}` +
              (x.error !== undefined ? `; the error: ${x.error}` : ''),
          );
          bad = true;
        }
      }
    }
    if (job.unreduced !== undefined && runs.default.length > 0) {
      const r = runs.default[0];
      reductions.push(`${job.name}: ${fmt(job.unreduced)} states without symmetry, ${fmt(r.distinct)} orbits: reduction ${(job.unreduced / r.distinct).toFixed(1)}x`);
    }
    const parallelPlain = runs.plain.find((x) => x.used > 1);
    if (parallelPlain !== undefined) {
      console.log(
        `note: ${job.name} (plain path): ${parallelPlain.used} worker threads explored it, so it did not run on the plain path ` +
          '(checkParallel does not read KRIPKE_NO_CODEC): no ratio',
      );
    }
    for (const r of runs.default.slice(0, 1)) {
      if (r.used < r.workers && r.reason !== undefined) console.log(`note: ${job.name} ran in ${r.used} thread(s): ${r.reason}`);
    }
  }
  for (const l of reductions) console.log(l);
  if (bad) {
    console.log('!!! BENCH FAILED: counts differ from the expected ones (COUNTS.md, bench/run.ts) or a run failed');
    process.exit(1);
  }
}

await main();
