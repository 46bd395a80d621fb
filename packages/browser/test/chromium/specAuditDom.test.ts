// Statements of runtime.md about the script tag, the collectors and the swaps that need a real
// browser (script execution, CSP, layout, parsing), checked one by one in headless Chromium.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildScript } from './fixtures/facadeServer.js';
import { forgetOrigin, useChromium } from './harness/useChromium.js';

const RULES = JSON.stringify({
  version: 1,
  segments: {
    buyer: { when: { count: 'add_to_cart', gte: 2 } },
    viewer: { when: { count: 'page_view', gte: 1 } },
    measured: { when: { count: 'web_vital', where: { name: 'TTFB' }, gte: 1 } },
  },
});
const RULES_TAG = `<script type="application/json" id="seglet-rules">${RULES}</script>`;
/** The README's stub, byte for byte, and the hash it publishes for it. */
const README_STUB = 'window.segments = window.segments || [];';
const README_HASH = "'sha256-lw+rvoGNe86sBfYH1H2TknqJWTVbDOAOVC5vyD9aHdc='";

/** Test pages, answered with their own headers; `/build/seglet.js` is the script build from sources. */
const PAGES: Record<string, { html: string; csp?: string }> = {
  '/readme-csp.html': {
    csp: `script-src 'self' ${README_HASH}; require-trusted-types-for 'script'`,
    html: `<!doctype html><meta charset="utf-8">${RULES_TAG}<script>${README_STUB}</script>`
      + '<script src="/build/seglet.js" data-rules="#seglet-rules" data-storage="memory" data-collect="none"></script>'
      + '<p id="w" data-seglet-show="buyer" hidden>welcome</p>',
  },
  '/tt-none.html': {
    csp: `script-src 'self' ${README_HASH}; require-trusted-types-for 'script'; trusted-types 'none'`,
    html: `<!doctype html><meta charset="utf-8">${RULES_TAG}<script>${README_STUB}</script>`
      + '<script src="/build/seglet.js" data-storage="memory"></script>'
      + '<p id="w" data-seglet-show="buyer">welcome</p><div id="hero"><span>default</span></div>'
      + '<template data-seglet-when="buyer" data-seglet-into="#hero"><b id="vip" data-seglet-click="vip">vip</b></template>',
  },
  '/async.html': {
    html: `<!doctype html><meta charset="utf-8">${RULES_TAG}`
      + '<script>window.log = []; window.segments = window.segments || [];'
      + "segments.push(['track', 'add_to_cart'], ['track', 'add_to_cart']);"
      + "segments.push(['ready', function (s) { log.push([s === window.segments, s.members().join(','), s.storage]); }]);</script>"
      + '<script async src="/build/seglet.js" data-rules="#seglet-rules" data-storage="memory" data-collect="none"></script>',
  },
  '/dynamic.html': {
    html: `<!doctype html><meta charset="utf-8">${RULES_TAG}`
      + "<script>window.log = []; window.segments = [['ready', function (s) { log.push(s.storage); }]];"
      + "var t = document.createElement('script'); t.src = '/build/seglet.js'; t.dataset.storage = 'memory'; t.dataset.collect = 'pageViews';"
      + 'document.head.appendChild(t);</script>',
  },
  '/collect.html': {
    html: `<!doctype html><meta charset="utf-8">${RULES_TAG}`
      + '<script>window.opts = []; var add = EventTarget.prototype.addEventListener;'
      + 'EventTarget.prototype.addEventListener = function (type, fn, o) { if (/^(scroll|click|wheel|touchstart|touchmove)$/.test(type)) opts.push([type, o && o.passive === true]); return add.call(this, type, fn, o); };</script>'
      + '<script src="/build/seglet.js" data-storage="memory" data-collect="pageViews,clicks:all,scroll"></script>'
      + '<style>body{margin:0} .tall{height:4000px}</style><div class="tall"><a id="out" href="https://elsewhere.example:8443/x?y=1">out</a>'
      + '<button id="b" data-seglet-click="cta">Secret label</button><input id="i" value="me@example.com">'
      + '<label data-seglet-click="agree"><span id="lt">I agree</span> <input type="checkbox" id="cb"></label></div>',
  },
  '/vitals-csp.html': {
    csp: "script-src 'nonce-r4nd0m'; require-trusted-types-for 'script'; trusted-types seglet-vitals",
    html: `<!doctype html><meta charset="utf-8">${RULES_TAG.replace('<script', '<script nonce="r4nd0m"')}`
      + '<script nonce="r4nd0m" src="/build/seglet.js" data-storage="memory" data-collect="pageViews,vitals"></script><h1>vitals</h1>',
  },
  '/short.html': {
    html: `<!doctype html><meta charset="utf-8">${RULES_TAG}<script src="/build/seglet.js" data-storage="memory" data-collect="scroll"></script><p>short</p>`,
  },
  '/inside.html': {
    html: `<!doctype html><meta charset="utf-8">${RULES_TAG}<script src="/build/seglet.js" data-collect="none"></script>`
      + '<div id="hero"><template data-seglet-when="buyer" data-seglet-into="#hero"><b id="vip">vip</b></template>'
      + '<span id="orig">default</span> text <i>more</i></div><p>after</p>',
  },
  '/nested.html': {
    html: `<!doctype html><meta charset="utf-8">${RULES_TAG}<script src="/build/seglet.js" data-collect="none"></script>`
      + '<div id="hero"><p id="wrap"><template data-seglet-when="buyer" data-seglet-into="#hero"><b id="vip">vip</b></template>'
      + '<span id="orig">default</span> text</p><i>more</i></div><p>after</p>',
  },
};

