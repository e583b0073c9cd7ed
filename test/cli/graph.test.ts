/**
 * `kripke graph`: the reachable state graph of a small configuration, as dot or JSON. Its nodes
 * and edges are exactly the distinct states and transitions `check` counts, the path to the
 * first violating state is the shortest counterexample and is the one highlighted, and a graph
 * past the limit is refused with nothing written.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIX, kripke, tempDir } from './helpers.js';

interface GraphDoc {
  spec: string;
  constants: Record<string, unknown>;
  nodes: { id: number; depth: number; init: boolean; violates: string[]; state: Record<string, unknown>; outside?: true }[];
  edges: { from: number; to: number; action: string; actor?: string }[];
  path: number[] | null;
  violation: { property: string; reason: string | null; node: number } | null;
}

async function graphJson(...args: string[]): Promise<GraphDoc> {
  const r = await kripke('graph', ...args, '--format', 'json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as GraphDoc;
}

/** `check --continue`'s distinct states and transitions (the whole state space). */
async function checkCounts(...args: string[]): Promise<{ distinct: number; transitions: number }> {
  const r = await kripke('check', ...args, '--continue', '--quiet', '--out', tempDir());
  const m = /^([\d,]+) distinct states found, [\d,]+ states generated \([\d,]+ initial, ([\d,]+) transitions\)/m.exec(r.out);
  expect(m, r.out + r.err).not.toBeNull();
  const n = (s: string) => Number(s.replace(/,/g, ''));
  return { distinct: n(m![1]), transitions: n(m![2]) };
}

/** The `a -> b` pairs of the dot edges drawn bold red. */
const redEdges = (dot: string) => [...dot.matchAll(/^ {2}n(\d+) -> n(\d+) \[.*color=red.*style=bold.*\];$/gm)].map((x) => [Number(x[1]), Number(x[2])]);
const pairs = (path: readonly number[]) => path.slice(1).map((to, i) => [path[i], to]);

