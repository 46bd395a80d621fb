import { describe, expect, it, vi } from 'vitest';
import type { PropValue, SegletError } from '@seglet/core';
import { decide } from '../src/index.js';

// decide() is runtime-neutral: it runs here in Node with Node's own Request (no request.cf).
const rules = {
  version: 1,
  segments: {
    german: { when: { context: 'country', eq: 'DE' } },
    desktop: { when: { context: 'device', eq: 'desktop' } },
    plan: { when: { context: 'plan', eq: 'pro' } },
    evening: { when: { context: 'hour', gte: 18 } },
    buyer: { when: { count: 'purchase', gte: 1 } },
  },
};
const NOW = () => Date.UTC(2026, 0, 5, 19, 0);

describe('decide() outside workerd', () => {
  it('works without request.cf: country null, time zone UTC', () => {
    const d = decide(new Request('https://shop.test/p?utm_medium=cpc'), { rules, now: NOW });
    expect(d.context).toEqual({ path: '/p', device: 'desktop', language: null, country: null, referrer: null, utm_source: null, utm_medium: 'cpc', utm_campaign: null });
    expect(d.timeZone).toBe('UTC');
    expect(d.members).toEqual(['desktop', 'evening']);
  });

  it('reports an invalid rule set once per rules object, even with a new options object per request', () => {
    const bad = { version: 2, segments: {} };
    const onError = vi.fn<(e: SegletError) => void>();
    for (let i = 0; i < 5; i++) expect(decide(new Request('https://shop.test/'), { rules: bad, onError })).toMatchObject({ valid: false, members: [] });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'invalid_rules', name: 'SegletError' });
    expect(onError.mock.calls[0]?.[0].issues?.[0]?.path).toBe('/version');
    const notAnObject = { rules: 'nope', onError: vi.fn() };
    decide(new Request('https://shop.test/'), notAnObject);
    decide(new Request('https://shop.test/'), notAnObject);
    expect(notAnObject.onError).toHaveBeenCalledTimes(1);
  });

  it('never throws: a throwing context(), a throwing onError, no onError (one console.warn)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const own = { ...rules };
    const d = decide(new Request('https://shop.test/'), { rules: own, context: () => { throw new Error('nope'); } });
    expect(d.members).toContain('desktop');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^seglet: context\(request\) threw/);
    warn.mockRestore();
    expect(() => decide(new Request('https://shop.test/'), { rules: { ...rules }, timeZone: 'Nope/Nope', onError: () => { throw new Error('host bug'); } })).not.toThrow();
  });

  it('never throws when reading what context() returned throws (a getter, a revoked proxy): its keys are left out', () => {
    const onError = vi.fn<(e: SegletError) => void>();
    const own = { ...rules };
    const getter = (): Record<string, PropValue> => ({ get plan(): PropValue { throw new Error('no plan header'); } });
    const revoked = (): Record<string, PropValue> => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    };
    for (const context of [getter, revoked]) {
      const d = decide(new Request('https://shop.test/'), { rules: own, context, onError });
      expect(d.members).toContain('desktop');
      expect(d.context).not.toHaveProperty('plan');
    }
    expect(onError.mock.calls.map(([e]) => e.code)).toEqual(['callback_failed']);
  });

  it('falls back to the request keys when the extra context breaks the engine limits (over 32 keys)', () => {
    const onError = vi.fn<(e: SegletError) => void>();
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    const d = decide(new Request('https://shop.test/'), { rules: { ...rules }, onError, context: () => ({ ...many, plan: 'pro' }) });
    expect(d.members).toContain('desktop');
    expect(d.members).not.toContain('plan');
    expect(onError.mock.calls.map((c) => c[0].code)).toEqual(['invalid_value']);
  });

  it('uses the host context keys and the option time zone', () => {
    const d = decide(new Request('https://shop.test/', { headers: { cookie: 'seglet_m=buyer,german' } }), { rules, now: NOW, timeZone: 'Asia/Tokyo', context: () => ({ plan: 'pro', country: 'DE' }) });
    expect(d.members).toEqual(['german', 'desktop', 'plan', 'buyer']);
  });

  it('a kept engine answers what a fresh one does: keys a later request lacks, other zones, a clock going back', () => {
    // Several segments over the same keys, references and not: every change of a key can flip one.
    const shared = {
      version: 1,
      segments: {
        ...rules.segments,
        'any-plan': { when: { context: 'plan', exists: true } },
        'pro-evening': { when: { all: [{ segment: 'plan' }, { segment: 'evening' }] } },
        'not-german': { when: { not: { segment: 'german' } } },
        weekend: { when: { context: 'weekday', in: [0, 6] } },
      },
    };
    const zones = ['UTC', 'Asia/Tokyo', 'America/New_York'];
    const extras: (Record<string, PropValue> | undefined)[] = [undefined, { plan: 'pro' }, { plan: 'free', country: 'DE' }, { country: 'DE' }, { plan: null }, {}];
    const agents = ['Mozilla/5.0 (X11; Linux x86_64)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148'];
    let t = Date.UTC(2026, 0, 3, 5, 0);
    for (let i = 0; i < 120; i++) {
      // Mostly forward by 1-7 hours, sometimes back by a day.
      t += i % 11 === 10 ? -86_400_000 : ((i % 7) + 1) * 3_600_000;
      const at = t;
      const extra = extras[(i * 5) % extras.length];
      const options = { now: () => at, timeZone: zones[i % zones.length], ...(extra === undefined ? {} : { context: () => extra }) };
      const request = new Request(`https://shop.test/p${i % 3}`, { headers: { 'user-agent': agents[i % 2] ?? '' } });
      const kept = decide(request, { rules: shared, ...options });
      // A copy of the rules is a new rule set to the edge: a fresh engine.
      const fresh = decide(request, { rules: structuredClone(shared), ...options });
      expect(kept.valid).toBe(true);
      expect(kept, `request ${i}`).toEqual(fresh);
    }
  });
});