async function startServer(): Promise<{ base: string; close: () => Promise<void> }> {
  const build = mkdtempSync(join(tmpdir(), 'seglet-audit-dom-'));
  await buildScript(join(build, 'seglet.js'));
  await buildScript(join(build, 'seglet-vitals.min.js'), 'src/vitalsScript.ts');
  const files: Record<string, Buffer> = {
    '/build/seglet.js': readFileSync(join(build, 'seglet.js')),
    '/build/seglet-vitals.min.js': readFileSync(join(build, 'seglet-vitals.min.js')),
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = files[path];
    if (file) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }).end(file);
      return;
    }
    const page = PAGES[path];
    if (!page) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
    const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' };
    if (page.csp) headers['content-security-policy'] = page.csp;
    res.writeHead(200, headers).end(page.html);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('seglet: audit server has no port');
  return {
    base: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await new Promise((r) => server.close(r));
      rmSync(build, { recursive: true, force: true });
    },
  };
}

const fx = useChromium(startServer, async ({ server, browser }) => {
  await forgetOrigin(browser, `${server.base}/short.html`);
});

interface W {
  segments: { ready: Promise<void>; track(type: string): void; forget(): Promise<void>; has(id: string): boolean; push(...c: unknown[]): number };
  log: unknown[];
  opts: [string, boolean][];
  violations: string[];
}
const EVENTS = Symbol.for('seglet.debug');

async function open(path: string, init?: () => void): Promise<Page> {
  const page = await fx.browser.context.newPage();
  fx.pages.push(page);
  page.on('pageerror', (e) => { throw e; });
  if (init) await page.addInitScript(init);
  await page.goto(`${fx.server.base}${path}`);
  return page;
}
/** An init script: CSP violations of the page, as `directive uri`, collected in `window.violations`. */
function recordViolations(): void {
  (window as unknown as W).violations = [];
  document.addEventListener('securitypolicyviolation', (e) => (window as unknown as W).violations.push(`${e.violatedDirective} ${e.blockedURI}`));
}
/** The events the page's engine holds, `[type, props]`, through the debug hook. */
function events(page: Page, type: string): Promise<Record<string, unknown>[]> {
  return page.evaluate(({ key, type }) => {
    type Hook = () => { engine: { events(): { type: string; props?: Record<string, unknown> }[] } | null };
    const s = (window as unknown as Record<string, unknown>)['segments'] as Record<symbol, Hook | undefined>;
    const view = s[Symbol.for(key)]?.();
    return (view?.engine?.events() ?? []).filter((e) => e.type === type).map((e) => e.props ?? {});
  }, { key: EVENTS.description!, type });
}

