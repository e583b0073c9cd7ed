/**
 * A trace as a reader sees it: each step with its lane (the column it is drawn in), actor, code
 * anchors, the visible changes, the spec's explanation of it, and the messages between lanes
 * (an IPI from its sender to the handler that ran it). Computed only when a trace is rendered:
 * the spec's `explain` hooks run here, never during the search. Every renderer (terminal lanes,
 * the HTML viewer, sequence diagrams) reads this one structure.
 *
 * A hook that throws never hides the trace: the step is shown without it, and `notes` says so.
 */
import { formatAction, type CompiledModel } from '../core/model.js';
import { laneOf } from '../core/lane.js';
import type { Anchor, Explanation, Message } from '../core/spec.js';
import { guarded, note, viewOf, type HookNotes } from './hooks.js';
import { fieldFilter, prune, type FieldChoice } from './fields.js';
import { diffValues, showState } from './text.js';
import type { Trace, TraceClaim } from './trace.js';

/** One step as rendered. `n` counts states from 1 (State 1 is the initial state). */
export interface AnnotatedStep {
  readonly n: number;
  /** `HwFill(c=1, k=A:x)`; absent for the initial state */
  readonly action?: string;
  readonly name?: string;
  /** the action's parameters (absent for the initial state) */
  readonly params?: Readonly<Record<string, unknown>>;
  readonly actor?: string;
  /** the lane it is drawn in ('' for the initial state) */
  readonly lane: string;
  readonly doc?: string;
  readonly anchors: readonly Anchor[];
  /** the visible changes (`tlb[1][A:x]: (added) "f1"`); the initial state's visible variables */
  readonly changes: readonly string[];
  /** how many changes the field choice hides (bookkeeping) */
  readonly hidden: number;
  /** the visible state after the step, one variable per line */
  readonly state: readonly string[];
  readonly notes: readonly string[];
  readonly send: readonly Message[];
  readonly receive: readonly string[];
}

/** A message drawn between two steps (`to` absent: no step received it; drawn to `toLane` at `from`). */
export interface Arrow {
  readonly from: number;
  readonly to?: number;
  readonly fromLane: string;
  readonly toLane: string;
  readonly label: string;
}

export interface AnnotatedTrace {
  readonly spec: string;
  readonly constants: string;
  readonly claim?: TraceClaim;
  /** lanes in display order */
  readonly lanes: readonly string[];
  readonly steps: readonly AnnotatedStep[];
  readonly arrows: readonly Arrow[];
  /** hooks that threw while the trace was shown */
  readonly notes: readonly string[];
  /** what hides changes: the spec's bookkeeping (undone by --show-all), or the user's --hide / --show */
  readonly hiding: 'bookkeeping' | 'choice';
}

/** `file:fn (version)`, as traces print an anchor. */
export function formatAnchor(a: Anchor): string {
  const where = `${a.file}${a.line !== undefined ? `:${a.line}` : ''}${a.fn ? `:${a.fn}` : ''}`;
  return a.version ? `${where} (${a.version})` : where;
}

function asList<T>(x: T | readonly T[] | undefined): readonly T[] {
  return x === undefined ? [] : Array.isArray(x) ? (x as readonly T[]) : [x as T];
}

/** Normalises what `explain` returned (a string, strings, or an Explanation). */
function explanation(x: unknown): { notes: string[]; send: Message[]; receive: string[] } {
  if (x === undefined || x === null) return { notes: [], send: [], receive: [] };
  if (typeof x === 'string') return { notes: [x], send: [], receive: [] };
  if (Array.isArray(x)) return { notes: x.map(String), send: [], receive: [] };
  const e = x as Explanation;
  const send = asList(e.send).filter((m) => m && typeof m.id === 'string' && typeof m.to === 'string').map((m) => ({ id: m.id, to: m.to, label: String(m.label ?? m.id) }));
  return { notes: asList(e.note).map(String), send, receive: asList(e.receive).map(String) };
}

