import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuleSet } from '@seglet/core';
import { createSegments } from '../../src/index.js';
import type { Segments } from '../../src/types.js';
import { MAX_DELAY } from '../../src/facade/createTimer.js';

// Fake timers get their own file: fake-indexeddb schedules with timers, so no other test here uses IndexedDB.
const rules: RuleSet = {
  version: 1,
  segments: {
    abandoner: { when: { abandoned: 'add_to_cart', unless: 'purchase', after: '30m' } },
    dormant: { when: { abandoned: 'wishlist', unless: 'purchase', after: '40d' } },
  },
};

let instance: Segments | null = null;
const start = (): Segments => (instance = createSegments({ rules, collect: false, storage: 'memory', onError: () => undefined }));

beforeEach(() => localStorage.clear());
afterEach(() => {
  instance?.destroy();
  instance = null;
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('createSegments: timers', () => {
  it('fires a time-driven enter from the one timer armed at nextChange()', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const s = start();
    await s.ready;
    const entered = vi.fn();
    s.on('abandoner', entered);
    s.track('add_to_cart', { value: 5 });
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(30 * 60_000 - 1);
    expect(entered).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(entered).toHaveBeenCalledTimes(1);
    expect(s.has('abandoner')).toBe(true);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('caps delays at a minute (far under 2^31-1 ms) and re-arms until the instant comes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const spy = vi.spyOn(window, 'setTimeout');
    const s = start();
    await s.ready;
    s.track('wishlist');
    expect(Math.max(...spy.mock.calls.map((c) => Number(c[1] ?? 0)))).toBe(MAX_DELAY);
    await vi.advanceTimersByTimeAsync(MAX_DELAY);
    expect(s.has('dormant')).toBe(false);
    await vi.advanceTimersByTimeAsync(40 * 86_400_000 - MAX_DELAY);
    expect(s.has('dormant')).toBe(true);
  });

  /** A cart added, then 31 minutes asleep: the wall clock moved, setTimeout's did not. */
  async function cartThenSleep(): Promise<Segments> {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const s = start();
    await s.ready;
    s.track('add_to_cart');
    vi.setSystemTime(Date.now() + 31 * 60_000);
    expect(s.has('abandoner')).toBe(false);
    return s;
  }

  it('catches up within a minute after the clock jumped (sleep) with no visibilitychange', async () => {
    const s = await cartThenSleep();
    await vi.advanceTimersByTimeAsync(MAX_DELAY);
    expect(s.has('abandoner')).toBe(true);
  });

  it('catches up on visibilitychange after the clock jumped (sleep)', async () => {
    const s = await cartThenSleep();
    document.dispatchEvent(new Event('visibilitychange'));
    expect(s.has('abandoner')).toBe(true);
  });
});

