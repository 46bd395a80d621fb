import { describe, expect, it, vi } from 'vitest';
import type { PropValue } from '@seglet/core';
import { collectScroll, RESET_SETTLE_MS } from '../../src/collectors/collectScroll.js';
import type { Win } from '../../src/collectors/types.js';

/** A window whose frames, timers and scroll metrics the test drives by hand. */
function fakeWindow(metrics: { height: number; view: number; y?: number; ready?: DocumentReadyState; prerendering?: boolean }) {
  const events = new EventTarget();
  const docEvents = new EventTarget();
  const frames = new Map<number, FrameRequestCallback>();
  const timers = new Map<number, () => void>();
  let next = 1;
  let reads = 0;
  const root = { get scrollHeight() { reads++; return metrics.height; } };
  const fake = {
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
    dispatchEvent: events.dispatchEvent.bind(events),
    document: {
      get readyState() { return metrics.ready ?? 'complete'; },
      get prerendering() { return metrics.prerendering ?? false; },
      scrollingElement: root,
      documentElement: root,
      addEventListener: docEvents.addEventListener.bind(docEvents),
      removeEventListener: docEvents.removeEventListener.bind(docEvents),
      dispatchEvent: docEvents.dispatchEvent.bind(docEvents),
    },
    location: new URL('https://shop.test/article?utm_source=x#part'),
    get innerHeight() { return metrics.view; },
    get scrollY() { return metrics.y ?? 0; },
    requestAnimationFrame: (cb: FrameRequestCallback) => { frames.set(next, cb); return next++; },
    cancelAnimationFrame: (id: number) => void frames.delete(id),
    setTimeout: (cb: () => void) => { timers.set(next, cb); return next++; },
    clearTimeout: (id: number) => void timers.delete(id),
  };
  return {
    win: fake as unknown as Win,
    frames,
    reads: () => reads,
    frame: () => { const all = [...frames.values()]; frames.clear(); all.forEach((cb) => cb(0)); },
    timers: () => { const all = [...timers.values()]; timers.clear(); all.forEach((cb) => cb()); },
    scrollTo: (y: number) => { metrics.y = y; events.dispatchEvent(new Event('scroll')); },
  };
}

function recorder() {
  const depths: PropValue[] = [];
  const calls: Record<string, PropValue>[] = [];
  return { depths, calls, track: (_: string, props: Record<string, PropValue>) => { calls.push(props); depths.push(props['depth']!); } };
}

describe('collectScroll', () => {
  it('records each depth once per page view, with the path and no query', () => {
    const page = fakeWindow({ height: 4000, view: 1000 });
    const { depths, calls, track } = recorder();
    collectScroll(track, page.win);
    page.frame(); // initial measure: 25 % seen already
    page.scrollTo(1000);
    page.frame();
    page.scrollTo(0);
    page.scrollTo(1000);
    page.frame();
    expect(depths).toEqual([25, 50]);
    expect(calls[0]).toEqual({ depth: 25, path: '/article' });
    page.scrollTo(3000);
    page.frame();
    expect(depths).toEqual([25, 50, 75, 90, 100]);
    page.scrollTo(0);
    page.scrollTo(3000);
    page.frame();
    expect(depths).toHaveLength(5);
  });

  it('reads metrics once per frame however many scroll events arrive, and only in the frame', () => {
    const page = fakeWindow({ height: 10_000, view: 1000 });
    const { track } = recorder();
    collectScroll(track, page.win);
    page.frame();
    const before = page.reads();
    for (let y = 0; y < 50; y++) page.scrollTo(y * 10);
    expect(page.reads()).toBe(before);
    expect(page.frames.size).toBe(1);
    page.frame();
    expect(page.reads()).toBe(before + 1);
  });

  it('a page that cannot scroll records 100 once it has loaded', () => {
    const metrics = { height: 500, view: 800, ready: 'loading' as DocumentReadyState };
    const page = fakeWindow(metrics);
    const { depths, track } = recorder();
    collectScroll(track, page.win);
    expect(page.frames.size).toBe(0);
    metrics.ready = 'complete';
    page.win.dispatchEvent(new Event('load'));
    page.frame();
    page.scrollTo(0);
    page.frame();
    expect(depths).toEqual([100]);
  });

  it('a prerendered page measures only once activated', () => {
    const metrics = { height: 500, view: 800, prerendering: true };
    const page = fakeWindow(metrics);
    const { depths, track } = recorder();
    collectScroll(track, page.win);
    page.frame();
    expect(page.frames.size).toBe(0);
    expect(depths).toEqual([]);
    metrics.prerendering = false;
    (page.win.document as unknown as EventTarget).dispatchEvent(new Event('prerenderingchange'));
    page.frame();
    expect(depths).toEqual([100]);
  });

  it('reset() starts over for the next page view, after the new content has had time to render', () => {
    const metrics = { height: 2000, view: 1000 };
    const page = fakeWindow(metrics);
    const { depths, track } = recorder();
    const scroll = collectScroll(track, page.win);
    page.frame();
    page.scrollTo(1000);
    page.frame();
    expect(depths).toEqual([25, 50, 75, 90, 100]);
    scroll.reset();
    metrics.height = 600; // the next view is short while it loads
    expect(page.frames.size).toBe(0);
    metrics.height = 5000;
    page.timers();
    page.frame();
    expect(depths).toEqual([25, 50, 75, 90, 100, 25]);
    expect(RESET_SETTLE_MS).toBeGreaterThan(0);
  });

  it('reset(): scroll events in the settle wait do not measure, and a frame asked for before is cancelled', () => {
    const metrics = { height: 5000, view: 1000, y: 3000 };
    const page = fakeWindow(metrics);
    const { calls, track } = recorder();
    const scroll = collectScroll(track, page.win);
    page.frame();
    page.scrollTo(3100); // a frame is pending when the route changes
    scroll.reset();
    expect(page.frames.size).toBe(0);
    // The new view is short while it loads: the router's scrollTo(0, 0), or the browser clamping.
    metrics.height = 600;
    page.scrollTo(0);
    expect(page.frames.size).toBe(0);
    metrics.height = 5000;
    page.timers();
    page.frame();
    expect(calls.map((p) => p['depth'])).toEqual([25, 50, 75]);
    page.scrollTo(1500);
    page.frame();
    expect(calls.slice(3).map((p) => p['depth'])).toEqual([25, 50]);
  });

  it('stop removes the listener and cancels the pending frame', () => {
    const page = fakeWindow({ height: 4000, view: 1000 });
    const { depths, track } = recorder();
    const stop = collectScroll(track, page.win);
    page.scrollTo(3000);
    stop();
    page.frame();
    page.scrollTo(3000);
    page.frame();
    expect(depths).toEqual([]);
  });

  it('a throwing track is reported, not thrown', () => {
    const page = fakeWindow({ height: 100, view: 800 });
    const onError = vi.fn();
    collectScroll(() => { throw new Error('x'); }, page.win, { onError });
    expect(() => page.frame()).not.toThrow();
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('works against the real happy-dom window too', async () => {
    const { depths, track } = recorder();
    const stop = collectScroll(track, window as unknown as Win);
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop();
    // happy-dom lays nothing out: the page cannot scroll, so it records 100.
    expect(depths).toEqual([100]);
  });
});