/** Lanes: the spec's order first, then the others in order of appearance. */
function orderLanes(declared: readonly string[] | undefined, seen: readonly string[]): string[] {
  const used = new Set(seen);
  const first = (declared ?? []).filter((l) => used.has(l));
  return [...first, ...seen.filter((l) => !first.includes(l))];
}

/** Pairs each send with the first later step that receives its id. */
function arrowsOf(steps: readonly AnnotatedStep[]): Arrow[] {
  const open: { step: AnnotatedStep; m: Message; arrow: { from: number; to?: number; fromLane: string; toLane: string; label: string } }[] = [];
  const out: Arrow[] = [];
  for (const st of steps) {
    for (const id of st.receive) {
      const i = open.findIndex((o) => o.m.id === id);
      if (i >= 0) {
        open[i].arrow.to = st.n;
        open.splice(i, 1);
      }
    }
    for (const m of st.send) {
      const arrow = { from: st.n, fromLane: st.lane, toLane: m.to, label: m.label };
      out.push(arrow);
      open.push({ step: st, m, arrow });
    }
  }
  return out;
}

/** The trace of `m` as rendered, with the given field choice. */
export function annotate<S>(m: CompiledModel<S>, trace: Trace<S>, choice: FieldChoice = {}, claim: TraceClaim | undefined = trace.claim): AnnotatedTrace {
  const notes: HookNotes = (trace.notes as HookNotes | undefined) ?? []; // notes of hooks that throw here join the trace's
  const view = viewOf(m, notes);
  const filter = fieldFilter(m.model.bookkeeping, choice);
  const steps: AnnotatedStep[] = [];
  let prevFull: unknown;
  let prevShown: unknown;
  trace.steps.forEach((st, i) => {
    const full = view(st.state);
    const shownState = prune(full, filter);
    const state = showState(shownState);
    if (!st.action) {
      steps.push({ n: i + 1, lane: '', anchors: [], changes: state, hidden: 0, state, notes: [], send: [], receive: [] });
    } else {
      const inst = m.instances[st.action.index];
      const def = inst.family.def;
      const changes = diffValues(prevShown, shownState);
      const hidden = Math.max(0, diffValues(prevFull, full).length - changes.length);
      const e = def.explain
        ? explanation(guarded(notes, `explain of ${inst.name}`, () => def.explain!(trace.steps[i - 1].state as never, inst.params as never, st.state as never), undefined))
        : explanation(undefined);
      steps.push({
        n: i + 1,
        action: formatAction(st.action),
        name: st.action.name,
        params: st.action.params,
        actor: st.action.actor,
        lane: laneOf(inst, (hook, message) => note(notes, `${hook} threw (${message}); shown without it`)),
        doc: st.action.doc,
        anchors: asList(def.anchor),
        changes,
        hidden,
        state,
        notes: e.notes,
        send: e.send,
        receive: e.receive,
      });
    }
    prevFull = full;
    prevShown = shownState;
  });
  const seen = [...new Set(steps.flatMap((s) => [...(s.lane ? [s.lane] : []), ...s.send.map((x) => x.to)]))];
  return {
    spec: m.spec.name,
    constants: Object.entries(m.constants).map(([k, v]) => `${k}=${String(v)}`).join(', '),
    ...(claim ? { claim } : {}),
    lanes: orderLanes(m.model.lanes, seen),
    steps,
    arrows: arrowsOf(steps),
    notes,
    hiding: (choice.hide?.length ?? 0) > 0 || (choice.show?.length ?? 0) > 0 ? 'choice' : 'bookkeeping',
  };
}

/** Whether any action of the spec declares an actor or a lane (then traces default to lanes). */
export function hasActors(m: CompiledModel<unknown>): boolean {
  return m.families.some((f) => f.def.actor !== undefined || f.def.lane !== undefined);
}
