/**
 * A trace as a sequence diagram whose participants are its lanes, to paste into a Markdown page
 * (Mermaid), a PlantUML document, or a commit message or LKML mail (plain text, ASCII only, the
 * lanes side by side as kernel developers draw interleavings). Each step is a note over its lane
 * (its action, code anchor, notes and visible changes); each message an arrow from its sender
 * to its receiver's lane, drawn where it is sent; the violated property closes the diagram.
 */
import type { AnnotatedStep, AnnotatedTrace } from './annotate.js';
import { formatAnchor } from './annotate.js';
import { wrap } from './lanes.js';

const alias = (at: AnnotatedTrace, lane: string) => `L${Math.max(0, at.lanes.indexOf(lane))}`;

/** A trace with no step (a violated initial state) still has one participant: the spec. */
const withLanes = (at: AnnotatedTrace): AnnotatedTrace => (at.lanes.length > 0 ? at : { ...at, lanes: [at.spec] });

/** The claim as the diagram's last line says it. */
function verdictLine(at: AnnotatedTrace): string | undefined {
  const c = at.claim;
  if (!c) return undefined;
  if (c.kind === 'sometimes') return `witness of ${c.property}`;
  const what = c.kind === 'deadlock' ? 'deadlock' : `${c.property} violated`;
  return `${what}${c.reason ? `: ${c.reason}` : ''}`;
}

/** The lines of a step's note: action, anchors, notes, changes. */
function noteLines(st: AnnotatedStep, changes = true): string[] {
  return [
    `${st.n}. ${st.action}${st.actor && st.actor !== st.lane ? ` (${st.actor})` : ''}`,
    ...st.anchors.map((a) => formatAnchor(a)),
    ...st.notes,
    ...(changes ? st.changes : []),
  ];
}

