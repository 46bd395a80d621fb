// Debian's Chromium through playwright-core, with the project's flags (see
// packages/browser/test/chromium/harness/launchChromium.ts). No browser is ever downloaded.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.SEGLET_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A headless browser; each visitor gets its own context (its own storage, its own clock). */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 30_000 });
}
