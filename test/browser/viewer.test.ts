/**
 * The trace viewer in a real browser (the system Chromium through puppeteer-core, one launch for
 * the file). Golden kernel traces (through `kripke view`) and a hostile hand-made trace are
 * opened from file: and checked in the DOM against the trace each page embeds: lanes, arrows laid
 * out, the violation, keyboard and click selection, no request leaving the page, no injected
 * markup or script. Pages and screenshots land in traces/out/viewer/. Without a Chromium the
 * tests are skipped, unless KRIPKE_REQUIRE_BROWSER=1 (.ci/run sets it once it installed one).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumCandidates, findChromium, launchChromium } from '../../scripts/screenshot.mjs';
import type { AnnotatedTrace } from '../../src/trace/annotate.js';
import { renderHtml } from '../../src/trace/html.js';
import { kripke } from '../cli/helpers.js';
import { EVIL_LABEL, EVIL_LANE, hostileTrace } from './hostile-trace.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'traces', 'out', 'viewer');
/** Golden traces (under traces/), by the name of their page and screenshot; V1-mremap has IPI arrows. */
const GOLDEN = ['kernel-V1-hyp-munmap-NoStaleTranslation', 'kernel-V2b-NoStaleTranslation', 'kernel-V3-NoStaleTranslation', 'kernel/V1-mremap-NoStaleTranslation'];
const pageName = (golden: string) => golden.replace(/\//g, '-');

const chromium = findChromium();
const required = process.env.KRIPKE_REQUIRE_BROWSER === '1';
const missing = `no Chromium executable (looked for ${chromiumCandidates().join(', ')}; install chromium or set KRIPKE_CHROMIUM)`;
if (!chromium) console.warn(required ? `test/browser: KRIPKE_REQUIRE_BROWSER=1 but ${missing}: failing` : `test/browser: skipped: ${missing}`);

// CI installed a browser (.ci/run): not finding it is a failure, counted as one.
if (!chromium && required) {
  describe('trace viewer: the browser CI installed', () => {
    it('is found', () => {
      expect.fail(`KRIPKE_REQUIRE_BROWSER=1 but ${missing}`);
    });
  });
}

/** What the page did that it must not: requests other than file:/data:, errors, injected script. */
interface Watch {
  readonly requests: string[];
  readonly errors: string[];
}

let browser: Browser | undefined;

/** Opens a page at 1200x800 and records its requests and errors. */
async function open(file: string): Promise<{ page: Page; watch: Watch }> {
  const page = await browser!.newPage();
  const watch: Watch = { requests: [], errors: [] };
  page.on('request', (r) => watch.requests.push(r.url()));
  page.on('pageerror', (e) => watch.errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && watch.errors.push(m.text()));
  await page.setViewport({ width: 1200, height: 800 });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, watch };
}

/** Writes the page of `t` to traces/out/viewer/<name>.html. */
function write(name: string, t: AnnotatedTrace): string {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `${name}.html`);
  writeFileSync(file, renderHtml(t));
  return file;
}

/** `kripke view <golden> -o traces/out/viewer/<name>.html`; returns the page and the trace it embeds. */
async function view(name: string): Promise<{ file: string; t: AnnotatedTrace }> {
  mkdirSync(OUT, { recursive: true });
  const itf = join(ROOT, 'traces', `${name}.itf.json`);
  const file = join(OUT, `${pageName(name)}.html`);
  const r = await kripke('view', itf, '-o', file);
  expect(r.code, `kripke view ${itf}: ${r.err}`).toBe(0);
  const data = /<script type="application\/json" id="trace-data">([^]*?)<\/script>/.exec(readFileSync(file, 'utf8'));
  expect(data, 'the page embeds its trace').not.toBeNull();
  const t = JSON.parse(data![1]) as AnnotatedTrace;
  // the page is the golden file's trace, with its claim
  const doc = JSON.parse(readFileSync(itf, 'utf8'));
  const meta = doc['#meta'];
  const violation = typeof meta.violation === 'string' ? JSON.parse(meta.violation) : meta.violation;
  expect(t.steps.length).toBe(doc.states.length);
  expect(t.claim?.property).toBe(violation.property);
  return { file, t };
}

/** The step number of the selected cell, checking that it is the only one and aria says so. */
async function selected(page: Page): Promise<number> {
  const sel = await page.$$eval('.selected', (els) => els.map((e) => [e.getAttribute('data-step'), e.getAttribute('aria-selected')]));
  expect(sel).toHaveLength(1);
  expect(sel[0][1]).toBe('true');
  const shown = await page.$$eval('section[data-state-of]', (els) => els.filter((e) => !(e as unknown as { hidden: boolean }).hidden).map((e) => e.getAttribute('data-state-of')));
  expect(shown).toEqual([sel[0][0]]);
  return Number(sel[0][0]);
}

/** Every arrow as drawn: its data attributes and its box on the page. */
async function arrowsOf(page: Page) {
  return page.$$eval('svg .arrow', (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      const a = (k: string) => e.getAttribute(k);
      return { from: a('data-from'), to: a('data-to'), fromLane: a('data-from-lane'), toLane: a('data-to-lane'), w: r.width, h: r.height, text: e.textContent };
    }),
  );
}