describe('spec audit (dom) in Chromium: script tag', () => {
  it("the README's stub runs under script-src 'self' plus its published hash, with Trusted Types enforced", async () => {
    const page = await open('/readme-csp.html', recordViolations);
    await page.evaluate(() => (window as unknown as W).segments.ready);
    await page.evaluate(() => { (window as unknown as W).segments.track('add_to_cart'); (window as unknown as W).segments.track('add_to_cart'); });
    expect(await page.evaluate(() => [Array.isArray((window as unknown as W).segments), (document.getElementById('w') as HTMLElement).hidden])).toEqual([false, false]);
    expect(await page.evaluate(() => (window as unknown as W).violations)).toEqual([]);
  });

  it("swaps, collectors and the stub need no Trusted Types policy at all (trusted-types 'none')", async () => {
    const page = await open('/tt-none.html', recordViolations);
    await page.evaluate(() => (window as unknown as W).segments.ready);
    expect(await page.evaluate(() => (document.getElementById('w') as HTMLElement).hidden)).toBe(true);
    await page.evaluate(() => { (window as unknown as W).segments.track('add_to_cart'); (window as unknown as W).segments.track('add_to_cart'); });
    await page.click('#vip');
    await page.evaluate(() => window.scrollTo(0, 100));
    expect(await page.evaluate(() => (document.getElementById('w') as HTMLElement).hidden)).toBe(false);
    expect(await events(page, 'click')).toEqual([{ name: 'vip', path: '/tt-none.html' }]);
    expect(await page.evaluate(() => (window as unknown as W).violations)).toEqual([]);
  });

  it('an async script tag still reads its data-* attributes and replays the stub; ["ready", fn] gets window.segments once', async () => {
    const page = await open('/async.html');
    await page.waitForFunction(() => (window as unknown as W).log.length > 0);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
    expect(await page.evaluate(() => (window as unknown as W).log)).toEqual([[true, 'buyer', 'memory']]);
    // A ready pushed after load is called too, once.
    await page.evaluate(() => new Promise<void>((done) => (window as unknown as W).segments.push(['ready', () => { (window as unknown as W).log.push('late'); done(); }])));
    expect(await page.evaluate(() => (window as unknown as W).log)).toEqual([[true, 'buyer', 'memory'], 'late']);
  });

  it('a script tag inserted by a script reads its own dataset (document.currentScript)', async () => {
    const page = await open('/dynamic.html');
    await page.waitForFunction(() => (window as unknown as W).log.length > 0);
    expect(await page.evaluate(() => (window as unknown as W).log)).toEqual(['memory']);
    expect(await events(page, 'page_view')).toEqual([{ path: '/dynamic.html' }]);
  });
});

