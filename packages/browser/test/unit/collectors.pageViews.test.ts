import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PropValue } from '@seglet/core';
import { collectPageViews } from '../../src/collectors/collectPageViews.js';
import { pageViewProps } from '../../src/collectors/pageViewProps.js';
import type { Win } from '../../src/collectors/types.js';
import { forgetCollected } from './resetPage.js';

const win = window as unknown as Win;
type Call = [string, Record<string, PropValue>];

function recorder(): { calls: Call[]; track: (type: string, props: Record<string, PropValue>) => void } {
  const calls: Call[] = [];
  return { calls, track: (type, props) => calls.push([type, props]) };
}

describe('collectPageViews', () => {
  let stop: () => void = () => {};
  beforeEach(() => {
    forgetCollected();
    history.replaceState(null, '', '/start?q=secret#frag');
  });
  afterEach(() => {
    stop();
    vi.restoreAllMocks();
  });

  it('records the landing page view with the query string and hash dropped', () => {
    const { calls, track } = recorder();
    stop = collectPageViews(track, win);
    expect(calls).toEqual([['page_view', { path: '/start' }]]);
  });

  it('adds the referrer host only when it is another host, and never its path', () => {
    vi.spyOn(document, 'referrer', 'get').mockReturnValue('https://news.example.org/a/b?x=1');
    const { calls, track } = recorder();
    stop = collectPageViews(track, win);
    expect(calls[0]).toEqual(['page_view', { path: '/start', referrer: 'news.example.org' }]);
    stop();
    forgetCollected(); // a document of its own
    vi.spyOn(document, 'referrer', 'get').mockReturnValue(`${location.origin}/previous`);
    const same = recorder();
    stop = collectPageViews(same.track, win);
    expect(same.calls[0]).toEqual(['page_view', { path: '/start' }]);
  });

  it('never reads the title; pageViewProps adds it only when passed', () => {
    document.title = 'Secret order #42';
    const { calls, track } = recorder();
    stop = collectPageViews(track, win);
    expect(JSON.stringify(calls)).not.toContain('Secret');
    expect(pageViewProps(win, { path: '/p?x=1#y', title: 'Shoes' })).toEqual({ path: '/p', title: 'Shoes' });
    expect(pageViewProps(win, { path: 'https://elsewhere.test/q?z' })).toEqual({ path: '/q' });
  });

  it('records pushState, replaceState and popstate path changes, not query or hash changes', () => {
    const { calls, track } = recorder();
    const seen: string[] = [];
    stop = collectPageViews(track, win, { onPageView: (path) => seen.push(path) });
    history.pushState({}, '', '/products?page=2');
    history.pushState({}, '', '/products?page=3');
    history.replaceState({}, '', '/products#reviews');
    history.replaceState({}, '', '/cart');
    history.pushState({}, '', '/start');
    window.dispatchEvent(new PopStateEvent('popstate'));
    history.replaceState({}, '', '/back');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(calls.map(([, p]) => p['path'])).toEqual(['/start', '/products', '/cart', '/start', '/back']);
    expect(calls.slice(1).every(([, p]) => !('referrer' in p))).toBe(true);
    expect(seen).toEqual(['/start', '/products', '/cart', '/start', '/back']);
  });

  it('restores history methods on stop, keeps the host call working, and stop twice is harmless', () => {
    const before = { push: history.pushState, replace: history.replaceState, own: Object.hasOwn(history, 'pushState') };
    const { calls, track } = recorder();
    stop = collectPageViews(track, win);
    expect(history.pushState).not.toBe(before.push);
    stop();
    stop();
    expect(history.pushState).toBe(before.push);
    expect(history.replaceState).toBe(before.replace);
    expect(Object.hasOwn(history, 'pushState')).toBe(before.own);
    history.pushState({}, '', '/after-stop');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(calls).toHaveLength(1);
    expect(location.pathname).toBe('/after-stop');
  });

  it("keeps what the host's own pushState returns", () => {
    const routed = vi.fn(() => 'routed');
    history.pushState = routed as unknown as History['pushState'];
    try {
      const { track } = recorder();
      stop = collectPageViews(track, win);
      expect((history.pushState as unknown as () => unknown)()).toBe('routed');
      expect(routed).toHaveBeenCalledTimes(1);
    } finally {
      stop();
      Reflect.deleteProperty(history, 'pushState');
    }
  });

  it('calls a History.prototype method patched after it started, when the method was inherited', () => {
    const proto = Object.getPrototypeOf(history) as History;
    const native = proto.pushState;
    const { calls, track } = recorder();
    stop = collectPageViews(track, win);
    const patched = vi.fn(function (this: History, ...args: Parameters<History['pushState']>) { native.apply(this, args); });
    proto.pushState = patched;
    try {
      history.pushState({}, '', '/patched-later');
    } finally {
      proto.pushState = native;
    }
    expect(patched).toHaveBeenCalledTimes(1);
    expect(calls.map(([, p]) => p['path'])).toEqual(['/start', '/patched-later']);
  });

  it('stop makes its wrapper inert instead of unwrapping a later wrapper', () => {
    const { calls, track } = recorder();
    stop = collectPageViews(track, win);
    const ours = history.pushState;
    const later = vi.fn(function (this: History, ...args: Parameters<History['pushState']>) {
      ours.apply(this, args);
    });
    history.pushState = later;
    stop();
    expect(history.pushState).toBe(later);
    history.pushState({}, '', '/other');
    expect(later).toHaveBeenCalledTimes(1);
    expect(calls).toHaveLength(1);
    Reflect.deleteProperty(history, 'pushState');
  });

  it('a collector started again in the same document records no second landing view, only a path changed since', () => {
    const first = recorder();
    stop = collectPageViews(first.track, win);
    stop();
    const again = recorder();
    stop = collectPageViews(again.track, win);
    expect(again.calls).toEqual([]);
    stop();
    history.pushState({}, '', '/moved-meanwhile');
    const moved = recorder();
    stop = collectPageViews(moved.track, win);
    expect(moved.calls).toEqual([['page_view', { path: '/moved-meanwhile' }]]);
    history.pushState({}, '', '/next');
    expect(moved.calls.map(([, p]) => p['path'])).toEqual(['/moved-meanwhile', '/next']);
  });

  it("records a Navigation API router's same-document navigation (currententrychange), once, and stops listening", () => {
    const navigation = new EventTarget();
    Object.defineProperty(window, 'navigation', { configurable: true, value: navigation });
    try {
      const { calls, track } = recorder();
      stop = collectPageViews(track, win);
      // The router intercepted the navigate event: the URL changes without our pushState wrapper.
      const native = (Object.getPrototypeOf(history) as History).pushState;
      native.call(history, {}, '', '/intercepted');
      navigation.dispatchEvent(new Event('currententrychange'));
      history.pushState({}, '', '/pushed');
      navigation.dispatchEvent(new Event('currententrychange')); // pushState fires it too
      stop();
      native.call(history, {}, '', '/after-stop');
      navigation.dispatchEvent(new Event('currententrychange'));
      expect(calls.map(([, p]) => p['path'])).toEqual(['/start', '/intercepted', '/pushed']);
    } finally {
      Reflect.deleteProperty(window, 'navigation');
    }
  });

  it('pageshow with persisted calls onRestore and adds no second page view', () => {
    const { calls, track } = recorder();
    const onRestore = vi.fn();
    stop = collectPageViews(track, win, { onRestore });
    const show = new Event('pageshow') as PageTransitionEvent;
    Object.defineProperty(show, 'persisted', { value: true });
    window.dispatchEvent(show);
    expect(onRestore).toHaveBeenCalledTimes(1);
    expect(calls).toHaveLength(1);
  });

  it('a prerendered page records its page view on activation, once', () => {
    Object.defineProperty(document, 'prerendering', { configurable: true, value: true });
    try {
      const { calls, track } = recorder();
      stop = collectPageViews(track, win);
      history.pushState({}, '', '/moved-before-activation');
      expect(calls).toEqual([]);
      document.dispatchEvent(new Event('prerenderingchange'));
      document.dispatchEvent(new Event('prerenderingchange'));
      expect(calls).toEqual([['page_view', { path: '/moved-before-activation' }]]);
    } finally {
      Reflect.deleteProperty(document, 'prerendering');
    }
  });

  it('a throwing track or hook is reported through onError, never thrown at the page', () => {
    const onError = vi.fn();
    stop = collectPageViews(() => { throw new Error('boom'); }, win, { onError });
    expect(() => history.pushState({}, '', '/x')).not.toThrow();
    expect(location.pathname).toBe('/x');
    expect(onError).toHaveBeenCalledTimes(2);
    expect(onError.mock.calls[0]![0]).toMatchObject({ name: 'SegletError', code: 'collector_failed', issues: [{ path: '/collect/pageViews' }] });
  });
});
