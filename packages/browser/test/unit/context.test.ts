import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deviceType } from '@seglet/core';
import { browserContext } from '../../src/context/browserContext.js';
import { clearLanding, keepLanding, LANDING_KEY, landingOf, sessionLanding, touchLanding } from '../../src/context/landing.js';
import { createSegments } from '../../src/createSegments.js';
import { readLanding } from '../../../edge/src/readLanding.js';

const UA = {
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  androidPhone: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36',
  androidTablet: 'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  firefoxAndroid: 'Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0',
  firefoxTablet: 'Mozilla/5.0 (Android 14; Tablet; rv:125.0) Gecko/125.0 Firefox/125.0',
  windowsTablet: 'Mozilla/5.0 (Windows NT 10.0; Tablet PC 2.0) like Gecko',
  operaMini: 'Opera/9.80 (J2ME/MIDP; Opera Mini/9.80) Presto/2.5.25 Version/10.54 Mobi',
  mac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  windows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  bot: 'Googlebot/2.1 (+http://www.google.com/bot.html)',
};

// The one classifier shared with the edge lives in core; this table pins what the browser relies on.
describe('deviceType (from @seglet/core)', () => {
  it.each([
    [UA.iphone, undefined, 'mobile'],
    [UA.ipad, undefined, 'tablet'],
    [UA.androidPhone, undefined, 'mobile'],
    [UA.androidTablet, undefined, 'tablet'],
    [UA.firefoxAndroid, undefined, 'mobile'],
    [UA.firefoxTablet, undefined, 'tablet'],
    [UA.windowsTablet, undefined, 'tablet'],
    [UA.operaMini, undefined, 'mobile'],
    [UA.mac, undefined, 'desktop'],
    [UA.windows, undefined, 'desktop'],
    [UA.bot, undefined, 'desktop'],
    ['', undefined, 'desktop'],
    [null, undefined, 'desktop'],
    [UA.windows, '?1', 'mobile'],
    [UA.androidTablet, '?0', 'tablet'],
    [UA.iphone, '?0', 'mobile'],
    [UA.mac, null, 'desktop'],
  ] as const)('%s with hint %s is %s', (ua, hint, device) => {
    expect(deviceType(ua, hint)).toBe(device);
  });
});