describe('spec audit (dom) in Chromium: collectors', () => {
  it('web vitals (opt-in) load under a nonce-only CSP with Trusted Types limited to the seglet-vitals policy', async () => {
    const page = await open('/vitals-csp.html', recordViolations);
    await page.evaluate(() => (window as unknown as W).segments.ready);
    await expect.poll(() => page.evaluate(() => (window as unknown as W).segments.has('measured')), { timeout: 10_000 }).toBe(true);
    // As for the debug overlay: the URL goes through the allowed policy first, so nothing is reported.
    expect(await page.evaluate(() => (window as unknown as W).violations)).toEqual([]);
  });

  it('scroll depths once per page view from real layout, again after a pushState page view; passive listeners', async () => {
    const page = await open('/collect.html');
    await page.evaluate(() => (window as unknown as W).segments.ready);
    // The landing view is measured once its content has had time to render after load.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 600)));
    for (const y of [1000, 4000, 0, 4000]) {
      await page.evaluate((to) => window.scrollTo(0, to), y);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30))));
    }
    const depths = async (): Promise<unknown[]> => (await events(page, 'scroll')).map((p) => `${String(p['depth'])} ${String(p['path'])}`);
    expect(await depths()).toEqual(['25 /collect.html', '50 /collect.html', '75 /collect.html', '90 /collect.html', '100 /collect.html']);
    await page.evaluate(() => { window.scrollTo(0, 0); history.pushState(null, '', '/next?q=secret#h'); });
    await page.evaluate(() => new Promise((r) => setTimeout(r, 700)));
    await page.evaluate(() => window.scrollTo(0, 4000));
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30))));
    expect((await depths()).slice(5)).toEqual(['25 /next', '50 /next', '75 /next', '90 /next', '100 /next']);
    expect((await events(page, 'page_view')).map((p) => p['path'])).toEqual(['/collect.html', '/next']);
    const opts = await page.evaluate(() => (window as unknown as W).opts);
    expect(opts.filter(([type]) => type === 'scroll' || type === 'click').every(([, passive]) => passive)).toBe(true);
    expect(opts.map(([type]) => type).sort()).toEqual(['click', 'scroll']);
  });

  it("clicks: data-seglet-click name and links (clicks:all) with the host for other origins; never text or values", async () => {
    const page = await open('/collect.html');
    await page.evaluate(() => (window as unknown as W).segments.ready);
    await page.evaluate(() => document.getElementById('out')!.addEventListener('click', (e) => e.preventDefault()));
    await page.click('#b');
    await page.click('#out');
    await page.click('#i');
    const clicks = await events(page, 'click');
    expect(clicks).toEqual([{ name: 'cta', path: '/collect.html' }, { path: '/collect.html', href: 'elsewhere.example:8443' }]);
    expect(JSON.stringify(clicks)).not.toMatch(/Secret|example\.com/);
  });

  it("a click on a label's text is one click, though Chromium clicks the labelled checkbox too", async () => {
    const page = await open('/collect.html');
    await page.evaluate(() => (window as unknown as W).segments.ready);
    await page.click('#lt');
    expect(await page.isChecked('#cb')).toBe(true);
    await page.click('#cb');
    expect(await page.isChecked('#cb')).toBe(false);
    expect((await events(page, 'click')).filter((p) => p['name'] === 'agree')).toHaveLength(2);
  });

  it('a page that cannot scroll records 100 once', async () => {
    const page = await open('/short.html');
    await page.evaluate(() => (window as unknown as W).segments.ready);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 600)));
    await page.evaluate(() => window.dispatchEvent(new Event('scroll')));
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30))));
    expect(await events(page, 'scroll')).toEqual([{ depth: 100, path: '/short.html' }]);
  });
});

describe('spec audit (dom) in Chromium: swaps', () => {
  /** A buyer comes back to `path`: the snapshot fills the target before parsing ends; then forget(). */
  async function returningBuyerForgets(path: string): Promise<Page> {
    let page = await open(path);
    await page.evaluate(async () => {
      await (window as unknown as W).segments.ready;
      (window as unknown as W).segments.track('add_to_cart');
      (window as unknown as W).segments.track('add_to_cart');
    });
    await page.evaluate(() => new Promise((r) => setTimeout(r, 1200)));
    await page.close();
    page = await open(path);
    await page.evaluate(() => (window as unknown as W).segments.ready);
    expect(await page.evaluate(() => [!!document.getElementById('vip'), !!document.getElementById('orig'), (window as unknown as W).segments.has('buyer')])).toEqual([true, false, true]);
    await page.evaluate(() => (window as unknown as W).segments.forget());
    return page;
  }

  it('a template parsed inside its own target fills it for a returning member, and exit brings every original node back', async () => {
    const page = await returningBuyerForgets('/inside.html');
    const hero = await page.evaluate(() => Array.from(document.getElementById('hero')!.childNodes, (n) => n.nodeName + (n.nodeType === 3 ? `:${n.textContent}` : '')));
    expect(hero).toEqual(['TEMPLATE', 'SPAN', '#text: text ', 'I']);
  });

  it('a template parsed deeper inside its own target: the same, and the template goes back where it was', async () => {
    const page = await returningBuyerForgets('/nested.html');
    const hero = await page.evaluate(() => {
      const tree = (n: Node): string => n.nodeName + (n.nodeType === 3 ? `:${n.textContent}` : n.nodeName === 'TEMPLATE' ? '' : `(${Array.from(n.childNodes, tree).join(',')})`);
      return tree(document.getElementById('hero')!);
    });
    expect(hero).toEqual('DIV(P(TEMPLATE,SPAN(#text:default),#text: text),I(#text:more))');
  });
});
