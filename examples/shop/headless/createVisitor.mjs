// One scripted shopper: a browser context (own storage) on a paused, simulated clock that moves
// only when the script lets time pass, so every instant in the timeline is exact and repeatable.
import { pinAnonymousId, reportChanges } from './pageScripts.mjs';

/** Simulated time each page is looked at before the next action (rAF, coalesced beacons run in it). */
export const DWELL_MS = 20_000;

/**
 * Opens a context for `anonymousId` starting at `start` (ms since the epoch). Every action is a
 * timeline line; so is each enter and exit seglet reports, at the instant seglet gives it.
 */
export async function createVisitor(browser, { shopUrl, anonymousId, segmentIds, start }) {
  const context = await browser.newContext();
  await context.clock.install({ time: start - 60_000 });
  await context.clock.pauseAt(start);
  let now = start;
  let seq = 0;
  let page = null;
  const lines = [];
  const members = new Set();
  const line = (t, order, text) => lines.push({ t, order, seq: seq++, text });

  await context.exposeBinding('__shopChange', (_source, change) => {
    // Each new page re-announces the memberships it starts with: only real transitions count.
    if (change.member === members.has(change.segment)) return;
    if (change.member) members.add(change.segment);
    else members.delete(change.segment);
    line(change.t, 1, `${change.member ? 'enter' : 'exit '}  ${change.segment}`);
  });
  // seglet reports problems with one console.warn per error code; the page's own errors too.
  const problems = [];
  context.on('console', (message) => {
    if (message.type() === 'warning' || message.type() === 'error') problems.push(message.text());
  });
  context.on('weberror', (error) => problems.push(String(error.error())));
  await context.addInitScript(pinAnonymousId, anonymousId);
  await context.addInitScript(reportChanges, segmentIds);

  const pass = async (ms) => {
    await context.clock.runFor(ms);
    now += ms;
  };
  /** seglet is ready, the page is looked at for a while, its events are stored and beacons handed over. */
  const settle = async () => {
    await page.evaluate(() => window.segments.ready);
    await pass(DWELL_MS);
    await page.evaluate(() => window.segments.flush());
  };
  const step = (text) => line(now, 0, `·      ${text}`);

  return {
    get page() { return page; },
    members: () => [...members],
    /** Console warnings and errors, uncaught page errors: none in a healthy run. */
    problems: () => [...problems],
    /** Opens `path` in a new tab (a new visit when enough time has passed). */
    async open(path, note) {
      step(`${path}${note ? `  (${note})` : ''}`);
      page = await context.newPage();
      await page.goto(new URL(path, shopUrl).href);
      await settle();
    },
    /** Clicks a link and waits for the next page. */
    async follow(href, note) {
      step(`${href}${note ? `  (${note})` : ''}`);
      await Promise.all([page.waitForURL(new URL(href, shopUrl).href), page.click(`a[href="${href}"] >> nth=0`)]);
      await settle();
    },
    /** Clicks a button that stays on the page. */
    async click(selector, note) {
      step(note);
      await page.click(selector);
      await settle();
    },
    async scrollToEnd() {
      step('reads to the end');
      // Chromium dispatches `scroll` with the next rendered frame: wait for it, so that seglet's
      // measurement is scheduled before simulated time moves on.
      await page.evaluate(() => new Promise((resolve) => {
        window.addEventListener('scroll', () => resolve(), { once: true });
        window.scrollTo(0, document.documentElement.scrollHeight);
      }));
      await settle();
    },
    /** Records whether `selector` is visible, e.g. `sees   early access`. */
    async sees(selector, label) {
      const visible = await page.isVisible(selector);
      line(now, 0, `${visible ? 'sees ' : 'no   '}  ${label}`);
      return visible;
    },
    /** Lets simulated time pass; with `leave`, the tab is closed first (the visit ends). */
    async wait(ms, note, { leave = false } = {}) {
      if (leave && page) {
        await page.close();
        page = null;
      }
      step(note);
      await pass(ms);
    },
    /** Lets time pass in small steps until `done()` is true (e.g. the collector caught up). */
    async until(done, tries = 60) {
      for (let i = 0; i < tries; i++) {
        if (await done()) return true;
        await pass(1_000);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return false;
    },
    /** The timeline, by instant; an action comes before what it caused. */
    timeline() {
      return lines.slice().sort((a, b) => a.t - b.t || a.order - b.order || a.seq - b.seq).map((l) => ({ offset: l.t - start, text: l.text }));
    },
    close: () => context.close(),
  };
}
