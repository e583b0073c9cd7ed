/**
 * The trace viewer's inline stylesheet and script (html.ts puts them in the page). The script is
 * plain ES2017, reads the trace from `script#trace-data`, and only adds to the server-rendered
 * page: the message arrows (SVG over the table, laid out from the cells' boxes, redrawn when the
 * layout changes), and moving the selected step with the keyboard, a click or `#step-N`.
 * Neither may contain `</script` or `</style`; test/trace/html.test.ts checks it.
 */

/** Lane colours: a line colour and a light tint, cycled through for `lane-0` ... `lane-7`. */
const LANES: readonly [string, string][] = [
  ['#2f64c8', '#eef3fc'],
  ['#c2410c', '#fdf1ea'],
  ['#15803d', '#ecf7ef'],
  ['#8b3fd1', '#f5eefc'],
  ['#0e7490', '#e9f6f8'],
  ['#a16207', '#fbf5e6'],
  ['#be185d', '#fcedf4'],
  ['#4d7c0f', '#f1f7e8'],
];

const MONO = 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace';

export const VIEWER_CSS = String.raw`
:root { --ink: #1d2330; --muted: #5b6475; --line: #dde1e8; --sel: #1a5fd0; --bad: #b3261e; --badbg: #fdecea;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
body { margin: 0; }
${LANES.map(([c, t], i) => `.lane-${i} { --lane: ${c}; --tint: ${t}; }`).join('\n')}
header { padding: .7rem 1rem .5rem; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.15rem; margin: 0 0 .45rem; }
h1 .constants { font: .85rem ${MONO}; color: var(--muted); margin-left: .4rem; }
.claim { display: inline-block; max-width: 100%; box-sizing: border-box; padding: .35rem .65rem; border: 1px solid #f1b0aa; border-radius: 4px; background: var(--badbg); }
.claim.good { background: #e8f5e9; border-color: #a5d6a7; }
.claim.none { background: #f4f5f7; border-color: var(--line); color: var(--muted); }
.claim .property { color: var(--bad); font-size: 1.05rem; }
.claim.good .property { color: #1b5e20; }
.claim .kind { color: var(--muted); }
.claim .goto { color: var(--muted); font-size: .85rem; margin-left: .3rem; }
.claim .reason { margin: .2rem 0 0; }
.hook-notes { margin-top: .4rem; color: #8a5300; font-size: .85rem; }
.help { color: var(--muted); font-size: .8rem; margin: .45rem 0 0; }
main { padding: .5rem 1rem 1rem; }
.grid-wrap { overflow-x: auto; padding-bottom: .25rem; }
.grid { position: relative; width: fit-content; min-width: 100%; }
table { border-collapse: separate; border-spacing: 0; width: 100%; }
table:focus { outline: none; }
table:focus-visible td.selected { outline-width: 3px; }
th, td { vertical-align: top; text-align: left; padding: .35rem .55rem; border-bottom: 1px solid var(--line); }
thead th { font-weight: 600; border-bottom: 2px solid var(--line); }
th.lane { border-top: 4px solid var(--lane); min-width: 11em; }
th.n { width: 2em; color: var(--muted); text-align: right; font-weight: normal; padding-left: .2rem; }
td.step, td.empty { min-width: 11em; max-width: 28em; }
td.empty { background: linear-gradient(var(--lane), var(--lane)) center / 1px 100% no-repeat; opacity: .35; }
td.step { background: var(--tint); border-left: 3px solid var(--lane); cursor: pointer; scroll-margin-top: 2.5rem; }
td.step.init { background: #f5f6f8; border-left-color: #9aa3b2; }
tr:hover td.step { filter: brightness(.98); }
td.selected { outline: 2px solid var(--sel); outline-offset: -2px; }
tr.current th.n { color: #fff; background: var(--sel); border-radius: 3px; }
td.violation { background: var(--badbg); border-left-color: var(--bad); }
td.witness { background: #e8f5e9; border-left-color: #2e7d32; }
.head { font-weight: 600; overflow-wrap: anywhere; }
code, .changes, .state, .anchors { font-family: ${MONO}; font-size: .82rem; }
.head code { font-size: .86rem; }
.actor { color: var(--muted); font-weight: normal; font-size: .85rem; }
.doc { color: var(--muted); margin: .15rem 0 0; font-size: .85rem; }
ul { list-style: none; margin: .25rem 0 0; padding: 0; }
li { overflow-wrap: anywhere; }
.anchors a, .anchors span { color: #34508a; }
.notes li { background: #fff6d6; border-left: 3px solid #d9a400; padding: .1rem .4rem; margin-top: .2rem; font-style: italic; }
.notes li::before { content: "note: "; font-style: normal; font-weight: 600; }
.msgs li { font-size: .85rem; }
.msgs .send { color: #1a5fd0; }
.msgs .recv { color: #7a3fc0; }
.msgs span { color: var(--muted); font-size: .8rem; }
.changes li { padding-left: .9em; text-indent: -.9em; }
.changes li::before { content: "~ "; color: var(--muted); }
.hidden-count { color: var(--muted); font-size: .8rem; margin: .2rem 0 0; }
.badge { color: var(--bad); font-weight: 600; margin: .3rem 0 0; }
td.witness .badge { color: #1b5e20; }
details summary { cursor: pointer; color: var(--muted); font-size: .85rem; }
svg.arrows { position: absolute; left: 0; top: 0; pointer-events: none; overflow: visible; z-index: 1; }
.arrow path { fill: none; stroke: var(--lane); stroke-width: 1.7; }
.arrow polygon { fill: var(--lane); }
.arrow.direct path { stroke-dasharray: 5 4; }
.arrow text { font: 600 12px system-ui, "DejaVu Sans", sans-serif; fill: var(--lane); paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
#panel { margin-top: .75rem; border-top: 2px solid var(--line); background: #fff; }
#panel h2 { font-size: 1rem; margin: .45rem 0 .2rem; overflow-wrap: anywhere; }
#panel h2 .lane-name { color: var(--muted); font-weight: normal; }
#panel h3 { font-size: .75rem; letter-spacing: .04em; text-transform: uppercase; color: var(--muted); margin: .5rem 0 .1rem; }
#panel .none { color: var(--muted); margin: 0; }
.state li { padding: 0 .3rem; }
.state li.changed { background: #fff1b8; }
@media screen and (max-width: 1399px) {
  html { scroll-padding-bottom: 40vh; }
  #panel { position: sticky; bottom: 0; z-index: 3; max-height: 36vh; overflow: auto; padding: 0 .25rem .4rem; box-shadow: 0 -3px 8px rgba(0, 0, 0, .07); }
}
@media screen and (min-width: 1400px) {
  main { display: grid; grid-template-columns: minmax(0, 1fr) 30rem; gap: 1rem; align-items: start; }
  #panel { margin-top: 0; border-top: 0; border-left: 2px solid var(--line); padding-left: .8rem; position: sticky; top: .5rem; max-height: calc(100vh - 1rem); overflow: auto; }
}
@media print { #panel { position: static; max-height: none; box-shadow: none; } }
`;

