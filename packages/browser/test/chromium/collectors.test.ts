// The collectors against real layout, real routers' habits and real input in headless Chromium:
// what happy-dom cannot show (scroll clamping, resize, the Navigation API, middle clicks, SVG links).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildScript } from './fixtures/facadeServer.js';
import { useChromium } from './harness/useChromium.js';

const RULES = '<script type="application/json" id="seglet-rules">{"version":1,"segments":{"v":{"when":{"count":"page_view","gte":1}}}}</script>';
const head = (collect: string): string => `<!doctype html><meta charset="utf-8">${RULES}`
  + `<script src="/build/seglet.js" data-storage="memory" data-collect="${collect}"></script><style>body{margin:0}</style>`;

/** Test pages by path; a path under a prefix (`/spa-b`) gets the prefix's page. */
const PAGES: Record<string, string> = {
  // A long page whose router shows a short loading state on navigation, then the content 300 ms later.
  '/spa': `${head('pageViews,scroll')}<div id="app" style="height:5000px">A</div>`,
  // Rendered by the page's own script shortly after load.
  '/csr': `${head('pageViews,scroll')}<div id="app">loading</div>`
    + "<script>addEventListener('load', function () { setTimeout(function () { app.style.height = '5000px'; }, 200); });</script>",
  '/tall': `${head('scroll')}<div id="content" style="height:1000px">x</div>`,
  // A router on the Navigation API: it intercepts same-origin navigations and never calls pushState.
  '/navapi': `${head('pageViews')}<a id="next" href="/navapi-next?q=1">next</a>`
    + "<script>navigation.addEventListener('navigate', function (e) { if (e.canIntercept && !e.hashChange && !e.downloadRequest) e.intercept({ handler: function () { return Promise.resolve(); } }); });</script>",
  '/history': `${head('pageViews')}<p>history</p>`,
  // Tag setups after ours that assign the layer rather than reuse it: a sloppy-mode assignment, a
  // var declaration, and GTM's own line, then pushes (one into an array kept from before).
  '/layer': `${head('dataLayer')}<script>var kept = window.dataLayer; dataLayer = [{ pageType: 'product' }, { event: 'view_item', ecommerce: { items: [{ item_id: 'a' }] } }];</script>`
    + "<script>var dataLayer = [{ event: 'view_item', ecommerce: { items: [{ item_id: 'b' }] } }]; window.dataLayer = window.dataLayer || [];</script>"
    + "<script>dataLayer.push({ event: 'add_to_cart', ecommerce: { value: 5, items: [{ item_id: 'c' }] } }); kept.push({ event: 'purchase', ecommerce: { value: 7, items: [{ item_id: 'd' }] } });</script>",
  '/clicks': `${head('clicks:all')}<a id="ext" href="https://other.example/x">ext</a>`
    + '<svg width="100" height="100"><a id="svgl" xlink:href="https://other.example/svg"><rect id="svgr" width="100" height="100"/></a></svg>',
};

async function startServer(): Promise<{ base: string; close: () => Promise<void> }> {
  const build = mkdtempSync(join(tmpdir(), 'seglet-collectors-'));
  await buildScript(join(build, 'seglet.js'));
  const script = readFileSync(join(build, 'seglet.js'));
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/build/seglet.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
      return;
    }
    const key = Object.keys(PAGES).find((prefix) => path === prefix || path.startsWith(`${prefix}-`));
    if (!key) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }).end(PAGES[key]);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('seglet: collectors server has no port');
  return {
    base: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await new Promise((r) => server.close(r));
      rmSync(build, { recursive: true, force: true });
    },
  };
}

const fx = useChromium(startServer);

async function open(path: string, viewport = { width: 800, height: 600 }): Promise<Page> {
  const page = await fx.browser.context.newPage();
  fx.pages.push(page);
  page.on('pageerror', (e) => { throw e; });
  await page.setViewportSize(viewport);
  await page.goto(`${fx.server.base}${path}`);
  await page.evaluate(() => (window as unknown as { segments: { ready: Promise<void> } }).segments.ready);
  return page;
}
const wait = (page: Page, ms: number): Promise<void> => page.waitForTimeout(ms);

/** The events of `type` the page's engine holds, as JSON of their props, through the debug hook. */
function events(page: Page, type: string): Promise<string[]> {
  return page.evaluate((type) => {
    type Hook = () => { engine: { events(): { type: string; props?: Record<string, unknown> }[] } | null };
    const s = (window as unknown as Record<string, unknown>)['segments'] as Record<symbol, Hook>;
    return (s[Symbol.for('seglet.debug')]!().engine?.events() ?? []).filter((e) => e.type === type).map((e) => JSON.stringify(e.props));
  }, type);
}
const depthsOf = async (page: Page, path: string): Promise<unknown[]> =>
  (await events(page, 'scroll')).map((e) => JSON.parse(e) as { depth: number; path: string }).filter((e) => e.path === path).map((e) => e.depth);

