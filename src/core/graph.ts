/**
 * The reachable state graph of a small configuration, as data: every state reachable from Init
 * (a node, numbered in breadth-first discovery order) and every transition between them (an
 * edge, one per enabled action instance, in instance order), with the invariants each state
 * violates and a shortest path from an initial state to the first violating state.
 *
 * The explorer (explorer.ts) keeps fingerprints, not states, and never enumerates the edges to
 * states it has seen; this walk keeps everything, so it is for configurations of a few thousand
 * states, and it stops (saying so) past a limit instead of growing without bound. It uses the
 * engine's own pieces: `successorOf` for action semantics, 64-bit fingerprints with `is()` to
 * deduplicate, the verdict helpers to judge properties, as the explorer does:
 *  - states are compared without their note fields (notes.ts), and a node keeps the first
 *    representative met, as the search does;
 *  - a state outside a constraint is a node (checked against the invariants) that is not
 *    expanded, where `check` drops it (so it is not among `check`'s distinct states);
 *  - with deadlock checking on, an expanded state with no enabled action violates `Deadlock`;
 *  - every edge is judged against the action properties of its family (a self-loop too: the
 *    kernel's NoStaleTranslation fails on an access that changes nothing).
 * The highlighted path leads to the shallowest violation: a violating node, or the violating
 * edge at the end of the path to its source (a node wins a tie). `sometimes` is not judged.
 */
import { is } from 'immutable';
import { successorOf } from './claim.js';
import { KripkeError, messageOf, UsageError } from './errors.js';
import { fingerprint } from './hash.js';
import { installRecordEquals } from './immutable-internals.js';
import { formatAction, type CompiledModel, type Instance } from './model.js';
import { stripper } from './notes.js';
import { learnKind } from './state-kind.js';
import { findMutable } from './values.js';
import { failed, reasonOf, within } from './verdict.js';

/** A property a state violates, with the reason its `violated(...)` gave. */
export interface GraphViolation {
  readonly property: string;
  readonly reason?: string;
}

/** One reachable state. */
export interface GraphNode<S = unknown> {
  /** Breadth-first discovery order, from 0. */
  readonly id: number;
  /** The state as first reached (with the notes the action that produced it wrote). */
  readonly state: S;
  /** Init being depth 1, as `check --max-depth` counts. */
  readonly depth: number;
  /** Whether it is an initial state. */
  readonly init: boolean;
  /** Outside a state constraint: kept and checked, not expanded. */
  readonly outside: boolean;
  /** The invariants it violates, in declaration order, then `Deadlock`. */
  readonly violations: readonly GraphViolation[];
  /** The edge it was discovered by (its BFS parent link), or -1 for an initial state. */
  readonly parentEdge: number;
}

/** One transition: an enabled action instance from one node to another (maybe itself). */
export interface GraphEdge {
  readonly from: number;
  readonly to: number;
  /** The action instance's index in the model's `instances`. */
  readonly instance: number;
  /** `Name(p=v, ...)`. */
  readonly action: string;
  /** The family's `actor` of the instance, when it declares one. */
  readonly actor?: string;
  /** The action properties the transition violates, in declaration order. */
  readonly violations: readonly GraphViolation[];
}

/** The reachable state graph, complete. */
export interface StateGraph<S = unknown> {
  readonly nodes: readonly GraphNode<S>[];
  readonly edges: readonly GraphEdge[];
  /**
   * The shallowest violation: of a node (least id: at minimal depth), or of an edge (`edge`
   * set; `node` is then the edge's target); null if nothing violates.
   */
  readonly violation: (GraphViolation & { readonly node: number; readonly edge?: number }) | null;
  /** Node ids of a shortest path from an initial state to that node, or null. */
  readonly path: readonly number[] | null;
  /** Edge indices along that path (one fewer than its nodes), empty if none. */
  readonly pathEdges: readonly number[];
  /** Display hooks (`actor`) that threw; the edge is labelled without them. */
  readonly notes: readonly string[];
}

