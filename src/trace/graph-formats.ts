/**
 * A state graph (core/graph.ts) written out: Graphviz `dot` and JSON. Both are deterministic
 * (nodes in discovery order, edges in the order they were found) and show each state through
 * the spec's `view`, as traces do.
 *
 * dot: a node's label is its variables, one per line; initial states are double octagons,
 * states outside a constraint dashed, violating states red (with the properties they violate),
 * and the path to the first violating state is drawn bold red, its nodes with a thick border.
 *
 * JSON: `{ spec, constants, nodes: [{ id, depth, init, violates, state, outside? }], edges:
 * [{ from, to, action, actor?, violates? }], path, violation }` (an action property's violation names its `edge`), each state's variables as ITF values.
 */
import type { StateGraph } from '../core/graph.js';
import type { CompiledModel } from '../core/model.js';
import type { ConstValue } from '../core/spec.js';
import { viewOf, type HookNotes } from './hooks.js';
import { stateVars, toItf, type ItfValue } from './itf.js';
import { showState } from './text.js';

/** The graph formats. */
export const GRAPH_FORMATS = ['dot', 'json'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** A string as a dot quoted string (its newlines as left-justified line breaks). */
function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\l')}"`;
}

/** `spec mutex (N=2)`. */
function title(m: CompiledModel<unknown>): string {
  const consts = Object.entries(m.constants).map(([k, v]) => `${k}=${String(v)}`).join(', ');
  return `spec ${m.spec.name}${consts ? ` (${consts})` : ''}`;
}

/** One line on the graph: its size and its first violation. */
export function graphSummary<S>(m: CompiledModel<S>, g: StateGraph<S>): string {
  const count = (n: number, what: string) => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
  const size = `${count(g.nodes.length, 'state')}, ${count(g.edges.length, 'transition')}`;
  const v = g.violation;
  if (!v) return `${title(m as CompiledModel<unknown>)}: ${size}; no violation`;
  const depth = v.edge !== undefined ? g.nodes[g.edges[v.edge].from].depth + 1 : g.nodes[v.node].depth;
  return `${title(m as CompiledModel<unknown>)}: ${size}; ${v.property} violated at depth ${depth}${v.reason ? ` (${v.reason})` : ''}, the path to it highlighted`;
}

/** The graph in Graphviz dot. `notes` collects the display hooks that threw. */
export function graphToDot<S>(m: CompiledModel<S>, g: StateGraph<S>, notes: HookNotes = []): string {
  const view = viewOf(m, notes);
  const onPath = new Set(g.path ?? []);
  const pathEdges = new Set(g.pathEdges);
  const lines = [
    `// kripke graph: ${graphSummary(m, g).replace(/\r?\n/g, ' ')}`,
    `digraph ${quote(m.spec.name)} {`,
    '  node [shape=box, fontname="monospace", fontsize=10];',
    '  edge [fontname="monospace", fontsize=9];',
  ];
  for (const n of g.nodes) {
    const label = [...showState(view(n.state)), ...n.violations.map((v) => `violates ${v.property}`)];
    const attrs = [`label=${quote(label.join('\n') + '\n')}`, `tooltip=${quote(`state ${n.id}, depth ${n.depth}`)}`];
    if (n.init) attrs.push('shape=doubleoctagon');
    const style = [...(n.violations.length > 0 ? ['filled'] : []), ...(n.outside ? ['dashed'] : [])];
    if (style.length > 0) attrs.push(`style=${quote(style.join(','))}`);
    if (n.violations.length > 0) attrs.push('color=red', 'fontcolor=red', 'fillcolor="#ffecec"');
    if (onPath.has(n.id)) attrs.push('penwidth=2');
    lines.push(`  n${n.id} [${attrs.join(', ')}];`);
  }
  g.edges.forEach((e, i) => {
    const label = [e.action, ...(e.actor === undefined ? [] : [`[${e.actor}]`]), ...e.violations.map((x) => `violates ${x.property}`)].join('\n');
    const attrs = [`label=${quote(label)}`];
    if (pathEdges.has(i)) attrs.push('color=red', 'fontcolor=red', 'penwidth=2', 'style=bold');
    else if (e.violations.length > 0) attrs.push('color=red', 'fontcolor=red', 'style=dashed');
    lines.push(`  n${e.from} -> n${e.to} [${attrs.join(', ')}];`);
  });
  lines.push('}');
  return lines.join('\n');
}

/** The graph as JSON data (see the module comment). */
export interface GraphJson {
  spec: string;
  constants: Record<string, ConstValue>;
  nodes: { id: number; depth: number; init: boolean; violates: string[]; state: Record<string, ItfValue>; outside?: true }[];
  edges: { from: number; to: number; action: string; actor?: string; violates?: string[] }[];
  path: number[] | null;
  violation: { property: string; reason: string | null; node: number; edge?: number } | null;
}

/** The graph as a JSON document (see GraphJson). `notes` collects the display hooks that threw. */
export function graphToJson<S>(m: CompiledModel<S>, g: StateGraph<S>, notes: HookNotes = []): GraphJson {
  const view = viewOf(m, notes);
  const state = (s: S): Record<string, ItfValue> => Object.fromEntries(Object.entries(stateVars(view(s))).map(([k, v]) => [k, toItf(v)]));
  const v = g.violation;
  return {
    spec: m.spec.name,
    constants: { ...m.constants },
    nodes: g.nodes.map((n) => ({
      id: n.id,
      depth: n.depth,
      init: n.init,
      violates: n.violations.map((x) => x.property),
      state: state(n.state),
      ...(n.outside ? { outside: true as const } : {}),
    })),
    edges: g.edges.map((e) => ({
      from: e.from, to: e.to, action: e.action, ...(e.actor === undefined ? {} : { actor: e.actor }),
      ...(e.violations.length > 0 ? { violates: e.violations.map((x) => x.property) } : {}),
    })),
    path: g.path ? [...g.path] : null,
    violation: v ? { property: v.property, reason: v.reason ?? null, node: v.node, ...(v.edge !== undefined ? { edge: v.edge } : {}) } : null,
  };
}

/** A JSON document with its top-level fields one per line, and each node and edge on a line of its own. */
function stringifyGraph(doc: GraphJson): string {
  const field = ([k, v]: [string, unknown]): string =>
    Array.isArray(v) && v.length > 0 && typeof v[0] === 'object'
      ? `  ${JSON.stringify(k)}: [\n${v.map((x) => `    ${JSON.stringify(x)}`).join(',\n')}\n  ]`
      : `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
  return `{\n${Object.entries(doc).map(field).join(',\n')}\n}`;
}

/** The graph in `format`, as the text of a file. */
export function renderGraph<S>(format: GraphFormat, m: CompiledModel<S>, g: StateGraph<S>, notes: HookNotes = []): string {
  return format === 'dot' ? graphToDot(m, g, notes) : stringifyGraph(graphToJson(m, g, notes));
}
