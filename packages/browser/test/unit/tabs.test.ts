import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSeenIds, createTabChannel, parseTabMessage } from '../../src/tabs/index.js';
import type { TabMessage, TabMessageBody } from '../../src/tabs/index.js';

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 30));
let n = 0;
const channelName = (): string => `seglet-tabs-${++n}`;

afterEach(() => { vi.unstubAllGlobals(); });

describe('createTabChannel', () => {
  it('delivers events, forget and consent to other tabs, stamped with the sender', async () => {
    const name = channelName();
    const got: TabMessage[] = [];
    const a = createTabChannel(name, () => undefined, 'tab-a');
    const b = createTabChannel(name, (m) => got.push(m), 'tab-b');
    expect(a.available).toBe(true);
    a.post({ kind: 'events', events: [{ id: 'tab-a:0', type: 'page_view', t: 5, props: { path: '/' } }] });
    a.post({ kind: 'forget' });
    a.post({ kind: 'consent', consent: 'denied' });
    await settle();
    expect(got).toEqual([
      { v: 1, from: 'tab-a', kind: 'events', events: [{ id: 'tab-a:0', type: 'page_view', t: 5, props: { path: '/' } }] },
      { v: 1, from: 'tab-a', kind: 'forget' },
      { v: 1, from: 'tab-a', kind: 'consent', consent: 'denied' },
    ]);
    a.close(); b.close();
  });

  it("ignores its own tab's messages, malformed ones, and a throwing handler", async () => {
    const name = channelName();
    const got: TabMessage[] = [];
    const sameTab = createTabChannel(name, () => undefined, 'me');
    const me = createTabChannel(name, (m) => { got.push(m); throw new Error('host'); }, 'me');
    const raw = new BroadcastChannel(name);
    sameTab.post({ kind: 'forget' });
    raw.postMessage({ v: 2, from: 'x', kind: 'forget' });
    raw.postMessage('junk');
    raw.postMessage({ v: 1, from: 'x', kind: 'consent', consent: 'maybe' });
    raw.postMessage({ v: 1, from: 'x', kind: 'events', events: [{ id: 'x:1', type: 'a', t: 1 }, { bogus: true }] });
    raw.postMessage({ v: 1, from: 'y', kind: 'forget' });
    await settle();
    expect(got).toEqual([
      { v: 1, from: 'x', kind: 'events', events: [{ id: 'x:1', type: 'a', t: 1 }] },
      { v: 1, from: 'y', kind: 'forget' },
    ]);
    raw.close(); sameTab.close(); me.close();
  });

  it('never throws: uncloneable posts are dropped, posts after close are no-ops', () => {
    const c = createTabChannel(channelName(), () => undefined, 't');
    const bad: TabMessageBody = { kind: 'events', events: [{ id: 't:0', type: 'a', t: 1, props: { f: (() => 1) as unknown as string } }] };
    expect(() => c.post(bad)).not.toThrow();
    c.close();
    expect(() => { c.post({ kind: 'forget' }); c.close(); }).not.toThrow();
  });

  it('is a no-op where BroadcastChannel is missing or throws', () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    const missing = createTabChannel('x', () => undefined);
    expect(missing.available).toBe(false);
    expect(() => { missing.post({ kind: 'forget' }); missing.close(); }).not.toThrow();
    vi.stubGlobal('BroadcastChannel', function Throwing() { throw new Error('blocked'); });
    expect(createTabChannel('x', () => undefined).available).toBe(false);
  });
});

describe('parseTabMessage', () => {
  it('accepts exactly the three kinds', () => {
    expect(parseTabMessage({ v: 1, from: 'a', kind: 'consent', consent: 'granted' })).toEqual({ v: 1, from: 'a', kind: 'consent', consent: 'granted' });
    expect(parseTabMessage({ v: 1, from: 'a', kind: 'other' })).toBeNull();
    expect(parseTabMessage({ v: 1, kind: 'forget' })).toBeNull();
    // The new anonymous id of a forget is kept only when it looks like one.
    expect(parseTabMessage({ v: 1, from: 'a', kind: 'forget', id: 'abcdef0123456789' })).toEqual({ v: 1, from: 'a', kind: 'forget', id: 'abcdef0123456789' });
    expect(parseTabMessage({ v: 1, from: 'a', kind: 'forget', id: '<img src=x>' })).toEqual({ v: 1, from: 'a', kind: 'forget' });
    // And the id it forgot.
    expect(parseTabMessage({ v: 1, from: 'a', kind: 'forget', id: 'abcdef0123456789', old: '0123456789abcdef' })).toEqual({ v: 1, from: 'a', kind: 'forget', id: 'abcdef0123456789', old: '0123456789abcdef' });
    expect(parseTabMessage({ v: 1, from: 'a', kind: 'forget', id: 'abcdef0123456789', old: 7 })).toEqual({ v: 1, from: 'a', kind: 'forget', id: 'abcdef0123456789' });
    // So is the sender's anonymous id on events.
    expect(parseTabMessage({ v: 1, from: 'a', kind: 'events', events: [], id: 'abcdef0123456789' })).toEqual({ v: 1, from: 'a', kind: 'events', events: [], id: 'abcdef0123456789' });
    expect(parseTabMessage({ v: 1, from: 'a', kind: 'events', events: [], id: 7 })).toEqual({ v: 1, from: 'a', kind: 'events', events: [] });
    expect(parseTabMessage(null)).toBeNull();
  });
});

describe('createSeenIds', () => {
  it('applies each id once and forgets the oldest past its limit', () => {
    const seen = createSeenIds(2);
    expect([seen.add('a'), seen.add('a'), seen.add('b'), seen.add('c')]).toEqual([true, false, true, true]);
    expect([seen.has('a'), seen.has('b'), seen.has('c')]).toEqual([false, true, true]);
    seen.clear();
    expect(seen.has('b')).toBe(false);
  });
});