describe('landing and browserContext', () => {
  beforeEach(() => {
    sessionStorage.clear();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    history.replaceState(null, '', '/');
  });

  it('reads utm_* percent-decoded, first wins, and the cross-host referrer host', () => {
    expect(landingOf('https://shop.test/p?utm_source=news%20letter&utm_source=second&utm_medium=email&x=1', 'https://mail.example.com/inbox?id=1'))
      .toEqual({ referrer: 'mail.example.com', utm_source: 'news letter', utm_medium: 'email', utm_campaign: null });
    expect(landingOf('https://shop.test/p', 'https://shop.test/prev').referrer).toBeNull();
    expect(landingOf('::', '')).toEqual({ referrer: null, utm_source: null, utm_medium: null, utm_campaign: null });
  });

  it('keeps the landing facts for the session; a new campaign replaces them', () => {
    vi.spyOn(document, 'referrer', 'get').mockReturnValue('https://search.example/?q=shoes');
    history.replaceState(null, '', '/landing?utm_source=ads&utm_campaign=spring');
    const first = sessionLanding(window);
    expect(first).toEqual({ referrer: 'search.example', utm_source: 'ads', utm_medium: null, utm_campaign: 'spring' });
    vi.spyOn(document, 'referrer', 'get').mockReturnValue(`${location.origin}/landing`);
    history.replaceState(null, '', '/product/1');
    expect(sessionLanding(window)).toEqual(first);
    history.replaceState(null, '', '/p?utm_source=mail');
    expect(sessionLanding(window)).toEqual({ referrer: null, utm_source: 'mail', utm_medium: null, utm_campaign: null });
    clearLanding(window);
    expect(sessionStorage.getItem(LANDING_KEY)).toBeNull();
    sessionStorage.setItem(LANDING_KEY, '{not json');
    history.replaceState(null, '', '/q');
    expect(sessionLanding(window).utm_source).toBeNull();
  });

  it("with shared (cookie: true), a new tab takes the session's landing from seglet_c, as the edge does", () => {
    // The edge reads seglet_c for every tab; a new tab used its own referrer, painted the edge's
    // page for the first landing, then changed it at ready.
    document.cookie = `seglet_c=${encodeURIComponent('referrer=g.example&utm_source=news')}; Path=/`;
    vi.spyOn(document, 'referrer', 'get').mockReturnValue('https://bing.example/search');
    history.replaceState(null, '', '/p');
    expect(sessionLanding(window)).toMatchObject({ referrer: 'bing.example', utm_source: null });
    sessionStorage.clear();
    const shared = sessionLanding(window, true);
    expect(shared).toEqual({ referrer: 'g.example', utm_source: 'news', utm_medium: null, utm_campaign: null });
    // Kept for the tab, as its own landing would be.
    expect(JSON.parse(sessionStorage.getItem(LANDING_KEY) ?? '{}')).toEqual({ ...shared, t: expect.any(Number) });
    // A page with utm_* still starts a landing of its own.
    sessionStorage.clear();
    history.replaceState(null, '', '/p?utm_source=ads');
    expect(sessionLanding(window, true)).toMatchObject({ referrer: 'bing.example', utm_source: 'ads' });
    document.cookie = 'seglet_c=; Max-Age=0; Path=/';
  });

  it('with shared, seglet_c wins over the tab\'s own landing, as the edge prefers it', () => {
    // Tab A landed from campaign "a"; tab B then landed from "b" and rewrote seglet_c. A's next
    // page was painted "b" by the edge, then "a" at ready, and A wrote "a" back (found by the
    // context audit).
    sessionStorage.setItem(LANDING_KEY, JSON.stringify({ referrer: null, utm_source: 'a', utm_medium: null, utm_campaign: null }));
    document.cookie = 'seglet_c=utm_source=b; Path=/';
    history.replaceState(null, '', '/next');
    const edge = readLanding(new URL(location.href), document.cookie, `${location.origin}/prev`);
    expect(edge.utm_source).toBe('b');
    expect(browserContext(window, { shared: true })).toMatchObject(edge);
    expect(JSON.parse(sessionStorage.getItem(LANDING_KEY) ?? '{}')).toMatchObject({ utm_source: 'b' });
    // Without cookie: true, or with a cookie that holds nothing, the tab's own.
    expect(sessionLanding(window, false).utm_source).toBe('b');
    sessionStorage.setItem(LANDING_KEY, JSON.stringify({ referrer: null, utm_source: 'a', utm_medium: null, utm_campaign: null }));
    expect(sessionLanding(window, false).utm_source).toBe('a');
    document.cookie = 'seglet_c=junk; Path=/';
    expect(sessionLanding(window, true).utm_source).toBe('a');
    document.cookie = 'seglet_c=; Max-Age=0; Path=/';
  });

  it('a page loaded a session timeout or more after the tab\'s last event starts a new landing, as the engine a new session', () => {
    // The tab kept the landing of its first visit for its whole life: back two hours later from
    // another site, without utm_*, it still said google (found by the context audit).
    const t0 = Date.UTC(2026, 0, 10, 10);
    const THIRTY_MIN = 30 * 60_000;
    const referrer = vi.spyOn(document, 'referrer', 'get').mockReturnValue('https://www.google.com/');
    history.replaceState(null, '', '/landing?utm_source=ads');
    expect(sessionLanding(window, false, THIRTY_MIN, t0)).toMatchObject({ referrer: 'www.google.com', utm_source: 'ads' });
    // Events until t0 + 10 min, noted when the page goes; the next page comes 29 min 59 s later.
    touchLanding(window, t0 + 10 * 60_000);
    touchLanding(window, t0 + 60_000);
    referrer.mockReturnValue('https://www.bing.com/');
    history.replaceState(null, '', '/again');
    expect(sessionLanding(window, false, THIRTY_MIN, t0 + 10 * 60_000 + THIRTY_MIN - 1000)).toMatchObject({ referrer: 'www.google.com', utm_source: 'ads' });
    // That page's own load counts as activity: exactly a timeout after it, a new session and landing.
    const again = t0 + 10 * 60_000 + THIRTY_MIN - 1000;
    expect(sessionLanding(window, false, THIRTY_MIN, again + THIRTY_MIN)).toEqual({ referrer: 'www.bing.com', utm_source: null, utm_medium: null, utm_campaign: null });
    // With shared, seglet_c is there only while some tab's activity keeps the session going (it
    // ends a timeout after that): this tab was idle, another was not, so the session and its
    // landing go on, as the edge reads them from the cookie.
    document.cookie = 'seglet_c=utm_source=other-tab; Path=/';
    expect(sessionLanding(window, true, THIRTY_MIN, again + 2 * THIRTY_MIN).utm_source).toBe('other-tab');
    document.cookie = 'seglet_c=; Max-Age=0; Path=/';
    expect(sessionLanding(window, true, THIRTY_MIN, again + 4 * THIRTY_MIN).utm_source).toBeNull();
    // A landing kept by an older version (no time) is still the session's, and takes the next time noted.
    sessionStorage.setItem(LANDING_KEY, JSON.stringify({ referrer: 'old.example', utm_source: null, utm_medium: null, utm_campaign: null }));
    expect(sessionLanding(window, false, THIRTY_MIN, t0).referrer).toBe('old.example');
    touchLanding(window, t0);
    expect(JSON.parse(sessionStorage.getItem(LANDING_KEY) ?? '{}').t).toBe(t0);
  });

  it('createSegments notes its last event beside the landing when it goes, and the rules\' session timeout applies', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 10, 10), toFake: ['Date'] });
    try {
      const referrer = vi.spyOn(document, 'referrer', 'get').mockReturnValue('https://www.google.com/');
      history.replaceState(null, '', '/landing');
      const rules = { version: 1 as const, session: { timeout: '10m' }, segments: { bing: { when: { context: 'referrer', eq: 'www.bing.com' } } } };
      let s = createSegments({ rules, storage: 'memory', collect: false, dom: false }, {});
      await s.ready;
      s.track('page_view', { path: '/landing' });
      s.destroy();
      // 9 minutes later: the same session, the landing's referrer stays.
      vi.setSystemTime(Date.UTC(2026, 0, 10, 10, 9));
      referrer.mockReturnValue('https://www.bing.com/');
      history.replaceState(null, '', '/again');
      s = createSegments({ rules, storage: 'memory', collect: false, dom: false }, {});
      await s.ready;
      expect(s.has('bing')).toBe(false);
      s.track('page_view', { path: '/again' });
      s.destroy();
      // 10 minutes after that page's last event: a new session, landing from bing.
      vi.setSystemTime(Date.UTC(2026, 0, 10, 10, 19));
      s = createSegments({ rules, storage: 'memory', collect: false, dom: false }, {});
      await s.ready;
      expect(s.has('bing')).toBe(true);
      s.destroy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('rules fetched from a URL are not known when the landing is read: the session timeout an earlier page of the tab knew applies', async () => {
    // The default 30 minutes applied: with a 10-minute session, a page 15 minutes after the last
    // event kept the old landing while the engine started a new session.
    const t0 = Date.UTC(2026, 0, 10, 10);
    vi.useFakeTimers({ now: t0, toFake: ['Date'] });
    const referrer = vi.spyOn(document, 'referrer', 'get').mockReturnValue('https://www.google.com/');
    try {
      history.replaceState(null, '', '/landing');
      const rules = { version: 1 as const, session: { timeout: '10m' }, segments: { bing: { when: { context: 'referrer', eq: 'www.bing.com' } } } };
      let s = createSegments({ rules, storage: 'memory', collect: false, dom: false }, {});
      await s.ready;
      vi.setSystemTime(t0 + 60_000);
      s.track('page_view', { path: '/landing' });
      s.destroy();
      expect(JSON.parse(sessionStorage.getItem(LANDING_KEY) ?? '{}')).toMatchObject({ referrer: 'www.google.com', t: t0 + 60_000, timeout: 600_000 });
      // 15 minutes later, rules from a URL that has not answered yet.
      vi.setSystemTime(t0 + 16 * 60_000);
      referrer.mockReturnValue('https://www.bing.com/');
      history.replaceState(null, '', '/again');
      vi.spyOn(window, 'fetch').mockImplementation(() => new Promise(() => undefined));
      s = createSegments({ rules: '/rules.json', storage: 'memory', collect: false, dom: false }, {});
      expect(JSON.parse(sessionStorage.getItem(LANDING_KEY) ?? '{}')).toMatchObject({ referrer: 'www.bing.com', t: t0 + 16 * 60_000, timeout: 600_000 });
      s.destroy();
      // Without a kept timeout (a landing an earlier version kept), the default 30 minutes.
      sessionStorage.setItem(LANDING_KEY, JSON.stringify({ referrer: 'old.example', utm_source: null, utm_medium: null, utm_campaign: null, t: t0 }));
      expect(sessionLanding(window, false, undefined, t0 + 29 * 60_000).referrer).toBe('old.example');
      expect(sessionLanding(window, false, undefined, t0 + 60 * 60_000).referrer).toBe('www.bing.com');
    } finally {
      vi.useRealTimers();
    }
  });

  it("with cookie: true, seglet_c lasts the session's time left, kept alive while the page tracks, so the edge drops it when the session ends", async () => {
    // A session cookie outlived the session: hours later the edge painted the old campaign while
    // the browser, seeing the session over, took the new page's landing (found by the last stop's read).
    const t0 = Date.UTC(2026, 0, 10, 10);
    vi.useFakeTimers({ now: t0, toFake: ['Date'] });
    const writes: string[] = [];
    let proto = Object.getPrototypeOf(document) as object;
    while (!Object.getOwnPropertyDescriptor(proto, 'cookie')?.set) proto = Object.getPrototypeOf(proto) as object;
    const own = Object.getOwnPropertyDescriptor(proto, 'cookie')!;
    Object.defineProperty(document, 'cookie', { configurable: true, get: () => own.get!.call(document) as string, set: (v: string) => { writes.push(v); own.set!.call(document, v); } });
    const maxAges = (): number[] => writes.filter((w) => w.startsWith('seglet_c=')).map((w) => Number(/Max-Age=(\d+)/.exec(w)?.[1]));
    try {
      history.replaceState(null, '', '/landing?utm_source=news');
      const rules = { version: 1 as const, session: { timeout: '10m' }, segments: { news: { when: { context: 'utm_source', eq: 'news' } } } };
      const s = createSegments({ rules, storage: 'memory', collect: false, dom: false, cookie: true }, {});
      await s.ready;
      expect(maxAges()).toEqual([600]);
      // Tracking for 3 minutes: noted about once a minute, each time a full timeout ahead.
      for (let m = 1; m <= 3; m++) {
        vi.setSystemTime(t0 + m * 60_000);
        s.track('click');
      }
      expect(maxAges()).toEqual([600, 600, 600, 600]);
      // An event 30 s later is noted when the page goes, 3.5 minutes after it: what is left of the session.
      vi.setSystemTime(t0 + 3.5 * 60_000);
      s.track('click');
      vi.setSystemTime(t0 + 7 * 60_000);
      s.destroy();
      expect(maxAges()).toEqual([600, 600, 600, 600, 390]);
      const landing = JSON.parse(sessionStorage.getItem(LANDING_KEY) ?? '{}') as { t: number; utm_source: string };
      expect(landing).toMatchObject({ utm_source: 'news', t: t0 + 3.5 * 60_000 });
      // Another tab wrote the session's landing since: extending the cookie keeps that one.
      document.cookie = `seglet_c=utm_source=other&t=${t0 + 7 * 60_000}; Path=/; Max-Age=100`;
      const news = { referrer: null, utm_source: 'news', utm_medium: null, utm_campaign: null };
      keepLanding(window, news, t0 + 8 * 60_000, 600_000, true, t0 + 8 * 60_000);
      expect(writes.at(-1)).toBe(`seglet_c=utm_source=other&t=${t0 + 8 * 60_000}; Path=/; SameSite=Lax; Max-Age=600`);
      // After forget(), the page's activity does not write back the landing it erased.
      document.cookie = 'seglet_c=; Max-Age=0; Path=/';
      const f = createSegments({ rules, storage: 'memory', collect: false, dom: false, cookie: true }, {});
      await f.ready;
      await f.forget();
      const before = writes.length;
      vi.setSystemTime(t0 + 10 * 60_000);
      f.track('click');
      f.destroy();
      expect(writes.slice(before).filter((w) => w.startsWith('seglet_c=') && !w.includes('Max-Age=0'))).toEqual([]);
      expect(sessionStorage.getItem(LANDING_KEY)).toBeNull();
      // Never cut short by a tab whose own activity came earlier: the cookie's later time stands.
      document.cookie = `seglet_c=utm_source=other&t=${t0 + 8 * 60_000}; Path=/; Max-Age=600`;
      keepLanding(window, news, t0, 600_000, true, t0 + 9 * 60_000);
      expect(writes.at(-1)).toBe(`seglet_c=utm_source=other&t=${t0 + 8 * 60_000}; Path=/; SameSite=Lax; Max-Age=540`);
    } finally {
      Reflect.deleteProperty(document, 'cookie');
      document.cookie = 'seglet_c=; Max-Age=0; Path=/';
      document.cookie = 'seglet_m=; Max-Age=0; Path=/';
      vi.useRealTimers();
    }
  });

  it('survives blocked sessionStorage', () => {
    vi.spyOn(window, 'sessionStorage', 'get').mockImplementation(() => { throw new DOMException('blocked', 'SecurityError'); });
    history.replaceState(null, '', '/x?utm_medium=cpc');
    expect(() => browserContext(window)).not.toThrow();
    expect(browserContext(window).utm_medium).toBe('cpc');
  });

  it('fills device, language, path (no query or hash) and the landing keys', () => {
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(UA.androidTablet);
    vi.spyOn(navigator, 'language', 'get').mockReturnValue('de-AT');
    history.replaceState(null, '', '/cart?utm_source=ads#x');
    expect(browserContext(window)).toEqual({
      device: 'tablet', language: 'de-AT', path: '/cart', referrer: null, utm_source: 'ads', utm_medium: null, utm_campaign: null,
    });
  });

  it('prefers navigator.userAgentData.mobile when present', () => {
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(UA.windows);
    Object.defineProperty(navigator, 'userAgentData', { configurable: true, value: { mobile: true } });
    try {
      expect(browserContext(window).device).toBe('mobile');
    } finally {
      Reflect.deleteProperty(navigator, 'userAgentData');
    }
  });

  it('with session: false touches no sessionStorage', () => {
    const set = vi.spyOn(Storage.prototype, 'setItem');
    const get = vi.spyOn(Storage.prototype, 'getItem');
    history.replaceState(null, '', '/x?utm_source=a');
    expect(browserContext(window, { session: false }).utm_source).toBe('a');
    expect(set).not.toHaveBeenCalled();
    expect(get).not.toHaveBeenCalled();
  });
});
