import { describe, expect, it, vi } from 'vitest';
import type { PropValue } from '@seglet/core';
import { collectScroll, RESET_SETTLE_MS } from '../../src/collectors/collectScroll.js';
import type { Win } from '../../src/collectors/types.js';

/** A window whose frames, timers and scroll metrics the test drives by hand. */
function fakeWindow(metrics: { height: number; view: number; y?: number; ready?: DocumentReadyState; prerendering?: boolean }, observers = false) {
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
    ResizeObserver: observers ? FakeObserver : undefined,
  };
  return {
    win: fake as unknown as Win,
    frames,
    reads: () => reads,
    frame: () => { const all = [...frames.values()]; frames.clear(); all.forEach((cb) => cb(0)); },
    timers: () => { const all = [...timers.values()]; timers.clear(); all.forEach((cb) => cb()); },
    scrollTo: (y: number) => { metrics.y = y; events.dispatchEvent(new Event('scroll')); },
    resize: (view: number) => { metrics.view = view; events.dispatchEvent(new Event('resize')); },
  };
}

/** Records what it observes; `resized()` calls back as a browser does when an observed size changes. */
class FakeObserver {
  static all: FakeObserver[] = [];
  observed: unknown[] = [];
  constructor(readonly callback: () => void) { FakeObserver.all.push(this); }
  observe(target: unknown): void { this.observed.push(target); }
  disconnect(): void { this.observed = []; }
  static resized(): void { for (const o of FakeObserver.all) if (o.observed.length > 0) o.callback(); }
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
    page.timers(); // the landing view settles
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
    page.timers();
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
    expect(depths).toEqual([]); // not yet: the content is given time to render
    page.timers();
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
    page.timers();
    page.frame();
    expect(depths).toEqual([100]);
  });

  it('reset() starts over for the next page view, after the new content has had time to render', () => {
    const metrics = { height: 2000, view: 1000 };
    const page = fakeWindow(metrics);
    const { depths, track } = recorder();
    const scroll = collectScroll(track, page.win);
    page.timers();
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
    page.timers();
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

  it('a client-rendered landing view is measured once its content has had time to render after load', () => {
    const metrics = { height: 500, view: 800, ready: 'loading' as DocumentReadyState };
    const page = fakeWindow(metrics);
    const { depths, track } = recorder();
    collectScroll(track, page.win);
    metrics.ready = 'complete';
    page.win.dispatchEvent(new Event('load'));
    page.scrollTo(0);
    page.frame();
    metrics.height = 5000; // rendered by the page's script after load
    page.timers();
    page.frame();
    expect(depths).toEqual([]);
  });

  it('measures again on resize: a page that a taller window shows whole records the depths left', () => {
    const page = fakeWindow({ height: 1000, view: 600 });
    const { depths, track } = recorder();
    collectScroll(track, page.win);
    page.timers();
    page.frame();
    expect(depths).toEqual([25, 50]);
    page.resize(1200);
    page.frame();
    expect(depths).toEqual([25, 50, 75, 90, 100]);
  });

  it('measures again when the document changes size (ResizeObserver), until stopped', () => {
    const metrics = { height: 3000, view: 600 };
    const page = fakeWindow(metrics, true);
    const { depths, track } = recorder();
    const stop = collectScroll(track, page.win);
    expect(FakeObserver.all.at(-1)!.observed).toEqual([page.win.document.documentElement]);
    page.timers();
    page.frame();
    expect(depths).toEqual([]);
    metrics.height = 700; // content removed, no scroll: measured again
    FakeObserver.resized();
    page.frame();
    expect(depths).toEqual([25, 50, 75]);
    metrics.height = 100; // an accordion closed: the page cannot scroll any more
    FakeObserver.resized();
    page.frame();
    expect(depths).toEqual([25, 50, 75, 90, 100]);
    stop();
    expect(FakeObserver.all.at(-1)!.observed).toEqual([]);
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
    page.timers();
    expect(() => page.frame()).not.toThrow();
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('works against the real happy-dom window too', async () => {
    const { depths, track } = recorder();
    const stop = collectScroll(track, window as unknown as Win);
    await new Promise((resolve) => setTimeout(resolve, RESET_SETTLE_MS + 100));
    stop();
    // happy-dom lays nothing out: the page cannot scroll, so it records 100.
    expect(depths).toEqual([100]);
  });
});