/** Mermaid text: `;` and `#` end or escape a statement, so they become entity codes. */
const mm = (s: string) => s.replace(/#/g, '#35;').replace(/;/g, '#59;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

export function toMermaid(given: AnnotatedTrace): string {
  const at = withLanes(given);
  const out = ['sequenceDiagram'];
  for (const l of at.lanes) out.push(`  participant ${alias(at, l)} as ${mm(l)}`);
  const first = alias(at, at.lanes[0] ?? '');
  const span = at.lanes.length > 1 ? `${first},${alias(at, at.lanes[at.lanes.length - 1])}` : first;
  for (const st of at.steps) {
    if (!st.action) {
      out.push(`  Note over ${span}: 1. Init<br/>${st.changes.map(mm).join('<br/>')}`);
      continue;
    }
    const last = st.n === at.steps.length && at.claim && at.claim.kind !== 'sometimes';
    if (last) out.push('  rect rgb(255, 228, 228)');
    out.push(`  ${last ? '  ' : ''}Note over ${alias(at, st.lane)}: ${noteLines(st).map(mm).join('<br/>')}`);
    for (const a of at.arrows.filter((x) => x.from === st.n)) out.push(`  ${alias(at, a.fromLane)}->>${alias(at, a.toLane)}: ${mm(a.label)}`);
    if (last) out.push('  end');
  }
  const v = verdictLine(at);
  if (v) out.push(`  Note over ${span}: ${mm(v)}`);
  return out.join('\n');
}

/** PlantUML: quoted participant names, multi-line notes. */
export function toPlantUml(given: AnnotatedTrace): string {
  const at = withLanes(given);
  const out = ['@startuml', 'skinparam monochrome false', 'skinparam shadowing false'];
  const q = (s: string) => s.replace(/"/g, "'");
  for (const l of at.lanes) out.push(`participant "${q(l)}" as ${alias(at, l)}`);
  const span = at.lanes.length > 1 ? `${alias(at, at.lanes[0])}, ${alias(at, at.lanes[at.lanes.length - 1])}` : alias(at, at.lanes[0] ?? '');
  const note = (over: string, lines: string[], colour = '') => {
    out.push(`note over ${over}${colour}`);
    for (const l of lines) out.push(`  ${l.replace(/^end note$/, 'end note ')}`);
    out.push('end note');
  };
  for (const st of at.steps) {
    if (!st.action) {
      note(span, ['1. Init', ...st.changes]);
      continue;
    }
    const last = st.n === at.steps.length && at.claim && at.claim.kind !== 'sometimes';
    note(alias(at, st.lane), noteLines(st), last ? ' #FFE4E4' : '');
    for (const a of at.arrows.filter((x) => x.from === st.n)) out.push(`${alias(at, a.fromLane)} -> ${alias(at, a.toLane)}: ${a.label}`);
  }
  const v = verdictLine(at);
  if (v) note(span, [v], ' #FFB0B0');
  out.push('@enduml');
  return out.join('\n');
}

/** ASCII only: what survives every mail client. */
const ascii = (s: string) => s.replace(/→/g, '->').replace(/←/g, '<-').replace(/⊆/g, 'subset of').replace(/∅/g, '{}').replace(/[^\x20-\x7e]/g, '?');

/** A step's short label: `[4] ZapPteRange t0 A:x` (parameters its lane already names left out). */
function shortLabel(st: AnnotatedStep): string {
  const args = Object.values(st.params ?? {}).map(String).filter((v) => !st.lane.endsWith(` ${v}`));
  return `[${st.n}] ${[st.name ?? st.action, ...args].join(' ')}`;
}

/**
 * Plain text as in an LKML mail: the lanes side by side, each step a short label `[n] Action
 * args` in its lane's column (an IPI as `[5] --> CPU 1`), then the steps' anchors and notes as a
 * numbered legend, then the verdict; ASCII only, `width` columns.
 */
export function toText(given: AnnotatedTrace, width = 80): string {
  const at = withLanes(given);
  const steps = at.steps.filter((st) => st.action);
  const labels = new Map(steps.map((st) => [st.n, ascii(shortLabel(st))]));
  // a row holds one step, so a label may run past its column into the empty ones on its right
  const want = at.lanes.map((l) => Math.max(ascii(l).length + 3, 14));
  const total = want.reduce((a, b) => a + b, 0);
  const cols = total <= width ? want : want.map((w) => Math.max(8, Math.floor((w * width) / total)));
  const starts = cols.map((_, i) => cols.slice(0, i).reduce((a, b) => a + b, 0));
  const out: string[] = [];
  out.push(at.lanes.map((l, i) => ascii(l).slice(0, cols[i] - 1).padEnd(cols[i])).join('').trimEnd());
  out.push(at.lanes.map((l, i) => '-'.repeat(Math.min(cols[i] - 1, ascii(l).length)).padEnd(cols[i])).join('').trimEnd());
  const put = (li: number, text: string) => {
    for (const w of wrap(text, width)) out.push(`${''.padEnd(Math.max(0, Math.min(starts[li], width - w.length)))}${w}`.trimEnd());
  };
  for (const st of steps) {
    const li = at.lanes.indexOf(st.lane);
    put(li, labels.get(st.n)!);
    for (const a of at.arrows.filter((x) => x.from === st.n)) put(li, `  --> ${ascii(a.toLane)}: ${ascii(a.label)}${a.to !== undefined ? ` [${a.to}]` : ''}`);
  }
  out.push('');
  for (const st of steps) {
    const lines = [...st.anchors.map(formatAnchor), ...st.notes].map(ascii);
    lines.forEach((l, i) => {
      const head = i === 0 ? `[${st.n}]`.padEnd(5) : ''.padEnd(5);
      wrap(l, width - 5).forEach((w, j) => out.push(`${j === 0 ? head : ''.padEnd(5)}${w}`));
    });
  }
  const v = verdictLine(at);
  if (v) {
    out.push('');
    for (const w of wrap(ascii(`=> ${v}`), width)) out.push(w);
  }
  return out.join('\n');
}