/** The graph, or the limit it would exceed. */
export type GraphOutcome<S = unknown> = { readonly complete: true; readonly graph: StateGraph<S> } | { readonly complete: false; readonly limit: number };

/** How far the walk may go. */
export interface GraphOptions {
  /** The most nodes the graph may have; one more stops the walk (`complete: false`). */
  readonly maxStates: number;
}

/**
 * Walks the reachable state graph of `m` breadth-first. Returns `{ complete: false }` as soon
 * as it meets more than `opts.maxStates` states. Throws KripkeError('eval') naming the action or
 * property when the spec is wrong (an action or property throws, an action returns something
 * that is not a state, a property returns a non-verdict).
 */
export function exploreGraph<S>(m: CompiledModel<S>, opts: GraphOptions): GraphOutcome<S> {
  installRecordEquals(); // the engine's Record equality, so `is()` compares as the search does
  const strip = stripper<S>(m.notes);
  const kind = learnKind(m.inits[0]);
  const nodes: GraphNode<S>[] = [];
  const edges: GraphEdge[] = [];
  const notes: string[] = [];
  const bare: S[] = []; // each node's state without its notes: what is compared
  const buckets = new Map<string, number[]>();
  const violations: GraphViolation[][] = []; // each node's, still growing (Deadlock is found on expansion)

  const find = (s: S, key: string): number => {
    for (const id of buckets.get(key) ?? []) if (is(bare[id] as never, s as never)) return id;
    return -1;
  };

  /** The node of `s`, added if new; -2 if that would pass the limit. */
  const nodeOf = (s: S, depth: number, init: boolean, parentEdge: number): number => {
    const b = strip(s);
    const { hi, lo } = fingerprint(b);
    const key = `${hi}:${lo}`;
    const old = find(b, key);
    if (old >= 0) return old;
    if (nodes.length >= opts.maxStates) return -2;
    const id = nodes.length;
    violations.push(judge(m, s));
    nodes.push({ id, state: s, depth, init, outside: !inside(m, s), violations: violations[id], parentEdge });
    bare.push(b);
    const list = buckets.get(key);
    if (list) list.push(id);
    else buckets.set(key, [id]);
    return id;
  };

  for (const s of m.inits) if (nodeOf(s, 1, true, -1) === -2) return { complete: false, limit: opts.maxStates };
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.outside) continue;
    let enabled = false;
    for (const inst of m.instances) {
      const t = successor(inst, n.state, kind);
      if (t === null) continue;
      enabled = true;
      const edge = edges.length;
      const to = nodeOf(t, n.depth + 1, false, edge);
      if (to === -2) return { complete: false, limit: opts.maxStates };
      const actor = actorOf(inst, notes);
      const bad = judgeTransition(m, n.state, inst, t);
      edges.push({ from: n.id, to, instance: inst.index, action: formatAction(inst), ...(actor === undefined ? {} : { actor }), violations: bad });
    }
    if (!enabled && m.deadlock) violations[i].push({ property: 'Deadlock', reason: 'no action is enabled' });
  }

  const first = nodes.find((n) => n.violations.length > 0);
  // the shallowest violating edge: least depth of its source, then discovery order
  let badEdge = -1;
  edges.forEach((e, i) => {
    if (e.violations.length > 0 && (badEdge < 0 || nodes[e.from].depth < nodes[edges[badEdge].from].depth)) badEdge = i;
  });
  const useEdge = badEdge >= 0 && (!first || nodes[edges[badEdge].from].depth + 1 < first.depth);
  if (!first && !useEdge) return { complete: true, graph: { nodes, edges, violation: null, path: null, pathEdges: [], notes } };
  const end = useEdge ? nodes[edges[badEdge].from] : first!;
  const pathEdges: number[] = [];
  for (let n = end; n.parentEdge >= 0; n = nodes[edges[n.parentEdge].from]) pathEdges.unshift(n.parentEdge);
  if (useEdge) pathEdges.push(badEdge);
  const start = pathEdges.length > 0 ? edges[pathEdges[0]].from : end.id;
  const path = [start, ...pathEdges.map((e) => edges[e].to)];
  const violation = useEdge ? { ...edges[badEdge].violations[0], node: edges[badEdge].to, edge: badEdge } : { ...first!.violations[0], node: first!.id };
  return { complete: true, graph: { nodes, edges, violation, path, pathEdges, notes } };
}

