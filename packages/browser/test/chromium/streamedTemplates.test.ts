// A returning member on a slow network: the parser stops for a while right after a template, or
// inside its content, and Chromium paints meanwhile. No frame may show the original hero, and the
// target must end with the template's whole content, once, with the originals back on exit.
import { describe, expect, it } from 'vitest';
import type { Segments } from '../../src/types.js';
import { PAUSE, startStreamServer } from './fixtures/streamServer.js';
import { forgetOrigin, useChromium } from './harness/useChromium.js';

interface Frame { template: boolean; hero: string; tail: boolean; away: boolean }
interface PageWindow { segments: Segments; frames_: Frame[] }

const HEAD = `<!doctype html>
<meta charset="utf-8">
<title>seglet streamed template</title>
<script>
  // The state each frame paints, from the first, read after every rAF callback of the frame (a
  // resize observation is delivered later in the same rendering update). Once three frames have
  // shown the template while the parser waited, the server sends the rest of the page.
  window.frames_ = [];
  let stalled = 0;
  const probe = () => {
    const observer = new ResizeObserver(() => {
      observer.disconnect();
      const frame = {
        template: !!document.querySelector('template'), hero: document.getElementById('filled') ? 'filled' : 'original',
        tail: !!document.getElementById('tail'), away: !!document.getElementById('away'),
      };
      window.frames_.push(frame);
      if (frame.template && !frame.away && ++stalled === 3) fetch('/release');
      if (!frame.away && window.frames_.length < 1000) requestAnimationFrame(probe);
    });
    observer.observe(document.documentElement);
  };
  requestAnimationFrame(probe);
</script>
<script type="application/json" id="seglet-rules">{"version":1,"segments":{"buyer":{"when":{"count":"add_to_cart","gte":2}}}}</script>
<script src="/seglet.js" data-rules="#seglet-rules" data-collect="pageViews"></script>
`;
const TEMPLATE = (content: string): string => `<template data-seglet-when="buyer" data-seglet-into="#hero">${content}</template>`;
const CONTENT = '<b id="filled">buyer hero</b><i id="tail">tail</i>';
const AWAY = '\n<a id="away" href="/blank">away</a>';

