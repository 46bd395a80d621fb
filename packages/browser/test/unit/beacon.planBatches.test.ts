import { describe, expect, it } from 'vitest';
import { applyBatch, diffMembers, expectedSet, MAX_BODY_BYTES, planBatches } from '../../src/beacon/planBatches.js';
import { backoffDelay, classify, retryAfterMs } from '../../src/beacon/retryPolicy.js';
import { serializeBatch } from '../../src/beacon/sendBatch.js';
import type { BatchBody, BeaconChange, QueuedBatch } from '../../src/beacon/types.js';

let n = 0;
const ids = (): string => `b${++n}`;
const size = (s: string): number => new TextEncoder().encode(s).length;

describe('beacon batch planning', () => {
  it('diffs enters and exits, stamped with when each was seen, ordered by time', () => {
    const seen = new Map([['b', 5], ['c', 3]]);
    expect(diffMembers(['a', 'c'], ['a', 'b', 'd'], seen, 9)).toEqual([
      { segment: 'c', member: false, t: 3 }, { segment: 'b', member: true, t: 5 }, { segment: 'd', member: true, t: 9 },
    ]);
    expect(diffMembers(['a'], ['a'], seen, 9)).toEqual([]);
  });

  it('plans no batch for no change, one batch with members otherwise', () => {
    expect(planBatches([], ['a'], { anonymousId: 'x' }, ids)).toEqual([]);
    const [one, ...rest] = planBatches([{ segment: 'a', member: true, t: 1 }], ['a'], { anonymousId: 'x', userId: 'u' }, ids);
    expect(rest).toEqual([]);
    expect(one).toEqual({ v: 1, id: expect.any(String), anonymousId: 'x', userId: 'u', changes: [{ segment: 'a', member: true, t: 1 }], members: ['a'] });
  });

  it('splits a body over 60 KiB into batches with their own ids, members only where it fits', () => {
    const segs = Array.from({ length: 2500 }, (_, i) => `segment-with-a-long-name-${String(i).padStart(5, '0')}`);
    const changes: BeaconChange[] = segs.map((segment, i) => ({ segment, member: true, t: 1_790_000_000_000 + i }));
    const bodies = planBatches(changes, segs, { anonymousId: 'anon' }, ids);
    expect(bodies.length).toBeGreaterThan(1);
    expect(new Set(bodies.map((b) => b.id)).size).toBe(bodies.length);
    for (const b of bodies) expect(size(serializeBatch(b, 1_790_000_000_000))).toBeLessThanOrEqual(MAX_BODY_BYTES);
    // Packed, not merely split: every body but the last is within 100 bytes of the limit.
    for (const b of bodies.slice(0, -1)) expect(size(serializeBatch(b, 1_790_000_000_000))).toBeGreaterThan(MAX_BODY_BYTES - 100);
    // Bytes, not characters: a multi-byte userId counts for what it weighs.
    const heavy = planBatches(changes, segs, { anonymousId: 'anon', userId: 'é'.repeat(200) }, ids);
    for (const b of heavy) expect(size(serializeBatch(b, 9_999_999_999_999))).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(bodies.flatMap((b) => ('changes' in b ? b.changes : []))).toEqual(changes);
    // 2,500 ids of ~30 bytes do not fit beside the changes: members is left out.
    expect(bodies.some((b) => 'members' in b)).toBe(false);
    // Small enough: members rides on the last body.
    const few = planBatches(changes.slice(0, 1500), segs.slice(0, 10), { anonymousId: 'anon' }, ids);
    expect(few.length).toBeGreaterThan(1);
    expect(few.map((b) => 'members' in b)).toEqual([...few.slice(1).map(() => false), true]);
  });

  it('the expected set applies queued changes, members replacing the set, forget changing nothing', () => {
    const q = (body: BatchBody): QueuedBatch => ({ body, created: 0, attempts: 0, nextAt: 0 });
    const queue = [
      q({ v: 1, id: '1', anonymousId: 'x', changes: [{ segment: 'b', member: true, t: 1 }, { segment: 'a', member: false, t: 2 }] }),
      q({ v: 1, id: '2', anonymousId: 'x', forget: true }),
    ];
    expect(expectedSet(['a', 'c'], queue)).toEqual(['b', 'c']);
    expect(applyBatch(['z'], { v: 1, id: '3', anonymousId: 'x', changes: [], members: ['m', 'k'] })).toEqual(['k', 'm']);
  });
});

describe('beacon retry policy', () => {
  it('acknowledges 2xx, retries network errors, 408, 429 and 5xx, drops other 4xx', () => {
    expect([200, 204].map(classify)).toEqual(['acked', 'acked']);
    expect([0, 408, 429, 500, 503, 599].map(classify)).toEqual(Array(6).fill('retry'));
    expect([400, 401, 403, 404, 413, 301].map(classify)).toEqual(Array(6).fill('drop'));
  });

  it('backs off from 1 s doubling to 60 s, jittered within the upper half', () => {
    expect([1, 2, 3, 4, 6, 7, 50].map((a) => backoffDelay(a, () => 0))).toEqual([1000, 1000, 2000, 4000, 16_000, 30_000, 30_000]);
    expect([1, 2, 3, 7, 8, 50].map((a) => backoffDelay(a, () => 0.999_999))).toEqual([1000, 2000, 4000, 60_000, 60_000, 60_000]);
    for (let a = 1; a < 40; a++) {
      const d = backoffDelay(a, Math.random);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(60_000);
    }
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('7', 0)).toBe(7000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs('soon', 0)).toBeNull();
    expect(retryAfterMs(null, 0)).toBeNull();
  });
});
