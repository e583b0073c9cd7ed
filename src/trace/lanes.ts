/**
 * A trace in the terminal as swim lanes: one column per lane (CPU 0, HW CPU 1, CPU 1, driver),
 * one row per step. A step is drawn in its lane's column (`●` and its action), and its text
 * (anchor, changes, notes, messages) runs from there to the right edge, wrapped at `width`; the
 * other lanes show their rule `│` to its left. Only one step is on a row, so text may cover the
 * lanes to its right without hiding anything. Where a lane's column leaves less than MIN_TEXT
 * characters, the text starts further left (the lane is named on the title line), so a step is
 * never squeezed into a sliver: an 80- and a 120-column terminal both read.
 */
import type { AnnotatedStep, AnnotatedTrace } from './annotate.js';
import { stepExtras } from './text.js';

/** Fewest characters a step's text gets per line. */
const MIN_TEXT = 40;
const GUTTER = 4;

/** Lane headers are cut to their column: `HW CPU 1` in 6 is `HW CP…`. */
function fit(s: string, n: number): string {
  if (s.length <= n) return s.padEnd(n);
  return n <= 1 ? s.slice(0, n) : `${s.slice(0, n - 1)}…`;
}

/**
 * Wraps `text` to lines of at most `n` characters (code points), breaking at spaces where it can;
 * continuation lines are indented by two. Every line makes progress, whatever `n` (at least 1).
 */
export function wrap(text: string, n: number): string[] {
  const width = Math.max(1, n);
  const out: string[] = [];
  let rest = [...text];
  const indent = width > 8 ? 2 : 0;
  let first = true;
  while (rest.length > width) {
    const head = first ? 0 : indent;
    let cut = rest.lastIndexOf(' ', width);
    if (cut < Math.max(head + 1, width / 3)) cut = width;
    out.push(rest.slice(0, cut).join('').trimEnd());
    let next = cut;
    while (next < rest.length && rest[next] === ' ') next++;
    rest = [...' '.repeat(indent), ...rest.slice(next)];
    first = false;
    if (rest.length === indent) rest = [];
  }
  const last = rest.join('');
  if (last !== '' || out.length === 0) out.push(last);
  return out;
}

/** The width of a lane's column. */
function columnWidth(lanes: number, width: number): number {
  return Math.max(6, Math.min(22, Math.floor((width - GUTTER) / Math.max(1, lanes))));
}

/** The rules of the lanes whose columns start left of `upto`, padded to `upto`. */
function rules(lanes: number, col: number, upto: number): string {
  let s = ''.padEnd(GUTTER);
  for (let i = 0; i < lanes && GUTTER + i * col < upto; i++) s += '│'.padEnd(col);
  return s.slice(0, upto).padEnd(upto);
}

function stepLines(at: AnnotatedTrace, st: AnnotatedStep, width: number, col: number): string[] {
  const li = Math.max(0, at.lanes.indexOf(st.lane));
  const num = `${String(st.n).padStart(GUTTER - 1)} `;
  if (!st.action) {
    // the initial state: across every lane
    const lines = [`${num}Init`];
    for (const l of st.changes) for (const w of wrap(l, width - GUTTER - 2)) lines.push(`${''.padEnd(GUTTER + 2)}${w}`);
    return lines;
  }
  const x = stepExtras(at, st);
  const laneStart = GUTTER + li * col;
  // too far right: start at the last column boundary that leaves MIN_TEXT
  const start = laneStart + MIN_TEXT <= width ? laneStart : GUTTER + Math.max(0, Math.floor((width - MIN_TEXT - GUTTER) / col)) * col;
  const moved = start < laneStart;
  const room = Math.max(8, width - start - 2);
  const who = st.actor && st.actor !== st.lane ? ` · ${st.actor}` : '';
  const title = `${st.action}${who}${moved ? `   [${st.lane}]` : ''}`;
  const changes = st.changes.length > 0 || st.hidden > 0 ? st.changes : ['(no change)'];
  // the doc is in --plain and `kripke list`; lanes keep the anchor, which names the code
  const body = [...(x.anchors.length ? x.anchors : st.doc ? [st.doc] : []), ...changes, ...x.hidden, ...x.messages, ...x.notes];
  const left = rules(at.lanes.length, col, start);
  const [t0, ...tn] = wrap(title, room);
  const out = [`${num}${left.slice(GUTTER)}● ${t0}`];
  const cont = `${left}│ `;
  for (const l of tn) out.push(`${cont}${l}`);
  for (const l of body) for (const w of wrap(l, room)) out.push(`${cont}${w}`);
  return out.map((l) => l.trimEnd());
}

/** The trace as lanes at `width` columns (80 if not given). */
export function renderLanes(at: AnnotatedTrace, width = 80): string {
  const col = columnWidth(at.lanes.length, width);
  const header = ''.padEnd(GUTTER) + at.lanes.map((l) => fit(l, col - 1) + ' ').join('');
  const lines = [header.slice(0, width).trimEnd()];
  for (const st of at.steps) lines.push(...stepLines(at, st, width, col));
  return lines.join('\n');
}