/** The successor of `s` by `inst`, refused (KripkeError('eval')) if it is not a state of the spec. */
function successor<S>(inst: Instance<S>, s: S, kind: ReturnType<typeof learnKind>): S | null {
  let t: S | null;
  try {
    t = successorOf(inst, s);
  } catch (e) {
    if (e instanceof KripkeError) throw e;
    throw new KripkeError('eval', `action ${formatAction(inst)}${e instanceof UsageError ? ':' : ' threw:'} ${messageOf(e)}`);
  }
  if (t === null) return null;
  const bad = kind.mismatch(t);
  if (bad !== null) {
    throw new KripkeError('eval', `action ${formatAction(inst)} returned ${bad}, not a state (${kind.name}); return the next state, or false/null when not enabled`);
  }
  const mutable = findMutable(t, 'state');
  if (mutable) throw new KripkeError('eval', `action ${formatAction(inst)} produced a state kripke refuses: ${mutable}`);
  return t;
}

/**
 * The properties among `props` whose `run` fails, in declaration order; `role` words the verdict
 * check, `where` the error of one that throws (KripkeError('eval')).
 */
function violationsOf<P extends { readonly name: string }>(props: readonly P[], role: 'invariant' | 'action property', run: (p: P) => unknown, where: (p: P) => string): GraphViolation[] {
  const out: GraphViolation[] = [];
  for (const p of props) {
    let v: unknown;
    try {
      v = run(p);
    } catch (e) {
      throw new KripkeError('eval', `${where(p)} threw: ${messageOf(e)}`);
    }
    if (failed(role, p.name, v)) {
      const reason = reasonOf(v as never);
      out.push(typeof reason === 'string' ? { property: p.name, reason } : { property: p.name });
    }
  }
  return out;
}

/** The invariants `s` violates. */
function judge<S>(m: CompiledModel<S>, s: S): GraphViolation[] {
  return violationsOf(m.invariants, 'invariant', (p) => p.check(s), (p) => `property ${p.name}`);
}

/** The action properties transition (s, inst, t) violates. */
function judgeTransition<S>(m: CompiledModel<S>, s: S, inst: Instance<S>, t: S): GraphViolation[] {
  const mine = m.actionProperties.filter((p) => p.families.has(inst.family.index));
  return violationsOf(mine, 'action property', (p) => p.check(s, inst, t), (p) => `action property ${p.name} on ${formatAction(inst)}`);
}

/** Whether `s` lies inside every constraint. */
function inside<S>(m: CompiledModel<S>, s: S): boolean {
  for (const c of m.constraints) {
    let v: unknown;
    try {
      v = c.check(s);
    } catch (e) {
      throw new KripkeError('eval', `constraint ${c.name} threw: ${messageOf(e)}`);
    }
    if (!within(c.name, v)) return false;
  }
  return true;
}

/** The instance's actor, if its family declares one; a throwing hook is noted, once. */
function actorOf<S>(inst: Instance<S>, notes: string[]): string | undefined {
  const actor = inst.family.def.actor;
  if (!actor) return undefined;
  try {
    return String(actor(inst.params as never));
  } catch (e) {
    const note = `actor of ${inst.name} threw (${messageOf(e)}); shown without it`;
    if (!notes.includes(note)) notes.push(note);
    return undefined;
  }
}