/** Each case: the hero's original inner markup, and the page, cut at PAUSE. */
const CASES = {
  'right after the template': {
    original: '<span>default hero</span>',
    page: `<div id="hero"><span>default hero</span></div>\n${TEMPLATE(CONTENT)}${PAUSE}${AWAY}`,
  },
  "inside the template's content": {
    original: '<span>default hero</span>',
    page: `<div id="hero"><span>default hero</span></div>\n${TEMPLATE(`<b id="filled">buyer${PAUSE} hero</b><i id="tail">tail</i>`)}${AWAY}`,
  },
  "inside the content of a template inside its target": {
    original: `<span>default hero</span>${TEMPLATE(CONTENT)}<span id="late">late original</span>`,
    page: `<div id="hero"><span>default hero</span>${TEMPLATE(`<b id="filled">buyer${PAUSE} hero</b><i id="tail">tail</i>`)}<span id="late">late original</span></div>${AWAY}`,
  },
};
const PAGES: Record<string, string> = { '/blank': HEAD };
for (const [i, { page }] of Object.values(CASES).entries()) PAGES[`/case${i}`] = HEAD + page;
// A template's script runs once when its content fills the target (docs/quick-start.md), never for
// a draft too, and never cut where the network paused.
const RUN = 'window.runs_ = (window.runs_ || []).concat(document.currentScript.text.length);';
const SCRIPT = `<b id="filled">buyer hero</b><script>${RUN}</script><i id="tail">tail</i>`;
const SCRIPT_CASES = {
  'right after the template': `<div id="hero"><span>default hero</span></div>\n${TEMPLATE(SCRIPT)}${PAUSE}${AWAY}`,
  "inside the template's script": `<div id="hero"><span>default hero</span></div>\n${TEMPLATE(SCRIPT.replace('.concat(', `.concat(${PAUSE}`))}${AWAY}`,
  "in the template's content after its script": `<div id="hero"><span>default hero</span></div>\n${TEMPLATE(SCRIPT.replace('>tail<', `>ta${PAUSE}il<`))}${AWAY}`,
};
for (const [i, page] of Object.values(SCRIPT_CASES).entries()) PAGES[`/script${i}`] = HEAD + page;

// A draft of a template that was already complete is its fill: cloned again, its custom elements
// were built twice (an iframe or video loaded twice, focus and typed input lost).
const DEFINE = '<script>customElements.define("x-made", class extends HTMLElement { constructor() { super(); window.made_ = (window.made_ || 0) + 1; } });</script>';
const MADE = '<x-made id="filled">buyer hero</x-made><i id="tail">tail</i>';
const MADE_CASES = {
  'right after the template': [1, `<div id="hero"><span>default hero</span></div>\n${TEMPLATE(MADE)}${PAUSE}${AWAY}`],
  "inside the template's content": [2, `<div id="hero"><span>default hero</span></div>\n${TEMPLATE(MADE.replace('>tail<', `>ta${PAUSE}il<`))}${AWAY}`],
} as const;
for (const [i, [, page]] of Object.values(MADE_CASES).entries()) PAGES[`/made${i}`] = HEAD + DEFINE + page;

describe('templates while the network stalls (Chromium)', () => {
  const fx = useChromium(() => startStreamServer(PAGES), ({ server, browser }) => forgetOrigin(browser, `${server.base}/blank`));
  /** A first visit whose history makes the visitor a member of the templates' segment. */
  const becomeMember = async (): Promise<void> => {
    const first = await fx.browser.context.newPage();
    fx.pages.push(first);
    await first.goto(`${fx.server.base}/blank`);
    await first.evaluate(async () => {
      const { segments } = window as unknown as PageWindow;
      await segments.ready;
      segments.track('add_to_cart');
      segments.track('add_to_cart');
      await segments.flush();
    });
  };

  for (const [i, [name, { original, page: markup }]] of Object.entries(CASES).entries()) {
    it(`shows a returning member the template's content in every frame when the stream pauses ${name}`, async () => {
      await becomeMember();
      const page = await fx.browser.context.newPage();
      fx.pages.push(page);
      page.on('pageerror', (e) => { throw e; });
      await page.goto(`${fx.server.base}/case${i}`);
      const seen = await page.evaluate(async () => {
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const hero = document.getElementById('hero')!;
        return {
          frames: (window as unknown as PageWindow).frames_,
          // The fill's own nodes: the template kept inside its target is not one of them.
          fill: Array.from(hero.childNodes).filter((n) => n.nodeType === 1 && n.nodeName !== 'TEMPLATE').map((n) => (n as Element).outerHTML).join(''),
          templates: hero.querySelectorAll('template').length,
          filled: document.querySelectorAll('#filled, #tail').length,
        };
      });
      // Frames were painted while the rest of the page was held back, none without the template's
      // content once the template was there; with the pause inside it, only part of the content.
      const stalled = seen.frames.filter((f) => f.template && !f.away);
      expect(stalled.length).toBeGreaterThanOrEqual(3);
      expect(seen.frames.filter((f) => f.template && f.hero !== 'filled')).toEqual([]);
      expect(stalled.every((f) => f.tail)).toBe(!markup.includes(`buyer${PAUSE}`));
      expect(seen.fill).toBe(CONTENT);
      expect(seen.filled).toBe(2);
      expect(seen.templates).toBe(original.includes('<template') ? 1 : 0);
      const after = await page.evaluate(async () => {
        await (window as unknown as PageWindow).segments.forget();
        return document.getElementById('hero')!.innerHTML;
      });
      expect(after).toBe(original);
    });
  }

  for (const [i, name] of Object.keys(SCRIPT_CASES).entries()) {
    it(`runs a template's script once, whole, when the stream pauses ${name}`, async () => {
      await becomeMember();
      const page = await fx.browser.context.newPage();
      fx.pages.push(page);
      await page.goto(`${fx.server.base}/script${i}`);
      const seen = await page.evaluate(async () => {
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const w = window as unknown as PageWindow & { runs_?: number[] };
        return { runs: w.runs_, stalled: w.frames_.filter((f) => f.template && !f.away).length, filled: document.querySelectorAll('#filled, #tail').length };
      });
      expect(seen.stalled).toBeGreaterThanOrEqual(3);
      expect(seen.filled).toBe(2);
      expect(seen.runs).toEqual([RUN.length]);
    });
  }

  for (const [i, [name, [made]]] of Object.entries(MADE_CASES).entries()) {
    it(`builds a template's custom element ${made === 1 ? 'once' : 'again from the whole content'} when the stream pauses ${name}`, async () => {
      await becomeMember();
      const page = await fx.browser.context.newPage();
      fx.pages.push(page);
      await page.goto(`${fx.server.base}/made${i}`);
      const seen = await page.evaluate(async () => {
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const w = window as unknown as PageWindow & { made_?: number };
        return { made: w.made_, stalled: w.frames_.filter((f) => f.template && !f.away).length, fill: document.getElementById('hero')!.innerHTML };
      });
      expect(seen.stalled).toBeGreaterThanOrEqual(3);
      expect(seen.fill).toBe(MADE);
      expect(seen.made).toBe(made);
    });
  }
});