/** The checks every trace passes: lanes, cells, claim, the last step marked, arrows, keys. */
async function checkPage(page: Page, t: AnnotatedTrace): Promise<void> {
  expect(await page.$$eval('th[data-lane]', (els) => els.map((e) => e.getAttribute('data-lane')))).toEqual([...t.lanes]);
  for (const st of t.steps) {
    const sel = `td[data-step="${st.n}"]`;
    expect(await page.$eval(sel, (e) => e.getAttribute('data-lane')), `step ${st.n}`).toBe(st.lane);
  }
  const last = t.steps[t.steps.length - 1].n;
  expect(await page.$eval('#claim', (e) => e.textContent)).toContain(t.claim!.property);
  expect(await page.$eval(`td[data-step="${last}"]`, (e) => e.className)).toMatch(/\bviolation\b/);
  expect(await selected(page)).toBe(last);

  const drawn = await arrowsOf(page);
  expect(drawn.map(({ from, to, fromLane, toLane }) => ({ from, to, fromLane, toLane }))).toEqual(
    t.arrows.map((a) => ({ from: String(a.from), to: a.to === undefined ? '' : String(a.to), fromLane: a.fromLane, toLane: a.toLane })),
  );
  for (const a of drawn) expect(a.w > 0 && a.h > 0, `arrow ${a.from} -> ${a.to} has a size`).toBe(true);

  await page.keyboard.press('Home');
  expect(await selected(page)).toBe(t.steps[0].n);
  await page.keyboard.press('ArrowDown');
  expect(await selected(page)).toBe(t.steps[1].n);
  await page.keyboard.press('End');
  expect(await selected(page)).toBe(last);
  await page.keyboard.press('ArrowUp');
  expect(await selected(page)).toBe(t.steps[t.steps.length - 2].n);
  await page.keyboard.press('j');
  expect(await selected(page)).toBe(last);
  await page.click('td[data-step="1"] .head');
  expect(await selected(page)).toBe(1);
  await page.keyboard.press('End');
}

function checkWatch(w: Watch): void {
  expect(w.errors).toEqual([]);
  expect(w.requests.length).toBeGreaterThan(0); // the page itself
  for (const u of w.requests) expect(u).toMatch(/^(file|data):/);
}

describe.skipIf(!chromium)('trace viewer in Chromium', () => {
  beforeAll(async () => {
    browser = await launchChromium(chromium);
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });

  for (const name of GOLDEN) {
    it(`${name}: lanes, arrows, the violation, keyboard`, async () => {
      const { file, t } = await view(name);
      const { page, watch } = await open(file);
      await checkPage(page, t);
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: join(OUT, `${pageName(name)}.png`) });
      await page.close();
      checkWatch(watch);
    });
  }

  it('draws every kind of arrow, and no spec string becomes markup or script', async () => {
    const { page, watch } = await open(write('hostile', hostileTrace));
    await checkPage(page, hostileTrace);
    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.$$eval('img, b, i, u', (els) => els.length)).toBe(0);
    expect(await page.$$eval('script', (els) => els.length)).toBe(2);
    expect(await page.$eval(`th[data-lane]:last-child`, (e) => e.textContent)).toBe(EVIL_LANE);
    expect(await page.title()).toContain('demo <img');
    const drawn = await arrowsOf(page);
    expect(drawn[0].text).toContain(EVIL_LABEL);
    expect(drawn[1].text).toContain('(no later step of the receiver models its receipt)');
    expect(await page.$$eval('g.arrow.direct', (els) => els.length)).toBe(1);
    expect(await page.$eval('td[data-step="3"]', (e) => e.textContent)).toContain(`← ${EVIL_LABEL}`);
    // a resize relays the arrows out: still one per message, still with a size
    await page.setViewport({ width: 820, height: 700 });
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    const again = await arrowsOf(page);
    expect(again).toHaveLength(3);
    for (const a of again) expect(a.w > 0 && a.h > 0).toBe(true);
    await page.screenshot({ path: join(OUT, 'hostile.png'), fullPage: true });
    await page.close();
    checkWatch(watch);
  });

  it('reads without JS: every step, the violation and its state are in the page', async () => {
    const page = await browser!.newPage();
    await page.setJavaScriptEnabled(false);
    await page.goto(pathToFileURL(write('hostile-nojs', hostileTrace)).href, { waitUntil: 'load' });
    expect(await page.$$eval('td[data-step]', (els) => els.map((e) => e.getAttribute('data-step')))).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(await page.$eval('td.selected', (e) => e.className)).toMatch(/\bviolation\b/);
    const visible = await page.$$eval('section[data-state-of]', (els) => els.filter((e) => !(e as unknown as { hidden: boolean }).hidden).map((e) => e.textContent));
    expect(visible).toHaveLength(1);
    expect(visible[0]).toContain('tlb = [2: ["x": "f1"]]');
    expect(await page.$$eval('svg .arrow', (els) => els.length)).toBe(0);
    expect(await page.$eval('td[data-step="3"]', (e) => e.textContent)).toContain('from CPU 0 (step 2)');
    await page.close();
  });
});
