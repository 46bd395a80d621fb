import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '@seglet/core';
import { startEdge, type EdgeFixture } from './harness/edgeFixture.js';
import { RULESETS } from './workers/rulesets.js';

let edge: EdgeFixture;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge?.close());

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';
const DESKTOP = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36';
// 2026-01-05 is a Monday; 10:30 UTC.
const MONDAY_1030_UTC = String(Date.UTC(2026, 0, 5, 10, 30));

interface Decision { valid: boolean; members: string[]; edgeEvaluated: string[]; context: Record<string, unknown>; timeZone: string }

async function decideFor(url: string, headers: Record<string, string> = {}, cf: Record<string, unknown> = { country: 'US', timezone: 'UTC' }): Promise<Decision> {
  const res = await edge.get(url, { headers: { 'x-test-decide': '1', 'x-test-now': MONDAY_1030_UTC, 'user-agent': DESKTOP, ...headers }, cf });
  expect(res.status).toBe(200);
  return JSON.parse(res.text) as Decision;
}

describe('memberships in workerd (decide)', () => {
  it('classifies edge-evaluated segments: every leaf context, or a reference to such a segment', async () => {
    const d = await decideFor('https://shop.test/');
    expect(d.valid).toBe(true);
    expect(d.edgeEvaluated).toEqual(['mobile', 'german', 'newsletter', 'from-search', 'sale-page', 'english', 'spring', 'spring-fan', 'not-mobile', 'morning', 'monday', 'vip']);
  });

  it('reads the context from the request', async () => {
    const d = await decideFor('https://shop.test/sale/shoes?utm_source=news%20letter&utm_source=second&utm_medium=email&utm_campaign=', {
      'user-agent': IPHONE,
      referer: 'https://www.google.com/search?q=shoes',
      'accept-language': 'en-GB, en;q=0.9, de;q=0.5',
    }, { country: 'DE', timezone: 'Europe/Berlin' });
    expect(d.context).toEqual({
      path: '/sale/shoes', device: 'mobile', language: 'en-GB', country: 'DE', referrer: 'www.google.com',
      utm_source: 'news letter', utm_medium: 'email', utm_campaign: null,
    });
    expect(d.timeZone).toBe('Europe/Berlin');
    expect(d.members).toEqual(['mobile', 'german', 'newsletter', 'from-search', 'sale-page', 'english', 'morning', 'monday']);
  });

  it('treats the same host as no referrer, and Sec-CH-UA-Mobile: ?1 as mobile', async () => {
    const d = await decideFor('https://shop.test/a', { referer: 'https://shop.test/b', 'sec-ch-ua-mobile': '?1' });
    expect(d.context).toMatchObject({ referrer: null, device: 'mobile', language: null, country: 'US' });
    expect(d.timeZone).toBe('UTC');
  });

  it('lets the request win over the cookie for edge segments without hold', async () => {
    const d = await decideFor('https://shop.test/', { cookie: 'seglet_m=mobile,german,high-intent' });
    expect(d.members).toEqual(['not-mobile', 'morning', 'monday', 'high-intent']);
  });

  it('takes every other segment only from the cookie, even when its context part holds', async () => {
    const phone = await decideFor('https://shop.test/', { 'user-agent': IPHONE });
    expect(phone.members).not.toContain('mobile-clicker');
    const listed = await decideFor('https://shop.test/', { cookie: 'seglet_m=mobile-clicker,returning' });
    expect(listed.members).toEqual(expect.arrayContaining(['mobile-clicker', 'returning']));
  });

  it('with hold: member when true now or listed in the cookie, and segments referring to it follow', async () => {
    expect((await decideFor('https://shop.test/?utm_campaign=spring')).members).toEqual(expect.arrayContaining(['spring', 'spring-fan']));
    expect((await decideFor('https://shop.test/', { cookie: 'seglet_m=spring' })).members).toEqual(expect.arrayContaining(['spring', 'spring-fan']));
    const none = await decideFor('https://shop.test/', { cookie: 'seglet_m=spring-fan' });
    expect(none.members).not.toContain('spring');
    expect(none.members).not.toContain('spring-fan');
  });

  it('prefers the seglet_c landing cookie for utm_* and referrer on a URL without utm_*', async () => {
    const landing = new URLSearchParams({ utm_source: 'news letter', utm_campaign: 'spring', referrer: 'www.google.com' }).toString();
    const d = await decideFor('https://shop.test/?ref=other&utm_source=', {
      cookie: `a=b; seglet_c=${encodeURIComponent(landing)}`, referer: 'https://elsewhere.example/',
    });
    expect(d.context).toMatchObject({ utm_source: 'news letter', utm_campaign: 'spring', utm_medium: null, referrer: 'www.google.com' });
    expect(d.members).toEqual(expect.arrayContaining(['newsletter', 'spring', 'from-search']));
  });

  it('reads seglet_c encoded once, as the browser writes it, a value with & and % included', async () => {
    // The browser encoded it twice: a long non-ASCII campaign passed the browser's 4,096 bytes.
    const landing = new URLSearchParams({ utm_source: 'news letter', utm_campaign: 'a&b=c%', referrer: 'www.google.com' }).toString();
    const d = await decideFor('https://shop.test/', { cookie: `a=b; seglet_c=${landing}` });
    expect(d.context).toMatchObject({ utm_source: 'news letter', utm_campaign: 'a&b=c%', utm_medium: null, referrer: 'www.google.com' });
  });

  it('computes hour and weekday in the time zone: option, then request.cf.timezone, else UTC', async () => {
    expect((await decideFor('https://shop.test/', {}, { timezone: 'Asia/Tokyo' })).members).not.toContain('morning');
    expect((await decideFor('https://shop.test/', { 'x-test-timezone': 'America/New_York' }, { timezone: 'Asia/Tokyo' })).members).toEqual(expect.arrayContaining(['morning', 'monday']));
    const sunday = await decideFor('https://shop.test/', { 'x-test-timezone': 'Pacific/Pago_Pago', 'x-test-now': String(Date.UTC(2026, 0, 5, 5)) });
    expect(sunday.members).not.toContain('monday');
  });

  it('falls back to UTC for an invalid zone and reports it once', async () => {
    await edge.reported();
    for (let i = 0; i < 3; i++) {
      const d = await decideFor('https://shop.test/', { 'x-test-timezone': 'Mars/Olympus' });
      expect(d.timeZone).toBe('UTC');
      expect(d.members).toContain('morning');
    }
    const { reported } = await edge.reported();
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ code: 'invalid_option', path: '/timeZone' });
  });

  it('adds the extra keys of context(request), dropping bad ones with one report', async () => {
    await edge.reported();
    const d = await decideFor('https://shop.test/', { 'x-test-context': JSON.stringify({ plan: 'vip', 'bad key': 1, nested: { a: 1 } }) });
    expect(d.members).toContain('vip');
    expect(d.context.plan).toBe('vip');
    const { reported } = await edge.reported();
    expect(reported.map((r) => r.code)).toEqual(['invalid_value', 'invalid_value']);
  });

  it('parses seglet_m: first cookie, quotes, percent-decoding, trimming, unknown and invalid ids ignored', async () => {
    const members = async (cookie: string) => (await decideFor('https://shop.test/', { cookie })).members.filter((id) => ['high-intent', 'returning', 'mobile-clicker'].includes(id));
    expect(await members('seglet_m="high-intent, returning"')).toEqual(['high-intent', 'returning']);
    expect(await members('seglet_m=high-intent%2Creturning')).toEqual(['high-intent', 'returning']);
    expect(await members('x=1; seglet_m=returning; seglet_m=high-intent')).toEqual(['returning']);
    expect(await members('seglet_m=admin,Bad Id,__proto__,constructor,,returning')).toEqual(['returning']);
    expect(await members('seglet_m=returning,%E0%A4%A')).toEqual(['returning']);
    expect(await members('seglet_m=')).toEqual([]);
    expect(await members('seglet_mm=returning; xseglet_m=high-intent')).toEqual([]);
  });

  it('parses hostile seglet_m values: an encoded quote, a cookie without "=", a name with spaces and a lone percent', async () => {
    const members = async (cookie: string) => (await decideFor('https://shop.test/', { cookie })).members.filter((id) => ['high-intent', 'returning'].includes(id));
    expect(await members('seglet_m=%22returning%22')).toEqual([]);
    expect(await members('flag; seglet_m=returning')).toEqual(['returning']);
    expect(await members(' seglet_m = returning ')).toEqual(['returning']);
    expect(await members('seglet_m=returning%')).toEqual([]);
    expect(await members('seglet_m=returning%2C%20high-intent')).toEqual(['high-intent', 'returning']);
  });

  it('reads at most 4,096 characters of the cookie', async () => {
    const filler = 'x'.repeat(4096 - 'returning,'.length - 1);
    const within = `returning,${filler},high-intent`;
    const d = await decideFor('https://shop.test/', { cookie: `seglet_m=${within}` });
    expect(d.members).toContain('returning');
    expect(d.members).not.toContain('high-intent');
    const exact = `${'y'.repeat(4096 - 'high-intent'.length - 1)},high-intent`;
    expect(exact.length).toBe(4096);
    expect((await decideFor('https://shop.test/', { cookie: `seglet_m=${exact}` })).members).toContain('high-intent');
  });
});

