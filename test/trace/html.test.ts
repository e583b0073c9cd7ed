/** The trace viewer's HTML without a browser: hooks, escaping, self-containment, determinism. */
import { describe, expect, it } from 'vitest';
import { VIEWER_CSS, VIEWER_JS } from '../../src/trace/html-assets.js';
import { anchorUrl, escapeHtml, renderHtml, scriptJson } from '../../src/trace/html.js';
import { EVIL_LABEL, EVIL_LANE, hostileTrace } from '../browser/hostile-trace.js';

const html = renderHtml(hostileTrace);

describe('renderHtml', () => {
  it('is deterministic', () => {
    expect(renderHtml(hostileTrace)).toBe(html);
  });

  it('has exactly two scripts (the data and the viewer) and no other tag from the spec strings', () => {
    expect(html.match(/<script\b/g)).toHaveLength(2);
    expect(html).not.toMatch(/<img\b|<b>|<i>|<u>|<oops>|<local>/);
    expect(html).toContain(escapeHtml(EVIL_LABEL));
    expect(html).toContain(`data-lane="${escapeHtml(EVIL_LANE)}"`);
  });

  it('embeds the trace as JSON that reads back and cannot end its element', () => {
    const m = /<script type="application\/json" id="trace-data">([^]*?)<\/script>/.exec(html);
    expect(m).not.toBeNull();
    expect(m![1]).not.toContain('<');
    expect(JSON.parse(m![1])).toEqual(hostileTrace);
    expect(scriptJson('</script><!--\u2028')).toBe('"\\u003c/script>\\u003c!--\\u2028"');
  });

  it('loads nothing: no src, no stylesheet link, a CSP of none, links only to elixir', () => {
    expect(html).not.toMatch(/<[a-z][^>]*\ssrc=|<link\b|@import|url\(/i);
    expect(html).toContain(`content="default-src 'none'`);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((x) => x[1]);
    for (const h of hrefs) expect(h).toMatch(/^(#step-\d+|https:\/\/elixir\.bootlin\.com\/linux\/)/);
    expect(hrefs).toContain('https://elixir.bootlin.com/linux/v4.17/source/mm/memory.c#L1300');
  });

  it('has the hooks the browser test and tools rely on', () => {
    for (const l of hostileTrace.lanes) expect(html).toContain(`<th scope="col" class="lane lane-${hostileTrace.lanes.indexOf(l)}" data-lane="${escapeHtml(l)}">`);
    for (const st of hostileTrace.steps) expect(html).toContain(`data-step="${st.n}" data-lane="${escapeHtml(st.lane)}"`);
    expect(html).toMatch(/<div id="claim" class="claim bad"[^>]*>.*NoStale&lt;script&gt;/);
    expect(html).toMatch(/<td id="step-6" class="step lane-2 violation selected" data-step="6"[^>]*aria-selected="true">/);
    expect(html.match(/aria-selected="true"/g)).toHaveLength(1);
    expect(html).toContain('+2 bookkeeping changes hidden');
    expect(html).toContain('by thread t0 on CPU 0');
  });

  it('keeps the inline assets inside their elements', () => {
    for (const s of [VIEWER_CSS, VIEWER_JS]) expect(s).not.toMatch(/<\/(script|style)/i);
  });

  it('links only anchors whose version is a kernel tag', () => {
    expect(anchorUrl({ file: 'mm/memory.c', version: 'v4.17' })).toBe('https://elixir.bootlin.com/linux/v4.17/source/mm/memory.c');
    expect(anchorUrl({ file: 'a b/c.c', version: 'v6.15-rc2', line: 3 })).toBe('https://elixir.bootlin.com/linux/v6.15-rc2/source/a%20b/c.c#L3');
    expect(anchorUrl({ file: 'mm/memory.c', version: 'mainline 6.15' })).toBeUndefined();
    expect(anchorUrl({ file: 'mm/memory.c' })).toBeUndefined();
  });

  it('marks a witness, not a violation, for a sometimes claim; nothing without a claim', () => {
    const w = renderHtml({ ...hostileTrace, claim: { property: 'CanFlush', kind: 'sometimes' } });
    expect(w).toContain('class="step lane-2 witness selected"');
    expect(w).not.toMatch(/class="[^"]*\bviolation\b/);
    const none = renderHtml({ ...hostileTrace, claim: undefined });
    expect(none).not.toMatch(/class="[^"]*\b(violation|witness)\b/);
    expect(none).toContain('id="claim"');
  });
});
