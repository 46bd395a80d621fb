import { describe, expect, it, vi } from 'vitest';
import { cleanKey, cleanProps, cutString } from '../../src/collectors/cleanProps.js';
import { pathOf, referrerHost } from '../../src/collectors/pathOf.js';

describe('cleanProps', () => {
  it('cuts strings to 512 without splitting a surrogate pair, arrays to 32, keys to 32', () => {
    expect(cutString('a'.repeat(600))).toHaveLength(512);
    expect(cutString(`${'a'.repeat(511)}😀`)).toBe('a'.repeat(511));
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(cleanProps(many))).toHaveLength(32);
    expect(cleanProps({ list: Array.from({ length: 50 }, (_, i) => i) })['list']).toHaveLength(32);
  });

  it('drops nested objects, functions, non-finite numbers, and reserved keys; sanitizes keys', () => {
    const dirty = JSON.parse('{"__proto__": 1, "ok key!": "v", "nested": {"a": 1}, "arr": [1, {"x": 1}, "s", null]}') as Record<string, unknown>;
    Object.assign(dirty, { inf: Infinity, fn: () => 1, constructor: 'x', ['k'.repeat(80)]: true });
    expect(cleanProps(dirty)).toEqual({ ok_key_: 'v', arr: [1, 's', null], ['k'.repeat(64)]: true });
    expect(cleanKey('')).toBeUndefined();
    expect(cleanKey('prototype')).toBeUndefined();
  });
});

describe('paths and referrers', () => {
  it('drops query and hash, and tolerates junk', () => {
    expect(pathOf('https://a.test/x/y?q=1#h')).toBe('/x/y');
    expect(pathOf('/rel?q', 'https://a.test/base/')).toBe('/rel');
    expect(pathOf('http://[bad')).toBe('');
  });

  it('gives the referrer host only for another host, only for http(s)', () => {
    expect(referrerHost('https://b.test:8443/p?q', 'a.test')).toBe('b.test:8443');
    expect(referrerHost('https://a.test/other', 'a.test')).toBeNull();
    expect(referrerHost('android-app://com.x/', 'a.test')).toBeNull();
    expect(referrerHost('', 'a.test')).toBeNull();
    expect(referrerHost('not a url', 'a.test')).toBeNull();
  });
});

describe('importing', () => {
  it('does nothing: no listeners, no patches, no globals', async () => {
    const add = vi.spyOn(window, 'addEventListener');
    const addDoc = vi.spyOn(document, 'addEventListener');
    const push = history.pushState;
    await import('../../src/collectors/index.js');
    await import('../../src/context/index.js');
    await import('../../src/dom/index.js');
    expect(add).not.toHaveBeenCalled();
    expect(addDoc).not.toHaveBeenCalled();
    expect(history.pushState).toBe(push);
    expect('dataLayer' in window).toBe(false);
    vi.restoreAllMocks();
  });
});