describe('rule evaluation at the edge agrees with the core engine', () => {
  const rules = RULESETS.main as Parameters<typeof createEngine>[0]['rules'];
  const UAS = ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148', 'Mozilla/5.0 (X11; Linux x86_64)', 'Mozilla/5.0 (Linux; Android 14; SM-X710)'];
  const ZONES = ['UTC', 'Europe/Berlin', 'Asia/Tokyo', 'America/New_York', 'Pacific/Kiritimati'];
  const PATHS = ['/', '/sale/shoes', '/saleroom', '/product/1'];

  it('for a sequence of requests with varying context, time (also backwards) and zone', async () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const base = Date.UTC(2026, 0, 5, 0, 0);
    const mismatches: string[] = [];
    for (let i = 0; i < 60; i++) {
      const now = base + rnd(7 * 24) * 3_600_000 + rnd(60) * 60_000 - (i % 5 === 4 ? 86_400_000 : 0);
      const zone = ZONES[rnd(ZONES.length)]!;
      const path = PATHS[rnd(PATHS.length)]!;
      const utm = ['', '?utm_campaign=spring', '?utm_source=news%20letter'][rnd(3)]!;
      const extra = rnd(2) === 0 ? { plan: 'vip' } : {};
      const headers: Record<string, string> = { 'x-test-decide': '1', 'x-test-now': String(now), 'x-test-timezone': zone, 'user-agent': UAS[rnd(UAS.length)]!, 'x-test-context': JSON.stringify(extra) };
      if (rnd(2) === 0) headers['accept-language'] = 'en-GB, de;q=0.5';
      const res = await edge.get(`https://shop.test${path}${utm}`, { headers, cf: { country: rnd(2) === 0 ? 'DE' : 'US' } });
      const d = JSON.parse(res.text) as { members: string[]; edgeEvaluated: string[]; context: Record<string, string | null> };
      const engine = createEngine({ rules, context: d.context, now: () => now, timeZone: zone, anonymousId: 'x' });
      const expected = engine.members().filter((id) => d.edgeEvaluated.includes(id));
      const got = d.members.filter((id) => d.edgeEvaluated.includes(id));
      if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push(`#${i} ${zone} ${new Date(now).toISOString()} ${JSON.stringify(d.context)}: edge ${got} core ${expected}`);
    }
    expect(mismatches).toEqual([]);
  });
});

// runtime.md section 7, Edge: "With `cookie: true` the browser also writes `seglet_c` (its session's
// landing `utm_*` and `referrer`), which the edge prefers when present." The browser starts a new
// landing for a URL with utm_*, so the edge does too: the cookie stands for the landing of the
// pages after it, not for a page that brings a new campaign.
describe('context at the edge agrees with the browser for the same page', () => {
  it('a landing URL with utm_* starts a new landing: its campaign wins over an older seglet_c', async () => {
    // The browser (context/landing.ts sessionLanding): "A page whose URL carries utm_* starts a new
    // landing (a new campaign)" and rewrites seglet_c from it; the edge reads the old cookie first.
    const landing = new URLSearchParams({ utm_campaign: 'winter', utm_source: 'old' }).toString();
    const res = await edge.get('https://shop.test/?utm_campaign=spring', { headers: { 'x-test-decide': '1', cookie: `seglet_c=${encodeURIComponent(landing)}` } });
    const d = JSON.parse(res.text) as { members: string[]; context: Record<string, unknown> };
    expect(d.context).toMatchObject({ utm_campaign: 'spring', utm_source: null });
    expect(d.members).toContain('spring');
  });
});
