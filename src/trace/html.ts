/**
 * The trace viewer: one self-contained HTML file (inline CSS and JS, nothing fetched) that shows
 * an annotated trace as swim lanes, one column per lane and one row per step, with the messages
 * between lanes drawn as arrows, the state of the selected step in a panel, and the violating
 * step marked. Everything a reader needs is rendered here, so the file reads with JS disabled;
 * the script (html-assets.ts) only draws the arrows and moves the selection.
 *
 * Hooks for tests and tools: `th[data-lane]` (lane headers), `td[data-step][data-lane]` (a step's
 * cell), `#claim` (the property), `.arrow[data-from][data-to][data-from-lane][data-to-lane]` (SVG
 * arrows, drawn after layout), and the trace itself as JSON in `script#trace-data`.
 */
import type { Anchor } from '../core/spec.js';
import { formatAnchor, type AnnotatedStep, type AnnotatedTrace, type Arrow } from './annotate.js';
import { VIEWER_CSS, VIEWER_JS } from './html-assets.js';

/** Escapes text for HTML content and (double- or single-quoted) attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * JSON that is safe inside `<script type="application/json">`: every `<` becomes `\u003c` (so no
 * `</script>` or `<!--` can end or confuse the element; stronger than `<\/`), and U+2028/U+2029
 * are escaped too. `JSON.parse` reads it back unchanged.
 */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The Elixir cross-reference URL of an anchor whose version is a kernel tag (`v4.17`, `v6.15-rc2`). */
export function anchorUrl(a: Anchor): string | undefined {
  if (!a.version || !/^v\d+(\.\d+)*(-rc\d+)?$/.test(a.version)) return undefined;
  const file = a.file.replace(/^\/+/, '').split('/').map(encodeURIComponent).join('/');
  return `https://elixir.bootlin.com/linux/${a.version}/source/${file}${a.line !== undefined ? `#L${a.line}` : ''}`;
}

const LANE_COLOURS = 8;

/** Whether the claim says the last state is bad (it is a witness for `sometimes`). */
/** `3 bookkeeping changes hidden` (or `hidden by --hide/--show`). */
function hiddenWords(t: AnnotatedTrace, n: number): string {
  const what = t.hiding === 'bookkeeping' ? 'bookkeeping change' : 'change';
  return `${n} ${what}${n === 1 ? '' : 's'} hidden${t.hiding === 'bookkeeping' ? '' : ' by --hide/--show'}`;
}

function isViolation(t: AnnotatedTrace): boolean {
  return t.claim !== undefined && t.claim.kind !== 'sometimes';
}

function claimWords(t: AnnotatedTrace): string {
  switch (t.claim?.kind) {
    case 'invariant':
      return 'invariant violated';
    case 'action':
      return 'action property violated';
    case 'deadlock':
      return 'deadlock';
    case 'sometimes':
      return 'witness found for';
    default:
      return '';
  }
}

function list(cls: string, items: readonly string[], item: (s: string) => string = escapeHtml): string {
  return items.length ? `<ul class="${cls}">${items.map((s) => `<li>${item(s)}</li>`).join('')}</ul>` : '';
}

function anchorHtml(a: Anchor): string {
  const url = anchorUrl(a);
  const text = escapeHtml(formatAnchor(a));
  return url ? `<a href="${escapeHtml(url)}" rel="noreferrer">${text}</a>` : `<span>${text}</span>`;
}

function header(t: AnnotatedTrace, last: number): string {
  const c = t.claim;
  const claim = c
    ? `<div id="claim" class="claim ${isViolation(t) ? 'bad' : 'good'}" data-property="${escapeHtml(c.property)}" data-kind="${c.kind}">` +
      `<span class="kind">${claimWords(t)}</span> <strong class="property">${escapeHtml(c.property)}</strong>` +
      ` <a class="goto" href="#step-${last}">at step ${last}</a>` +
      (c.reason ? `<p class="reason">${escapeHtml(c.reason)}</p>` : '') +
      '</div>'
    : '<div id="claim" class="claim none">no claim recorded</div>';
  const notes = t.notes.length ? `<div class="hook-notes"><strong>display hooks that failed:</strong>${list('', t.notes)}</div>` : '';
  return (
    '<header>' +
    `<h1><span class="spec">${escapeHtml(t.spec)}</span>${t.constants ? ` <span class="constants">${escapeHtml(t.constants)}</span>` : ''}</h1>` +
    claim +
    notes +
    '<p class="help">Select a step: click it, or ↑/↓ (j/k), Home/End, v for the last step. ' +
    'Arrows are messages between lanes; the panel shows the selected state.</p>' +
    '</header>'
  );
}

