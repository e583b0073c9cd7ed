/**
 * Trace validation: checking a trace that does not say which action produced each state (what
 * Apalache and Quint write, or an implementation's log turned into ITF) against a spec. The first
 * recorded state must be one of the spec's initial states; each next one must be produced, exactly,
 * by some action instance enabled in a state the prefix can reach. Values are compared in ITF's
 * normal form (itf-values.ts `normalItf`: tuples as lists, records and variants as maps, sets and
 * maps sorted), variable by variable, on the variables the file records (a log may leave some out;
 * Quint's `mbt::` variables are metadata and never compared).
 *
 * The search keeps every distinct spec state consistent with the prefix (a frontier, not a single
 * guess: when the file leaves variables out, or the spec has a `view`, two instances can match one
 * step and lead to different states), so the step it reports is exactly the first one that no
 * behaviour of the spec explains. A state whose `#meta.action` names an instance (kripke's own
 * files) only follows that instance.
 */
import { hash, is } from 'immutable';
import { isChange, type Change } from '../core/change.js';
import { KripkeError, messageOf } from '../core/errors.js';
import { formatAction, type CompiledModel, type Instance } from '../core/model.js';
import { viewOf } from './hooks.js';
import type { ItfFile } from './itf-read.js';
import { instanceOfMeta, stateVars, toItf } from './itf.js';
import { canon, itfDiff, normalItf, type ItfValue } from './itf-values.js';

/** How many distinct spec states the search keeps per step before it drops the rest. */
export const MAX_FRONTIER = 10_000;

/** Quint's `--mbt` variables (`mbt::actionTaken`, `mbt::nondetPicks`): metadata, not state. */
const isMetaVar = (v: string) => v.startsWith('mbt::');

/** What a validation found. */
export interface Validation {
  /** The action-index path of the behaviour found: initial state, then instances. */
  readonly path: number[];
  /** For each step (0: the initial state), every instance (init index at 0) that explains it from the path's previous state. */
  readonly explaining: readonly (readonly number[])[];
  /** The spec's variables the file does not record (not compared). */
  readonly notRecorded: readonly string[];
  /** Whether some step had more than MAX_FRONTIER candidate states (the extra ones were dropped). */
  readonly truncated: boolean;
}

interface Node<S> {
  readonly state: S;
  readonly parent: Node<S> | null;
  /** The instance index (the init index for an initial state). */
  readonly via: number;
}

type Vars = Record<string, ItfValue>;

function applyInstance<S>(inst: Instance<S>, s: S, step: number): S | null {
  let r: unknown;
  try {
    r = inst.apply(s, inst.params);
    if (r === null || r === undefined || r === false) return null;
    return isChange(r) ? (r as Change<S>).materialize() : (r as S);
  } catch (e) {
    throw new KripkeError('eval', `step ${step}: action ${formatAction(inst)} threw: ${messageOf(e)}`);
  }
}

/** A set of states by value (immutable.js `is`), in insertion order. */
class Layer<S> {
  readonly nodes: Node<S>[] = [];
  private readonly buckets = new Map<number, Node<S>[]>();
  truncated = false;
  add(n: Node<S>): void {
    const h = hash(n.state);
    const b = this.buckets.get(h) ?? [];
    if (b.some((x) => is(x.state as never, n.state as never))) return;
    if (this.nodes.length >= MAX_FRONTIER) {
      this.truncated = true;
      return;
    }
    b.push(n);
    this.buckets.set(h, b);
    this.nodes.push(n);
  }
}

/**
 * Validates `doc` (read by parseItf) against the compiled model: returns the behaviour found, or
 * throws KripkeError('trace') naming the first step no action explains and the closest candidates
 * (KripkeError('eval') if an action throws).
 */