export const VIEWER_JS = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('trace-data').textContent);
  var table = document.getElementById('lanes');
  var grid = document.getElementById('grid');
  var svg = document.getElementById('arrows');
  var NS = 'http://www.w3.org/2000/svg';
  var each = function (sel, f) { Array.prototype.forEach.call(document.querySelectorAll(sel), f); };
  var cells = {}, rows = {}, sections = {}, order = [];
  each('td[data-step]', function (td) { var n = +td.getAttribute('data-step'); cells[n] = td; order.push(n); });
  each('tr[data-row]', function (tr) { rows[+tr.getAttribute('data-row')] = tr; });
  each('section[data-state-of]', function (s) { sections[+s.getAttribute('data-state-of')] = s; });
  var current = null;
  each('td.selected', function (td) { td.classList.remove('selected'); td.setAttribute('aria-selected', 'false'); });
  each('section[data-state-of]', function (s) { s.hidden = true; });

  function select(n, how) {
    if (!cells[n] || n === current) return;
    if (current !== null) {
      cells[current].classList.remove('selected');
      cells[current].setAttribute('aria-selected', 'false');
      rows[current].classList.remove('current');
      if (sections[current]) sections[current].hidden = true;
    }
    current = n;
    cells[n].classList.add('selected');
    cells[n].setAttribute('aria-selected', 'true');
    rows[n].classList.add('current');
    if (sections[n]) sections[n].hidden = false;
    table.setAttribute('aria-activedescendant', cells[n].id);
    if (how && how.scroll) cells[n].scrollIntoView({ block: 'nearest', inline: 'nearest' });
    if (how && how.hash) { try { history.replaceState(null, '', '#step-' + n); } catch (e) { /* file: may refuse */ } }
  }
  function fromHash() { var m = /^#step-(\d+)$/.exec(location.hash); return m && cells[+m[1]] ? +m[1] : null; }
  select(fromHash() || order[order.length - 1]);

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || !order.length) return;
    var tag = e.target && e.target.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
    var i = order.indexOf(current), j;
    switch (e.key) {
      case 'ArrowDown': case 'j': j = i + 1; break;
      case 'ArrowUp': case 'k': j = i - 1; break;
      case 'Home': j = 0; break;
      case 'End': case 'v': j = order.length - 1; break;
      default: return;
    }
    e.preventDefault();
    select(order[Math.max(0, Math.min(order.length - 1, j))], { scroll: true, hash: true });
  });
  table.addEventListener('click', function (e) {
    var tr = e.target.closest && e.target.closest('tr[data-row]');
    if (tr) select(+tr.getAttribute('data-row'), { hash: true });
  });
  window.addEventListener('hashchange', function () { var n = fromHash(); if (n) select(n, { scroll: true }); });

  function el(name, attrs, text) {
    var x = document.createElementNS(NS, name);
    for (var k in attrs) x.setAttribute(k, String(attrs[k]));
    if (text !== undefined) x.textContent = text;
    return x;
  }
  function draw() {
    var g0 = grid.getBoundingClientRect();
    var box = function (e) { var r = e.getBoundingClientRect(); return { l: r.left - g0.left, r: r.right - g0.left, t: r.top - g0.top, b: r.bottom - g0.top }; };
    var headY = function (td) { var h = td.querySelector('.head') || td, b = box(h); return Math.round((b.t + b.b) / 2); };
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    svg.setAttribute('width', grid.scrollWidth);
    svg.setAttribute('height', grid.scrollHeight);
    data.arrows.forEach(function (a) {
      var fi = data.lanes.indexOf(a.fromLane), ti = data.lanes.indexOf(a.toLane);
      var got = a.to !== undefined && a.to !== null;
      var src = cells[a.from], dst = got ? cells[a.to] : rows[a.from] && rows[a.from].cells[1 + ti];
      if (!src || !dst || fi < 0 || ti < 0) return;
      var s = box(src), d = box(dst), y1 = headY(src), y2 = got ? headY(dst) : y1;
      var x1, x2, bx = 0, p, lx, ly, anchor = 'middle', ux, uy;
      if (fi === ti) {
        x1 = s.r - 8; x2 = d.r - 8; bx = Math.max(s.r, d.r) + 26;
        if (y1 === y2) y2 = y1 + 14;
        p = 'M' + x1 + ',' + y1 + ' C' + bx + ',' + y1 + ' ' + bx + ',' + y2 + ' ' + x2 + ',' + y2;
        ux = x2 - bx; uy = 0; lx = bx - 6; ly = (y1 + y2) / 2 + 4; anchor = 'end';
      } else {
        var right = ti > fi;
        x1 = right ? s.r - 6 : s.l + 6;
        x2 = got ? (right ? d.l + 10 : d.r - 10) : Math.round((d.l + d.r) / 2);
        p = 'M' + x1 + ',' + y1 + ' L' + x2 + ',' + y2;
        ux = x2 - x1; uy = y2 - y1; lx = (x1 + x2) / 2; ly = (y1 + y2) / 2 - 6;
        if (Math.abs(uy) > Math.abs(ux)) { lx += 8; ly += 6; anchor = 'start'; }
      }
      var len = Math.sqrt(ux * ux + uy * uy) || 1; ux /= len; uy /= len;
      var head = [[x2, y2], [x2 - 10 * ux + 4.5 * uy, y2 - 10 * uy - 4.5 * ux], [x2 - 10 * ux - 4.5 * uy, y2 - 10 * uy + 4.5 * ux]];
      var g = el('g', { 'class': 'arrow lane-' + (fi % 8) + (got ? '' : ' direct'), 'data-from': a.from, 'data-to': got ? a.to : '',
        'data-from-lane': a.fromLane, 'data-to-lane': a.toLane });
      g.appendChild(el('title', {}, a.label + ': ' + a.fromLane + ' (step ' + a.from + ') -> ' + a.toLane + (got ? ' (step ' + a.to + ')' : ' (no later step of the receiver models its receipt)')));
      g.appendChild(el('path', { d: p }));
      g.appendChild(el('polygon', { points: head.map(function (q) { return q[0].toFixed(1) + ',' + q[1].toFixed(1); }).join(' ') }));
      g.appendChild(el('text', { x: lx, y: ly, 'text-anchor': anchor }, a.label));
      svg.appendChild(g);
    });
  }
  var pending = false;
  function later() { if (!pending) { pending = true; requestAnimationFrame(function () { pending = false; draw(); }); } }
  draw();
  window.addEventListener('resize', later);
  window.addEventListener('load', later);
  if (window.ResizeObserver) new ResizeObserver(later).observe(table);
})();
`;