describe('kripke graph: the nodes and edges are check\'s distinct states and transitions', () => {
  const specs: [string, ...string[]][] = [
    ['examples/mutex.ts'],
    ['examples/mutex.ts', '--const', 'N=3'],
    ['test/fixtures/counter.ts', '--const', 'K=7'],
    ['test/fixtures/pathGraph.ts', '--const', 'K=6,START=2'],
    ['test/fixtures/grid.ts'],
    ['test/fixtures/multiInit.ts'],
    ['test/fixtures/cycle.ts'],
    ['test/engine/notes-spec.ts'], // notes do not multiply states
    ['bench/tlbbench.ts'],
  ];
  for (const [spec, ...rest] of specs) {
    it(`${spec} ${rest.join(' ')}`, async () => {
      const [g, c] = await Promise.all([graphJson(spec, ...rest), checkCounts(spec, ...rest)]);
      expect(g.nodes.length).toBe(c.distinct);
      expect(g.edges.length).toBe(c.transitions);
      // ids are the breadth-first discovery order: depths never decrease, edges go at most one level down
      g.nodes.forEach((n, i) => expect(n.id).toBe(i));
      for (let i = 1; i < g.nodes.length; i++) expect(g.nodes[i].depth).toBeGreaterThanOrEqual(g.nodes[i - 1].depth);
      for (const e of g.edges) expect(g.nodes[e.to].depth).toBeLessThanOrEqual(g.nodes[e.from].depth + 1);
    });
  }
  it('the counter: K+1 states in a line, no violation, path null', async () => {
    const g = await graphJson('test/fixtures/counter.ts', '--const', 'K=3');
    expect(g.nodes.map((n) => [n.id, n.depth, n.init, n.state])).toEqual([0, 1, 2, 3].map((n) => [n, n + 1, n === 0, { n: { '#bigint': String(n) } }]));
    expect(g.edges).toEqual([0, 1, 2].map((n) => ({ from: n, to: n + 1, action: 'Inc' })));
    expect(g.path).toBeNull();
    expect(g.violation).toBeNull();
  });
  it('several initial states: each is a node marked init (the duplicate once)', async () => {
    const g = await graphJson('test/fixtures/multiInit.ts');
    expect(g.nodes.filter((n) => n.init).map((n) => n.state)).toEqual([{ n: { '#bigint': '0' } }, { n: { '#bigint': '5' } }]);
    expect(g.violation).toEqual({ property: 'NotEight', reason: null, node: g.path!.at(-1) });
    expect(g.path!.map((id) => g.nodes[id].state.n)).toEqual([5, 6, 7, 8].map((n) => ({ '#bigint': String(n) })));
  });
  it('a state outside a constraint is a node (outside: true, dashed), not expanded; check drops it', async () => {
    const g = await graphJson('test/fixtures/constrained.ts', '--const', 'LIMIT=3');
    expect((await checkCounts('test/fixtures/constrained.ts', '--const', 'LIMIT=3')).distinct).toBe(3);
    expect(g.nodes).toHaveLength(4);
    expect(g.nodes.map((n) => n.outside ?? false)).toEqual([false, false, false, true]);
    expect(g.edges.filter((e) => e.from === 3)).toEqual([]);
    const dot = (await kripke('graph', 'test/fixtures/constrained.ts', '--const', 'LIMIT=3')).out;
    expect(dot).toMatch(/^ {2}n3 \[.*style="dashed".*\];$/m);
    expect(dot).not.toMatch(/^ {2}n2 \[.*dashed/m);
  });
  it('with deadlock checking on, a state with no enabled action violates Deadlock', async () => {
    const g = await graphJson('test/fixtures/deadlock.ts');
    expect(g.nodes.map((n) => n.violates)).toEqual([[], [], [], ['Deadlock']]);
    expect(g.violation).toEqual({ property: 'Deadlock', reason: 'no action is enabled', node: 3 });
    expect(g.path).toEqual([0, 1, 2, 3]);
    expect((await graphJson('test/fixtures/deadlock.ts', '--const', 'DEADLOCK=false')).violation).toBeNull();
  });
});

describe('kripke graph: the violating path', () => {
  it('mutex: the shortest counterexample (4 actions), drawn bold red edge by edge, and nothing else is', async () => {
    const g = await graphJson('examples/mutex.ts');
    expect(g.violation).toEqual({ property: 'MutualExclusion', reason: 'processes 1 and 2 are both critical', node: 8 });
    expect(g.path).toHaveLength(5);
    expect(g.nodes[g.path![0]].init).toBe(true);
    expect(g.nodes.filter((n) => n.violates.length > 0).map((n) => n.id)).toEqual([8]);
    for (const [a, b] of pairs(g.path!)) expect(g.edges.some((e) => e.from === a && e.to === b)).toBe(true);

    const r = await kripke('graph', 'examples/mutex.ts', '--format', 'dot');
    expect(r.code).toBe(0);
    const dot = r.out;
    expect(dot).toMatch(/^\/\/ kripke graph: spec mutex \(N=2\): 9 states, 16 transitions; MutualExclusion violated at depth 5/);
    expect(dot).toMatch(/^digraph "mutex" \{$/m);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    expect(redEdges(dot)).toEqual(pairs(g.path!));
    expect([...dot.matchAll(/ -> /g)]).toHaveLength(16);
    // the violating node red, with the property in its label; the initial state a double octagon
    expect([...dot.matchAll(/^ {2}n(\d+) \[.*color=red.*\];$/gm)].map((x) => Number(x[1]))).toEqual([8]);
    expect(dot).toMatch(/^ {2}n8 \[label="pc = \[1: \\"critical\\", 2: \\"critical\\"\]\\lflag = \[1: true, 2: true\]\\lviolates MutualExclusion\\l"/m);
    expect([...dot.matchAll(/^ {2}n(\d+) \[.*shape=doubleoctagon.*\];$/gm)].map((x) => Number(x[1]))).toEqual([0]);
    expect(dot).toMatch(/^ {2}n0 -> n1 \[label="Check\(p=1\)"/m);
    expect(r.err).toMatch(/^spec mutex \(N=2\): 9 states, 16 transitions; MutualExclusion violated at depth 5 .*highlighted\n$/);
  });
  it('a grid: exactly BX+BY bold red edges, from (0, 0) to the bad cell', async () => {
    const c = ['--const', 'W=4,H=3,BX=2,BY=2'];
    const g = await graphJson('test/fixtures/grid.ts', ...c);
    expect(g.path).toHaveLength(5);
    expect(g.nodes[g.path!.at(-1)!].state).toEqual({ x: { '#bigint': '2' }, y: { '#bigint': '2' } });
    const dot = (await kripke('graph', 'test/fixtures/grid.ts', ...c)).out;
    expect(redEdges(dot)).toEqual(pairs(g.path!));
  });
  it('actors label the edges, and nodes show the spec\'s view', async () => {
    const g = await graphJson(`${FIX}/graph-lamps.ts`);
    expect(g.nodes.map((n) => n.state)).toEqual([{ lamps: 'off/off' }, { lamps: 'on/off' }, { lamps: 'off/on' }, { lamps: 'on/on' }]);
    expect(g.edges[0]).toEqual({ from: 0, to: 1, action: 'Toggle(l=a)', actor: 'switch a' });
    expect(g.path).toEqual([0, 1, 3]);
    const dot = (await kripke('graph', `${FIX}/graph-lamps.ts`)).out;
    expect(dot).toMatch(/^ {2}n0 \[label="lamps = \\"off\/off\\"\\l"/m);
    expect(dot).toContain('n0 -> n1 [label="Toggle(l=a)\\l[switch a]", color=red');
  });
});

describe('kripke graph: action properties', () => {
  it('judges every edge, self-loops too, and highlights the path ending with the violating transition', async () => {
    const r = await kripke('graph', `${FIX}/graph-action.ts`, '--format', 'json');
    expect(r.code).toBe(0);
    const g = JSON.parse(r.out);
    expect(g.violation).toEqual({ property: 'NoSecondInc', reason: 'second Inc', node: 2, edge: 1 });
    expect(g.path).toEqual([0, 1, 2]);
    expect(g.edges.map((e: { violates?: string[] }) => e.violates ?? [])).toEqual([[], ['NoSecondInc'], []]);
    const dot = (await kripke('graph', `${FIX}/graph-action.ts`)).out;
    expect(dot).toContain('n1 -> n2 [label="Inc\\lviolates NoSecondInc", color=red, fontcolor=red, penwidth=2, style=bold];');
    expect(r.err).toMatch(/NoSecondInc violated at depth 3 \(second Inc\)/);
  });
});

describe('kripke graph: output', () => {
  it('json: spec, constants, nodes, edges, path, violation; one node or edge per line', async () => {
    const r = await kripke('graph', 'examples/mutex.ts', '--format', 'json');
    const g = JSON.parse(r.out) as GraphDoc;
    expect(Object.keys(g)).toEqual(['spec', 'constants', 'nodes', 'edges', 'path', 'violation']);
    expect(g.spec).toBe('mutex');
    expect(g.constants).toEqual({ N: 2 });
    expect(Object.keys(g.nodes[0])).toEqual(['id', 'depth', 'init', 'violates', 'state']);
    expect(g.nodes[0]).toEqual({
      id: 0,
      depth: 1,
      init: true,
      violates: [],
      state: {
        pc: { '#map': [[{ '#bigint': '1' }, 'idle'], [{ '#bigint': '2' }, 'idle']] },
        flag: { '#map': [[{ '#bigint': '1' }, false], [{ '#bigint': '2' }, false]] },
      },
    });
    expect(r.out.split('\n')).toHaveLength(1 + 2 + (1 + 9 + 1) + (1 + 16 + 1) + 2 + 1);
  });
  it('is deterministic', async () => {
    for (const format of ['dot', 'json']) {
      const a = await kripke('graph', 'examples/mutex.ts', '--const', 'N=3', '--format', format);
      const b = await kripke('graph', 'examples/mutex.ts', '--const', 'N=3', '--format', format);
      expect(a.out).toBe(b.out);
    }
  });
  it('-o FILE (and --output) writes the file, as stdout would have been, and says so', async () => {
    const dir = tempDir();
    const file = join(dir, 'sub', 'mutex.dot');
    const r = await kripke('graph', 'examples/mutex.ts', '-o', file);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`Wrote ${file}: spec mutex (N=2): 9 states, 16 transitions; MutualExclusion violated at depth 5 (processes 1 and 2 are both critical), the path to it highlighted`);
    expect(readFileSync(file, 'utf8')).toBe(`${(await kripke('graph', 'examples/mutex.ts')).out}\n`);
    const json = join(dir, 'mutex.json');
    expect((await kripke('graph', 'examples/mutex.ts', '--format', 'json', '--output', json)).code).toBe(0);
    expect((JSON.parse(readFileSync(json, 'utf8')) as GraphDoc).nodes).toHaveLength(9);
    expect(readdirSync(dir).sort()).toEqual(['mutex.json', 'sub']); // no temporary file left
  });
});

describe('kripke graph: limits and bad input', () => {
  it('more states than the limit (default 2,000): refused on one line naming the limit and --max-states, no file written', async () => {
    const dir = tempDir();
    const file = join(dir, 'big.dot');
    const r = await kripke('graph', 'test/fixtures/counter.ts', '--const', 'K=2000', '-o', file);
    expect(r.code).toBe(151);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      'kripke: error: the state graph of spec counter has more than 2,000 states, the limit: raise it with --max-states N (or choose smaller constants); nothing written\n',
    );
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    const raised = await kripke('graph', 'test/fixtures/counter.ts', '--const', 'K=2000', '--max-states', '2001', '--format', 'json');
    expect(raised.code).toBe(0);
    expect((JSON.parse(raised.out) as GraphDoc).nodes).toHaveLength(2001);
  });
  it('--max-states lowers it: a graph of exactly N states is written, of N+1 refused', async () => {
    expect((await kripke('graph', 'examples/mutex.ts', '--max-states', '9')).code).toBe(0);
    const r = await kripke('graph', 'examples/mutex.ts', '--max-states', '8');
    expect(r.code).toBe(151);
    expect(r.err).toMatch(/^kripke: error: the state graph of spec mutex has more than 8 states, the limit: raise it with --max-states N/);
  });
  it('bad input is one line with its exit code', async () => {
    const cases: [string[], number, RegExp][] = [
      [['examples/mutex.ts', '--format', 'svg'], 151, /^kripke: error: --format expects dot or json for 'kripke graph', got 'svg'\n$/],
      [[], 151, /^kripke: error: 'kripke graph' needs a spec module: kripke graph <spec.ts>/],
      [['examples/mutex.ts', 'extra'], 151, /^kripke: error: unexpected argument 'extra'\n$/],
      [['examples/mutex.ts', '--max-states', '0'], 151, /^kripke: error: --max-states expects a positive integer, got '0'\n$/],
      [['examples/mutex.ts', '--const', 'N=9'], 151, /^kripke: error: .*N/],
      [['examples/mutex.ts', '--invariant', 'MutualExclusion'], 151, /^kripke: error: option --invariant does not apply to 'graph'\n$/],
      [['test/fixtures/no-such-spec.ts'], 150, /^kripke: error: /],
      [[`${FIX}/throwing-action.ts`], 75, /^kripke: error: action Explode threw: division by zero in Explode\n$/],
    ];
    for (const [args, code, err] of cases) {
      const r = await kripke('graph', ...args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.err, args.join(' ')).toMatch(err);
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.out, args.join(' ')).toBe('');
    }
  });
  it('--format and -o do not apply to check', async () => {
    expect((await kripke('check', 'examples/mutex.ts', '--format', 'dot')).err).toMatch(/option --format does not apply to 'check'/);
    expect((await kripke('check', 'examples/mutex.ts', '-o', 'x')).err).toMatch(/option --output does not apply to 'check'/);
  });
});
