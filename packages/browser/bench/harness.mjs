// Chromium and a loopback server for the browser benchmark. Same browser, flags and profile handling as the
// Chromium tests (test/chromium/harness/launchChromium.ts and serveStatic.ts, which are TypeScript and cannot be
// imported from a plain node script), plus the cross-origin isolation headers that give performance.now()
// 5 µs resolution instead of 100 µs.
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const browserDir = resolve(here, '..');
const modules = join(browserDir, 'node_modules');

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** URL prefix -> directory; the longest prefix wins. */
export const MOUNTS = {
  '/bench/': here,
  '/dist/browser/': join(browserDir, 'dist'),
  '/dist/core/': join(browserDir, '..', 'core', 'dist'),
  '/vendor/idb-keyval/': join(modules, 'idb-keyval', 'dist'),
  '/vendor/web-vitals/': join(modules, 'web-vitals', 'dist'),
};

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json' };
// Every response: cross-origin isolated (fine timers, precise measureUserAgentSpecificMemory not needed).
const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/**
 * Serves `pages` (path -> () => html, never cached) and the mounts (cacheable for an hour, as a CDN would
 * serve seglet.min.js to a returning visitor) on 127.0.0.1 at a random port. Each call is a new origin,
 * so each scenario starts with its own empty IndexedDB, localStorage and quota.
 */
export async function serve(pages) {
  const prefixes = Object.keys(MOUNTS).sort((a, b) => b.length - a.length);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const page = pages[path];
    if (page) {
      res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store', ...ISOLATED }).end(page());
      return;
    }
    const prefix = prefixes.find((p) => path.startsWith(p));
    const root = prefix === undefined ? undefined : MOUNTS[prefix];
    const file = root === undefined ? '' : normalize(join(root, path.slice(prefix.length)));
    let ok = false;
    try { ok = root !== undefined && (file + sep).startsWith(root + sep) && statSync(file).isFile(); } catch { ok = false; }
    if (!ok) { res.writeHead(404, { 'content-type': 'text/plain', ...ISOLATED }).end('not found'); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'max-age=3600', ...ISOLATED });
    createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    // Chromium keeps idle keep-alive connections open; close() alone would wait for them.
    close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }),
  };
}

/** Debian's Chromium with a fresh on-disk profile (real IndexedDB and quota); `close()` removes it. */
export async function launchChromium() {
  const dir = mkdtempSync(join(tmpdir(), 'seglet-bench-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, timeout: 30_000,
  });
  return {
    context,
    version: context.browser()?.version() ?? '',
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
