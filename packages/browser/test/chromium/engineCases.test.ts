// The shared engine cases (packages/core/test/cases/engine-cases.json) inside real Chromium,
// against the built ESM of @seglet/core and its minified build: the browser gives the same answers as
// Node and workerd.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './harness/launchChromium.js';
import { serveStatic } from './harness/serveStatic.js';

const here = dirname(fileURLToPath(import.meta.url));
let browser: Awaited<ReturnType<typeof launchChromium>>;
let served: Awaited<ReturnType<typeof serveStatic>>;

beforeAll(async () => {
  served = await serveStatic({
    '/core/': resolve(here, '../../../core/dist'),
    '/cases/': resolve(here, '../../../core/test/cases'),
    '/': resolve(here, 'pages'),
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  served?.server.close();
});

describe('shared engine cases in Chromium', () => {
  // The ESM build, and the minified one, whose engine internals terser renames (rollup.config.ts).
  it.each(['index.js', 'core.min.js'])('every case of engine-cases.json passes with @seglet/core (%s) in the page', async (file) => {
    const page = await browser.context.newPage();
    await page.goto(`${served.url}/cases.html`);
    // A string, so the test runner does not rewrite the page's dynamic imports.
    const result = await page.evaluate(`(async () => {
      const core = await import('/core/${file}');
      const { runCase } = await import('/cases/runCase.js');
      const cases = await (await fetch('/cases/engine-cases.json')).json();
      const failed = [];
      for (const kase of cases) {
        const { ok, diff } = runCase(core.createEngine, kase);
        if (!ok) failed.push(kase[0] + ': ' + diff);
      }
      return { total: cases.length, failed };
    })()`) as { total: number; failed: string[] };
    console.log(`seglet chromium: ${result.total - result.failed.length}/${result.total} shared engine cases pass in Chromium (${file})`);
    expect(result.failed).toEqual([]);
    expect(result.total).toBeGreaterThanOrEqual(40);
  });
});
