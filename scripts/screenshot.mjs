#!/usr/bin/env node
// Screenshots an HTML file (the trace viewer's page) with the system Chromium through
// puppeteer-core: `node scripts/screenshot.mjs page.html out.png [--width 1200] [--height 800]
// [--full] [--step N]`. Nothing is downloaded: the browser is KRIPKE_CHROMIUM, else
// /usr/bin/chromium, else /usr/bin/chromium-headless-shell (Debian: `apt-get install chromium`).
// test/browser/viewer.test.ts uses findChromium and launchChromium.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where a browser is looked for, in order: only KRIPKE_CHROMIUM when it is set, else the Debian paths. */
export function chromiumCandidates(env = process.env) {
  return env.KRIPKE_CHROMIUM ? [env.KRIPKE_CHROMIUM] : ['/usr/bin/chromium', '/usr/bin/chromium-headless-shell', '/usr/lib/chromium/chromium'];
}

/** The first candidate that exists, or undefined. */
export function findChromium(env = process.env) {
  return chromiumCandidates(env).find((p) => existsSync(p));
}

/** Launches headless Chromium as CI needs it (root: no sandbox; small /dev/shm in containers). */
export async function launchChromium(executablePath = findChromium()) {
  if (!executablePath) throw new Error(`no Chromium found (looked for ${chromiumCandidates().join(', ')}; set KRIPKE_CHROMIUM)`);
  const { default: puppeteer } = await import('puppeteer-core');
  return puppeteer.launch({
    executablePath,
    headless: /headless-shell/.test(executablePath) ? 'shell' : true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars'],
  });
}

/**
 * Opens `html` (a file path) and saves a PNG of it. Fails if the page threw or tried to load
 * anything but file: and data: URLs. `step` selects a step first (as the key `End` would).
 */
export async function screenshot(html, png, { width = 1200, height = 800, fullPage = false, step, browser } = {}) {
  const own = browser === undefined;
  const b = browser ?? (await launchChromium());
  try {
    const page = await b.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => /^(file|data):/.test(r.url()) || problems.push(`request to ${r.url()}`));
    await page.setViewport({ width, height, deviceScaleFactor: 1 });
    // the whole page: print media lays the state panel out below the table, not stuck to the window
    if (fullPage) await page.emulateMediaType('print');
    await page.goto(pathToFileURL(resolve(html)).href, { waitUntil: 'load' });
    if (step !== undefined) await page.evaluate((n) => { location.hash = `#step-${n}`; }, step);
    mkdirSync(dirname(resolve(png)), { recursive: true });
    await page.screenshot({ path: png, fullPage });
    await page.close();
    if (problems.length) throw new Error(`${html}: ${problems.join('; ')}`);
  } finally {
    if (own) await b.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const flag = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const width = Number(flag('--width') ?? 1200);
  const height = Number(flag('--height') ?? 800);
  const step = flag('--step');
  const full = args.includes('--full');
  const [html, png] = args.filter((a) => a !== '--full');
  if (!html || !png || !Number.isFinite(width) || !Number.isFinite(height)) {
    console.error('usage: node scripts/screenshot.mjs <page.html> <out.png> [--width 1200] [--height 800] [--full] [--step N]');
    process.exitCode = 2;
  } else {
    await screenshot(html, png, { width, height, fullPage: full, step: step === undefined ? undefined : Number(step) });
    console.log(`wrote ${png}`);
  }
}