function stepCell(t: AnnotatedTrace, st: AnnotatedStep, last: number, lane: number, colspan: number): string {
  const arrowsOut = t.arrows.filter((a) => a.from === st.n);
  const arrowsIn = t.arrows.filter((a) => a.to === st.n);
  const bad = st.n === last && t.claim ? (isViolation(t) ? ' violation' : ' witness') : '';
  const cls = `step${st.action ? '' : ' init'}${lane >= 0 ? ` lane-${lane % LANE_COLOURS}` : ''}${bad}${st.n === last ? ' selected' : ''}`;
  const title = st.action ? `<code class="action">${escapeHtml(st.action)}</code>` : '<span class="action">Init</span>';
  const actor = st.actor && st.actor !== st.lane ? ` <span class="actor">by ${escapeHtml(st.actor)}</span>` : '';
  const msgs = [
    ...arrowsIn.map((a) => `<li class="recv">← ${escapeHtml(a.label)} <span class="from">from ${escapeHtml(a.fromLane)} (step ${a.from})</span></li>`),
    ...arrowsOut.map(
      (a: Arrow) =>
        `<li class="send">→ ${escapeHtml(a.label)} <span class="to">to ${escapeHtml(a.toLane)}${a.to !== undefined ? ` (step ${a.to})` : ''}</span></li>`,
    ),
  ];
  const changes = st.action
    ? list('changes', st.changes)
    : `<details class="init-state"><summary>initial state (${st.changes.length} variable${st.changes.length === 1 ? '' : 's'})</summary>${list('changes', st.changes)}</details>`;
  const badge = bad
    ? `<p class="badge">${bad === ' violation' ? '✗ violates' : '✓ witness of'} ${escapeHtml(t.claim!.property)}${t.claim!.reason ? `: ${escapeHtml(t.claim!.reason)}` : ''}</p>`
    : '';
  return (
    `<td id="step-${st.n}" class="${cls}" data-step="${st.n}" data-lane="${escapeHtml(st.lane)}"${colspan > 1 ? ` colspan="${colspan}"` : ''}` +
    ` aria-selected="${st.n === last}">` +
    `<div class="head">${title}${actor}</div>` +
    (st.doc ? `<p class="doc">${escapeHtml(st.doc)}</p>` : '') +
    (st.anchors.length ? `<ul class="anchors">${st.anchors.map((a) => `<li>${anchorHtml(a)}</li>`).join('')}</ul>` : '') +
    list('notes', st.notes) +
    (msgs.length ? `<ul class="msgs">${msgs.join('')}</ul>` : '') +
    changes +
    (st.hidden ? `<p class="hidden-count">+${hiddenWords(t, st.hidden)}</p>` : '') +
    badge +
    '</td>'
  );
}

function lanesOf(t: AnnotatedTrace): string[] {
  const lanes = [...t.lanes];
  for (const st of t.steps) if (st.lane && !lanes.includes(st.lane)) lanes.push(st.lane);
  for (const a of t.arrows) for (const l of [a.fromLane, a.toLane]) if (l && !lanes.includes(l)) lanes.push(l);
  return lanes;
}

function table(t: AnnotatedTrace, lanes: readonly string[], last: number): string {
  const head =
    '<thead><tr><th class="n" scope="col">#</th>' +
    lanes.map((l, i) => `<th scope="col" class="lane lane-${i % LANE_COLOURS}" data-lane="${escapeHtml(l)}">${escapeHtml(l)}</th>`).join('') +
    '</tr></thead>';
  const rows = t.steps.map((st) => {
    const at = lanes.indexOf(st.lane);
    const cells =
      at < 0
        ? stepCell(t, st, last, -1, lanes.length)
        : lanes.map((l, i) => (i === at ? stepCell(t, st, last, i, 1) : `<td class="empty lane-${i % LANE_COLOURS}" data-col="${i}"></td>`)).join('');
    const cls = st.n === last && t.claim ? (isViolation(t) ? ' class="violation-row"' : ' class="witness-row"') : '';
    return `<tr data-row="${st.n}"${cls}><th class="n" scope="row">${st.n}</th>${cells}</tr>`;
  });
  return (
    '<div class="grid-wrap"><div class="grid" id="grid">' +
    `<table id="lanes" role="grid" tabindex="0" aria-label="steps by lane" aria-activedescendant="step-${last}">${head}<tbody>${rows.join('')}</tbody></table>` +
    '<svg class="arrows" id="arrows" aria-hidden="true" width="0" height="0"></svg>' +
    '</div></div>'
  );
}

/** A changed variable of a `changes` line (`tlb[1][A:x]: ...` -> `tlb`). */
function changedVar(line: string): string {
  return /^[^[.:=\s]+/.exec(line)?.[0] ?? '';
}

function stateSection(t: AnnotatedTrace, st: AnnotatedStep, last: number): string {
  const changed = new Set(st.action ? st.changes.map(changedVar) : []);
  const state = st.state
    .map((line) => `<li${changed.has(line.split(' = ')[0]) ? ' class="changed"' : ''}>${escapeHtml(line)}</li>`)
    .join('');
  const title = `State ${st.n}${st.action ? `: ${escapeHtml(st.action)}` : ': Init'}${st.lane ? ` <span class="lane-name">(${escapeHtml(st.lane)})</span>` : ''}`;
  return (
    `<section class="state-of" data-state-of="${st.n}"${st.n === last ? '' : ' hidden'}>` +
    `<h2>${title}</h2>` +
    (st.action ? `<h3>changes</h3>${st.changes.length ? list('changes', st.changes) : '<p class="none">none visible</p>'}` : '') +
    (st.hidden ? `<p class="hidden-count">${hiddenWords(t, st.hidden)}</p>` : '') +
    `<h3>state</h3><ul class="state">${state}</ul>` +
    '</section>'
  );
}

/** The trace as one self-contained HTML page (deterministic: the same trace gives the same bytes). */
export function renderHtml(t: AnnotatedTrace): string {
  const last = t.steps.length ? t.steps[t.steps.length - 1].n : 0;
  const lanes = lanesOf(t);
  const data = { ...t, lanes };
  const title = `${t.spec}${t.claim ? `: ${t.claim.property}` : ''}${t.constants ? ` (${t.constants})` : ''}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="generator" content="kripke">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${VIEWER_CSS}</style>`,
    '</head>',
    '<body>',
    header(t, last),
    '<main>',
    table(t, lanes, last),
    `<aside id="panel" aria-live="polite" aria-label="state of the selected step">${t.steps.map((st) => stateSection(t, st, last)).join('')}</aside>`,
    '</main>',
    `<script type="application/json" id="trace-data">${scriptJson(data)}</script>`,
    `<script>${VIEWER_JS}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
