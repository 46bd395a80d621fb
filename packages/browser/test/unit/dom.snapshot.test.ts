import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  clearCookies, cookieMaxAge, CONTEXT_COOKIE, keepContextCookie, MEMBERS_COOKIE, readContextCookie, readMembersCookie, writeContextCookie, writeMembersCookie,
} from '../../src/dom/cookie.js';
import { canonicalJson, rulesHash } from '../../src/dom/rulesHash.js';
import { readLanding } from '../../../edge/src/readLanding.js';
import { clearSnapshot, readSnapshot, SNAPSHOT_KEY, startupMembers, writeSnapshot } from '../../src/dom/snapshot.js';

const rules: { version: number; retain?: { for?: string }; segments: Record<string, unknown> } = { version: 1, segments: { vip: { when: { count: 'purchase', gte: 3 } }, 'high-intent': { when: { count: 'page_view', gte: 5 }, hold: '30m' } } };
const NOW = 1_700_000_000_000;

describe('rulesHash', () => {
  it('is stable across key order and changes with content', () => {
    const reordered = { segments: { 'high-intent': { hold: '30m', when: { gte: 5, count: 'page_view' } }, vip: { when: { gte: 3, count: 'purchase' } } }, version: 1 };
    expect(rulesHash(reordered)).toBe(rulesHash(rules));
    expect(rulesHash(rules)).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
    expect(rulesHash({ ...rules, retain: { for: '30d' } })).not.toBe(rulesHash(rules));
    expect(rulesHash([1, 2])).not.toBe(rulesHash([2, 1]));
    expect(canonicalJson({ b: [1, undefined, 'x'], a: undefined, c: null })).toBe('{"b":[1,null,"x"],"c":null}');
  });

  it('gives the text the earlier map/filter/join version gave, so stored snapshots stay valid', () => {
    const earlier = (value: unknown): string => {
      if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : earlier(item))).join(',')}]`;
      if (typeof value === 'object' && value !== null) {
        const bag = value as Record<string, unknown>;
        const parts = Object.keys(bag).sort()
          .filter((key) => bag[key] !== undefined && typeof bag[key] !== 'function')
          .map((key) => `${JSON.stringify(key)}:${earlier(bag[key])}`);
        return `{${parts.join(',')}}`;
      }
      return JSON.stringify(value) ?? 'null';
    };
    const odd = fc.constantFrom(undefined, () => 1, '', '"\\\u2028', '😀', -0, 1e21);
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), odd, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 4 }), tie('node'), { maxKeys: 5 })),
    })).node;
    fc.assert(fc.property(value, (v) => { expect(canonicalJson(v)).toBe(earlier(v)); }), { numRuns: 1000 });
  });
});

describe('snapshot', () => {
  const hash = rulesHash(rules);
  beforeEach(() => localStorage.clear());
  afterEach(() => vi.restoreAllMocks());

  it('round-trips {v:1, rules, members, until, t} under seglet:m', () => {
    expect(writeSnapshot(window, { rules: hash, members: ['vip', 'high-intent'], until: NOW + 60_000, t: NOW })).toBe(true);
    expect(JSON.parse(localStorage.getItem(SNAPSHOT_KEY)!)).toEqual({ v: 1, rules: hash, members: ['vip', 'high-intent'], until: NOW + 60_000, t: NOW });
    expect(readSnapshot(window, hash, NOW)).toEqual({ v: 1, rules: hash, members: ['vip', 'high-intent'], until: NOW + 60_000, t: NOW });
    writeSnapshot(window, { rules: hash, members: ['vip'], until: null, t: NOW });
    expect(readSnapshot(window, hash, NOW + 365 * 86_400_000)?.members).toEqual(['vip']);
  });

  it('is ignored when the rules hash differs, until has passed, or it is malformed', () => {
    writeSnapshot(window, { rules: hash, members: ['vip'], until: NOW + 1000, t: NOW });
    expect(readSnapshot(window, 'other', NOW)).toBeNull();
    expect(readSnapshot(window, null, NOW)?.rules).toBe(hash);
    expect(readSnapshot(window, hash, NOW + 999)).not.toBeNull();
    expect(readSnapshot(window, hash, NOW + 1000)).toBeNull();
    for (const junk of ['{', 'null', '[]', '{"v":2}', JSON.stringify({ v: 1, rules: hash, members: 'vip', until: null, t: 1 }), JSON.stringify({ v: 1, rules: hash, members: [], until: 'x', t: 1 })]) {
      localStorage.setItem(SNAPSHOT_KEY, junk);
      expect(readSnapshot(window, hash, NOW)).toBeNull();
    }
    localStorage.setItem(SNAPSHOT_KEY, JSON.stringify({ v: 1, rules: hash, members: ['vip', 7, '<img src=x>', 'Bad'], until: null, t: 1 }));
    expect(readSnapshot(window, hash, NOW)?.members).toEqual(['vip']);
    clearSnapshot(window);
    expect(localStorage.getItem(SNAPSHOT_KEY)).toBeNull();
  });

  it('never throws when storage is blocked or full', () => {
    vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => { throw new DOMException('denied', 'SecurityError'); });
    expect(readSnapshot(window, hash, NOW)).toBeNull();
    expect(writeSnapshot(window, { rules: hash, members: [], until: null, t: NOW })).toBe(false);
    expect(() => clearSnapshot(window)).not.toThrow();
    vi.restoreAllMocks();
    const full = { setItem: () => { throw new DOMException('full', 'QuotaExceededError'); } } as unknown as Storage;
    vi.spyOn(window, 'localStorage', 'get').mockReturnValue(full);
    expect(writeSnapshot(window, { rules: hash, members: [], until: null, t: NOW })).toBe(false);
  });
});

describe('cookies', () => {
  const cookies: string[] = [];
  beforeEach(() => {
    clearCookies(document);
    localStorage.clear();
    cookies.length = 0;
  });
  afterEach(() => {
    clearCookies(document);
    vi.restoreAllMocks();
  });
  /** A document that records each cookie string written, then hands it to happy-dom's jar. */
  const recording = {
    get cookie() { return document.cookie; },
    set cookie(value: string) { cookies.push(value); document.cookie = value; },
    location: document.location,
  } as unknown as Document;

  it('seglet_m: comma list, Path=/, SameSite=Lax, Max-Age from retain.for; round trip; empty deletes', () => {
    writeMembersCookie(recording, ['vip', 'high-intent'], cookieMaxAge(rules));
    expect(cookies[0]).toBe('seglet_m=vip,high-intent; Path=/; SameSite=Lax; Max-Age=7776000');
    expect(readMembersCookie(document)).toEqual(['vip', 'high-intent']);
    expect(cookieMaxAge({ retain: { for: '30d' } })).toBe(2_592_000);
    expect(cookieMaxAge({ retain: { for: 'junk' } })).toBe(7_776_000);
    writeMembersCookie(recording, [], 100);
    expect(cookies[1]).toContain('Max-Age=0');
    expect(readMembersCookie(document)).toBeNull();
  });

  it('writes only valid ids within 4,096 characters, so nothing can inject cookie attributes', () => {
    const many = Array.from({ length: 400 }, (_, i) => `segment-number-${i}`);
    writeMembersCookie(recording, ['vip; Domain=evil.test', 'ok', ...many], 60);
    const value = cookies[0]!.split(';')[0]!.slice(`${MEMBERS_COOKIE}=`.length);
    expect(value.length).toBeLessThanOrEqual(4096);
    expect(value.startsWith('ok,segment-number-0,')).toBe(true);
    expect(cookies[0]).not.toContain('evil');
  });

  it('reads like the edge: first cookie, quotes stripped, percent-decoded, trimmed, invalid ids dropped', () => {
    document.cookie = 'seglet_m="vip%2C%20high-intent,%3Cimg%3E,,Bad"; Path=/';
    document.cookie = 'other=1; Path=/';
    expect(readMembersCookie(document)).toEqual(['vip', 'high-intent']);
    document.cookie = 'seglet_m=%E0%A4%A; Path=/';
    expect(readMembersCookie(document)).toEqual([]);
  });

  it("seglet_c carries the landing utm_* and referrer as a query string encoded once, with the session's last activity, for the session's time left", () => {
    const T = 1_767_261_600_000;
    writeContextCookie(recording, { utm_source: 'news letter', utm_medium: null, utm_campaign: 'a&b=c%', referrer: 'search.example' }, T, 1_800_000, T);
    expect(cookies[0]).toBe(`${CONTEXT_COOKIE}=utm_source=news+letter&utm_campaign=a%26b%3Dc%25&referrer=search.example&t=${T}; Path=/; SameSite=Lax; Max-Age=1800`);
    const read = { utm_source: 'news letter', utm_medium: null, utm_campaign: 'a&b=c%', referrer: 'search.example' };
    expect(readContextCookie(document)).toEqual({ ...read, t: T });
    expect(readLanding(new URL('https://shop.test/'), document.cookie, null)).toEqual(read);
    clearCookies(document);
    expect(readContextCookie(document)).toBeNull();
    // Part of a second left is a second (0 would delete it at once); a session already over deletes it.
    expect(writeContextCookie(recording, { utm_source: 'news' }, T, 1_800_000, T + 1_799_800)).toBe(true);
    expect(cookies[1]).toMatch(/; Max-Age=1$/);
    expect(writeContextCookie(recording, { utm_source: 'news' }, T, 1_800_000, T + 1_800_000)).toBe(true);
    expect(cookies[2]).toBe(`${CONTEXT_COOKIE}=; Path=/; SameSite=Lax; Max-Age=0`);
    expect(readContextCookie(document)).toBeNull();
  });

  it('writes seglet_c where URLSearchParams has no size (Safari before 17)', () => {
    vi.spyOn(URLSearchParams.prototype, 'size', 'get').mockReturnValue(undefined as unknown as number);
    expect(writeContextCookie(document, { utm_source: 'news' }, 0, 1_800_000, 0)).toBe(true);
    expect(readContextCookie(document)).toMatchObject({ utm_source: 'news', t: 0 });
  });

  it('extends seglet_c from the later of its own time and the activity given, keeping the landing it holds', () => {
    const T = 1_767_261_600_000;
    writeContextCookie(recording, { utm_source: 'b' }, T + 60_000, 1_800_000, T + 60_000);
    // A tab whose last activity came before the cookie's keeps the later end, and the cookie's landing.
    keepContextCookie(recording, { utm_source: 'a' }, T, 1_800_000, T + 120_000);
    expect(cookies[1]).toBe(`${CONTEXT_COOKIE}=utm_source=b&t=${T + 60_000}; Path=/; SameSite=Lax; Max-Age=1740`);
    keepContextCookie(recording, { utm_source: 'a' }, T + 180_000, 1_800_000, T + 180_000);
    expect(cookies[2]).toBe(`${CONTEXT_COOKIE}=utm_source=b&t=${T + 180_000}; Path=/; SameSite=Lax; Max-Age=1800`);
    // None there: the tab's own landing.
    clearCookies(document);
    keepContextCookie(recording, { utm_source: 'a' }, T, 1_800_000, T + 1000);
    expect(cookies[3]).toBe(`${CONTEXT_COOKIE}=utm_source=a&t=${T}; Path=/; SameSite=Lax; Max-Age=1799`);
    // A cookie of an earlier version (no time) takes the activity given.
    document.cookie = `${CONTEXT_COOKIE}=utm_source=old; Path=/`;
    keepContextCookie(recording, { utm_source: 'a' }, T, 1_800_000, T);
    expect(cookies[4]).toBe(`${CONTEXT_COOKIE}=utm_source=old&t=${T}; Path=/; SameSite=Lax; Max-Age=1800`);
  });

  it('reads a seglet_c written encoded twice by an earlier version, as the edge does', () => {
    document.cookie = `${CONTEXT_COOKIE}=${encodeURIComponent('utm_source=news+letter&utm_campaign=a%26b')}; Path=/`;
    const read = { utm_source: 'news letter', utm_medium: null, utm_campaign: 'a&b', referrer: null };
    expect(readContextCookie(document)).toEqual(read);
    expect(readLanding(new URL('https://shop.test/'), document.cookie, null)).toEqual(read);
  });

  it('keeps seglet_c within 4,096 bytes by shortening the longest values, read alike by the edge', () => {
    // Encoded twice, a 300-character Japanese campaign (5,400 characters) was refused by the
    // browser, which kept the previous campaign in seglet_c (found by the context audit).
    const long = '\u590f'.repeat(512);
    writeContextCookie(recording, { utm_source: 'news', utm_campaign: '\u590f'.repeat(300) }, 0, 1_800_000, 0);
    expect(cookies[0]!.length).toBeLessThan(3000);
    expect(readContextCookie(document)?.utm_campaign).toBe('\u590f'.repeat(300));
    writeContextCookie(recording, { utm_source: long, utm_medium: '\u{1f600}'.repeat(256), utm_campaign: long, referrer: 'search.example' }, 0, 1_800_000, 0);
    const value = cookies[1]!.split(';')[0]!;
    expect(value.length).toBeLessThanOrEqual(4096);
    expect(value.length).toBeGreaterThan(3500);
    const read = readContextCookie(document)!;
    expect(read.referrer).toBe('search.example');
    expect(long.startsWith(read.utm_campaign!)).toBe(true);
    expect(read.utm_medium).toMatch(/^(\u{1f600})+$/u);
    expect(read.t).toBe(0);
    const { t: _t, ...facts } = read;
    expect(readLanding(new URL('https://shop.test/'), document.cookie, null)).toEqual(facts);
  });

  it('deletes seglet_c when the browser refuses the new one, rather than keep the landing before', () => {
    writeContextCookie(document, { utm_source: 'old' }, 0, 1_800_000, 0);
    const refusing = {
      get cookie() { return document.cookie; },
      set cookie(value: string) { if (value.split(';')[0]!.length <= 30) document.cookie = value; },
      location: document.location,
    } as unknown as Document;
    expect(writeContextCookie(refusing, { utm_source: 'new', utm_campaign: 'a-campaign-too-long-for-it' }, 0, 1_800_000, 0)).toBe(false);
    expect(readContextCookie(document)).toBeNull();
  });

  it('the cookie stands in for the snapshot when localStorage has no usable one', () => {
    const hash = rulesHash(rules);
    writeMembersCookie(document, ['vip', 'gone'], 60);
    expect([...startupMembers(window, hash, { now: NOW })]).toEqual(['vip', 'gone']);
    expect([...startupMembers(window, hash, { now: NOW, known: (id) => id === 'vip' })]).toEqual(['vip']);
    writeSnapshot(window, { rules: hash, members: ['high-intent'], until: null, t: NOW });
    expect([...startupMembers(window, hash, { now: NOW })]).toEqual(['high-intent']);
    writeSnapshot(window, { rules: 'old', members: ['high-intent'], until: null, t: NOW });
    expect([...startupMembers(window, hash, { now: NOW })]).toEqual(['vip', 'gone']);
    clearCookies(document);
    expect([...startupMembers(window, hash, { now: NOW })]).toEqual([]);
  });

  it('never throws when cookies are blocked', () => {
    vi.spyOn(document, 'cookie', 'get').mockImplementation(() => { throw new DOMException('denied', 'SecurityError'); });
    vi.spyOn(document, 'cookie', 'set').mockImplementation(() => { throw new DOMException('denied', 'SecurityError'); });
    expect(readMembersCookie(document)).toBeNull();
    expect(writeMembersCookie(document, ['vip'], 60)).toBe(false);
    expect(() => clearCookies(document)).not.toThrow();
  });
});