export function validateTrace<S>(m: CompiledModel<S>, doc: ItfFile): Validation {
  const view = viewOf(m, []);
  const specVars = Object.keys(stateVars(view(m.inits[0])));
  const recorded = doc.vars.filter((v) => !isMetaVar(v));
  const unknown = recorded.filter((v) => !specVars.includes(v));
  if (unknown.length > 0) {
    throw new KripkeError('trace', `the file records ${unknown.length === 1 ? 'the variable' : 'variables'} ${unknown.join(', ')}, which spec ${m.spec.name} does not have (its variables: ${specVars.join(', ')})`);
  }
  const want: Vars[] = doc.states.map((st) => Object.fromEntries(recorded.map((v) => [v, normalItf(st[v] as ItfValue)])));
  const wantText = want.map((w) => recorded.map((v) => canon(w[v])));
  const got = (s: S): Vars => {
    const vs = stateVars(view(s));
    return Object.fromEntries(recorded.map((v) => [v, normalItf(toItf(vs[v]))]));
  };
  const matches = (s: S, i: number) => {
    const vs = stateVars(view(s));
    return recorded.every((v, j) => canon(normalItf(toItf(vs[v]))) === wantText[i][j]);
  };
  const name = (i: number) => (i === 0 ? 'the initial state' : `step ${i}`);
  /** The closest candidates' differences, for a message. */
  const closest = (cands: { what: string; state: S }[], i: number): string => {
    const scored = cands.slice(0, 200).map((c) => {
      const g = got(c.state);
      return { what: c.what, n: recorded.filter((v) => canon(g[v]) !== canon(want[i][v])).length, g };
    });
    scored.sort((a, b) => a.n - b.n);
    return scored
      .slice(0, 2)
      .map((c) => `${c.what}: ${itfDiff(want[i], c.g, '', 3).join(', ')}`)
      .join('; ');
  };

  // Step 0: the initial states that match.
  const meta0 = doc.states[0]['#meta'];
  const inits = meta0?.actionIndex !== undefined && m.inits[meta0.actionIndex] !== undefined ? [meta0.actionIndex] : m.inits.map((_, i) => i);
  let layer = new Layer<S>();
  for (const i of inits) if (matches(m.inits[i], 0)) layer.add({ state: m.inits[i], parent: null, via: i });
  if (layer.nodes.length === 0) {
    const cands = inits.map((i) => ({ what: m.inits.length > 1 ? `initial state ${i}` : 'the initial state', state: m.inits[i] }));
    throw new KripkeError('trace', `step 0: the recorded initial state is not an initial state of spec ${m.spec.name} (${closest(cands, 0)})`);
  }
  let truncated = layer.truncated;
  const instancesAt = (i: number): readonly Instance<S>[] => {
    const meta = doc.states[i]['#meta'];
    return typeof meta?.action === 'string' ? [m.instances[instanceOfMeta(m, { action: meta.action, params: meta.params }, i)]] : m.instances;
  };

  for (let i = 1; i < doc.states.length; i++) {
    const next = new Layer<S>();
    const insts = instancesAt(i);
    const tried: { what: string; state: S }[] = [];
    for (const node of layer.nodes) {
      for (const inst of insts) {
        const t = applyInstance(inst, node.state, i);
        if (t === null) continue;
        if (matches(t, i)) next.add({ state: t, parent: node, via: inst.index });
        else if (tried.length < 200) tried.push({ what: formatAction(inst), state: t });
      }
    }
    if (next.nodes.length === 0) {
      const named = insts.length === 1 && insts !== m.instances ? `${formatAction(insts[0])}, the action the file names, ` : '';
      if (tried.length === 0) {
        throw new KripkeError('trace', `step ${i}: ${named ? `${named}is not enabled` : `no action of spec ${m.spec.name} is enabled after ${name(i - 1)}`}`);
      }
      const what = named ? `${named}does not produce the recorded state` : `no action of spec ${m.spec.name} explains the recorded state`;
      throw new KripkeError('trace', `step ${i}: ${what} (${tried.length} enabled instance(s) tried; closest: ${closest(tried, i)})`);
    }
    truncated ||= next.truncated;
    layer = next;
  }

  // The first behaviour found, and what explains each of its steps.
  const nodes: Node<S>[] = [];
  for (let n: Node<S> | null = layer.nodes[0]; n !== null; n = n.parent) nodes.unshift(n);
  const explaining = nodes.map((n, i) => {
    if (i === 0) return inits.filter((j) => matches(m.inits[j], 0));
    return instancesAt(i)
      .filter((inst) => {
        const t = applyInstance(inst, nodes[i - 1].state, i);
        return t !== null && matches(t, i);
      })
      .map((inst) => inst.index);
  });
  return { path: nodes.map((n) => n.via), explaining, notRecorded: specVars.filter((v) => !recorded.includes(v)), truncated };
}
