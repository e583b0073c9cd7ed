import type { Browser } from 'puppeteer-core';

/** Where a browser is looked for, in order: only KRIPKE_CHROMIUM when it is set, else the Debian paths. */
export declare function chromiumCandidates(env?: NodeJS.ProcessEnv): string[];
/** The first candidate that exists, or undefined. */
export declare function findChromium(env?: NodeJS.ProcessEnv): string | undefined;
/** Launches headless Chromium with --no-sandbox --disable-gpu --disable-dev-shm-usage. */
export declare function launchChromium(executablePath?: string): Promise<Browser>;
/** Opens an HTML file and saves a PNG of it; fails on page errors and non-file:/data: requests. */
export declare function screenshot(
  html: string,
  png: string,
  opts?: { width?: number; height?: number; fullPage?: boolean; step?: number; browser?: Browser },
): Promise<void>;