describe('collectors in Chromium: dataLayer', () => {
  it('reads the pushes of a layer that later tags assign anew (dataLayer = [...], var dataLayer = [...]), each once', async () => {
    const page = await open('/layer');
    const items = async (type: string): Promise<unknown[]> => (await events(page, type)).map((e) => (JSON.parse(e) as { item_id: unknown }).item_id);
    expect(await items('view_item')).toEqual([['a'], ['b']]);
    expect(await items('add_to_cart')).toEqual([['c']]);
    expect(await items('purchase')).toEqual([['d']]);
    expect(await page.evaluate(() => (window as unknown as { dataLayer: unknown[] }).dataLayer.length)).toBe(2);
  });
});

describe('collectors in Chromium: scroll', () => {
  it("a route change whose router scrolls to the top of a short loading state records nothing for the new path", async () => {
    const page = await open('/spa');
    await wait(page, 600);
    await page.evaluate(() => window.scrollTo(0, 3000));
    await wait(page, 100);
    await page.evaluate(() => {
      const app = document.getElementById('app')!;
      history.pushState(null, '', '/spa-b');
      app.style.height = '50px';
      window.scrollTo(0, 0);
      setTimeout(() => { app.style.height = '5000px'; }, 300);
    });
    await wait(page, 800);
    expect(await depthsOf(page, '/spa-b')).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 5000));
    await wait(page, 100);
    expect(await depthsOf(page, '/spa-b')).toEqual([25, 50, 75, 90, 100]);
  });

  it('without a scrollTo: the browser clamping scrollY as the old content goes records nothing either', async () => {
    const page = await open('/spa');
    await wait(page, 600);
    await page.evaluate(() => window.scrollTo(0, 3000));
    await wait(page, 100);
    await page.evaluate(() => {
      const app = document.getElementById('app')!;
      history.pushState(null, '', '/spa-c');
      app.style.height = '50px';
      setTimeout(() => { app.style.height = '5000px'; }, 300);
    });
    await wait(page, 800);
    expect(await depthsOf(page, '/spa-c')).toEqual([]);
  });

  it('a client-rendered landing page is measured once its content has rendered, not at load', async () => {
    const page = await open('/csr');
    await wait(page, 700);
    expect(await events(page, 'scroll')).toEqual([]);
  });

  it('a page a taller window shows whole records the depths left', async () => {
    const page = await open('/tall');
    await wait(page, 600);
    expect(await depthsOf(page, '/tall')).toEqual([25, 50]);
    await page.setViewportSize({ width: 800, height: 1200 });
    await wait(page, 200);
    expect(await depthsOf(page, '/tall')).toEqual([25, 50, 75, 90, 100]);
  });

  it('content that collapses until the page cannot scroll records the depths left, without a scroll', async () => {
    const page = await open('/tall');
    await wait(page, 600);
    await page.evaluate(() => { document.getElementById('content')!.style.height = '100px'; });
    await wait(page, 200);
    expect(await depthsOf(page, '/tall')).toEqual([25, 50, 75, 90, 100]);
  });
});

describe('collectors in Chromium: page views', () => {
  it('a same-document navigation through the Navigation API records a page view, once', async () => {
    const page = await open('/navapi');
    await page.click('#next');
    await wait(page, 200);
    expect(await page.evaluate(() => location.pathname)).toBe('/navapi-next');
    await page.evaluate(() => (window as unknown as { navigation: { navigate(url: string): unknown } }).navigation.navigate('/navapi-more'));
    await wait(page, 200);
    await page.goBack();
    await wait(page, 200);
    expect(await events(page, 'page_view')).toEqual(['{"path":"/navapi"}', '{"path":"/navapi-next"}', '{"path":"/navapi-more"}', '{"path":"/navapi-next"}']);
  });

  it('pushState, replaceState and popstate record one page view each where the Navigation API exists', async () => {
    const page = await open('/history');
    expect(await page.evaluate(() => 'navigation' in window)).toBe(true);
    await page.evaluate(() => {
      history.pushState(null, '', '/history-a');
      history.replaceState(null, '', '/history-b');
      history.pushState(null, '', '/history-c');
      history.pushState(null, '', '/history-c?same');
    });
    await page.goBack();
    await page.goBack();
    await wait(page, 200);
    expect(await page.evaluate(() => location.pathname)).toBe('/history-b');
    expect(await events(page, 'page_view')).toEqual(['{"path":"/history"}', '{"path":"/history-a"}', '{"path":"/history-b"}', '{"path":"/history-c"}', '{"path":"/history-b"}']);
  });
});

describe('collectors in Chromium: clicks', () => {
  it("a middle click on a link (clicks: 'all') is recorded as a click", async () => {
    const page = await open('/clicks');
    await page.evaluate(() => document.getElementById('ext')!.addEventListener('auxclick', (e) => e.preventDefault()));
    await page.click('#ext', { button: 'middle' });
    await page.click('#ext', { button: 'right' });
    await wait(page, 50);
    expect(await events(page, 'click')).toEqual(['{"path":"/clicks","href":"other.example"}']);
  });

  it("an SVG link written with xlink:href (clicks: 'all') is recorded with its host", async () => {
    const page = await open('/clicks');
    await page.evaluate(() => document.getElementById('svgl')!.addEventListener('click', (e) => e.preventDefault()));
    await page.click('#svgr');
    await wait(page, 50);
    expect(await events(page, 'click')).toEqual(['{"path":"/clicks","href":"other.example"}']);
  });
});
