import { describe, expect, it } from 'vitest';
import {
  collectRecords, compareStored, decodeBatch, effectiveRetain, orderLog, planLog, rewriteBatches, splitId,
} from '../../src/storage/records.js';
import type { StoredEvent } from '../../src/storage/index.js';

const ev = (id: string, t: number): StoredEvent => ({ id, type: 'e', t });

describe('storage records', () => {
  it('retention is the larger of the rule set and the defaults, per limit', () => {
    expect(effectiveRetain(undefined)).toEqual({ events: 10_000, forMs: 90 * 86_400_000 });
    expect(effectiveRetain({ events: 50_000, for: '1d' })).toEqual({ events: 50_000, forMs: 90 * 86_400_000 });
    expect(effectiveRetain({ events: 5, for: '365d' })).toEqual({ events: 10_000, forMs: 365 * 86_400_000 });
    expect(effectiveRetain({ events: Number.NaN, for: 'bogus' })).toEqual({ events: 10_000, forMs: 90 * 86_400_000 });
  });

  it('orders by (t, tab id, sequence), numerically on the sequence', () => {
    const log = orderLog([ev('b:2', 5), ev('a:10', 5), ev('a:9', 5), ev('z:0', 1), ev('a:9', 5)]);
    expect(log.map((e) => e.id)).toEqual(['z:0', 'a:9', 'a:10', 'b:2']);
    expect(splitId('x')).toEqual({ tab: 'x', seq: 0 });
    expect(splitId('a:b:3')).toEqual({ tab: 'a:b', seq: 3 });
    expect(compareStored(ev('q', 1), ev('q', 1))).toBe(0);
  });

  it('keeps what it plans in restore order, as orderLog would (load returns it unsorted again)', () => {
    const events = [ev('b:2', 5), ev('a:10', 5), ev('a:9', 5), ev('z:0', 1), ev('a:9', 5), ev('c:1', 3), ev('a:11', 3)];
    const collected = collectRecords([['e/x/0', { v: 1, events: events.slice(0, 4) }], ['e/x/1', { v: 1, events: events.slice(4) }]]);
    const kept = planLog(collected.located, 10, { events: 100, forMs: 100 }).kept.map((item) => item.event.id);
    expect(kept).toEqual(orderLog(events).map((e) => e.id));
    expect(kept).toEqual(['z:0', 'a:11', 'c:1', 'a:9', 'a:10', 'b:2']);
  });

  it('drops every copy of the ids it is told to, whatever their age, and nothing else', () => {
    const collected = collectRecords([['e/x/0', { v: 1, events: [ev('a:0', 5), ev('a:1', 6)] }], ['e/x/1', { v: 1, events: [ev('a:0', 5), ev('b:0', 7)] }]]);
    const plan = planLog(collected.located, 10, { events: 100, forMs: 100 }, 0, ['a:0']);
    expect(plan.kept.map((l) => l.event.id)).toEqual(['a:1', 'b:0']);
    expect(plan.dropped.map((l) => `${l.key} ${l.event.id}`).sort()).toEqual(['e/x/0 a:0', 'e/x/1 a:0']);
  });

  it('drops what is at or before the eviction horizon in restore order (ties on time by tab and sequence), as it drops what is too old', () => {
    const horizon = { t: 5, id: 'b:0' };
    const collected = collectRecords([['e/x/0', { v: 1, events: [ev('a:0', 3), ev('b:0', 5), ev('a:1', 6), ev('b:1', 4), ev('a:2', 5), ev('c:0', 5)] }], ['m/horizon', horizon]]);
    expect(collected.horizon).toEqual(horizon);
    expect(collectRecords([['m/horizon', 5]]).horizon).toBeUndefined();
    expect(collectRecords([['m/other', horizon]]).horizon).toBeUndefined();
    const plan = planLog(collected.located, 10, { events: 100, forMs: 100 }, 0, undefined, collected.horizon);
    expect(plan.kept.map((item) => item.event.id)).toEqual(['c:0', 'a:1']);
    expect(plan.dropped.map((item) => item.event.id)).toEqual(['a:0', 'b:1', 'a:2', 'b:0']);
  });

  it('decodes only the shape it wrote', () => {
    expect(decodeBatch(null)).toBeNull();
    expect(decodeBatch({ v: 1, events: 'x' })).toBeNull();
    expect(decodeBatch({ v: 1, events: [ev('a:0', 1), { id: 'a:1', type: '', t: 1 }, { id: 'a:2', type: 'e', t: Infinity },
      { id: 'a:3', type: 'e', t: 1, props: [] }, { id: 'a:4', type: 'e', t: 1, props: { k: 1 } }] }))
      .toEqual({ events: [ev('a:0', 1), { id: 'a:4', type: 'e', t: 1, props: { k: 1 } }], dropped: 3 });
  });

  it('plans duplicates, age, count and eviction, oldest first, and rewrites only touched batches', () => {
    const collected = collectRecords([
      ['m/acked', ['x']], [42, 'foreign'], ['e/a/0', { v: 1, events: [ev('a:0', 1), ev('a:1', 2), ev('a:2', 9)] }],
      ['e/b/0', { v: 1, events: [ev('b:0', 3), ev('a:1', 2)] }], ['e/b/1', { v: 1, events: [ev('b:1', 8)] }], ['e/c/0', 'garbage'],
    ]);
    expect(collected.corrupt).toEqual(['e/c/0']);
    const plan = planLog(collected.located, 10, { events: 3, forMs: 9 }, 1);
    // a:1 duplicate; a:0 (age 9) expired; count limit 3 keeps a:1, b:0... then evict 1 oldest.
    expect(plan.kept.map((l) => l.event.id)).toEqual(['b:1', 'a:2']);
    const { puts, deletes } = rewriteBatches(collected, plan.dropped);
    expect(deletes.sort()).toEqual(['e/b/0', 'e/c/0']);
    expect(puts).toEqual([['e/a/0', { v: 1, events: [ev('a:2', 9)] }]]);
  });
});
