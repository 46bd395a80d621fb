import { describe, expect, it } from 'vitest';
import { harness, ruleSet } from '../helpers/setup.js';
import { bucketOf, fnv1a32 } from '../helpers/fnv1a.js';

describe('bucket', () => {
  it('reference FNV-1a matches published vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('is fnv1a32(utf8(salt + ":" + anonymousId)) / 2^32 exactly', () => {
    const id = 'anon-test-1';
    const v = bucketOf('exp-42', id);
    const h = harness(ruleSet({
      eq: { bucket: 'exp-42', eq: v },
      gte: { bucket: 'exp-42', gte: v },
      gt: { bucket: 'exp-42', gt: v },
      lt: { bucket: 'exp-42', lt: v },
    }), { anonymousId: id });
    expect(h.engine.anonymousId).toBe(id);
    expect(h.engine.members()).toEqual(['eq', 'gte']);
  });

  it('encodes salt and id as UTF-8 (non-ASCII and astral characters)', () => {
    const id = 'visiteur-é-😀';
    const v = bucketOf('café', id);
    const h = harness(ruleSet({ eq: { bucket: 'café', eq: v } }), { anonymousId: id });
    expect(h.engine.members()).toEqual(['eq']);
  });

  it('different salts give independent buckets; the value lies in [0, 1)', () => {
    const id = 'anon-test-1';
    const a = bucketOf('a', id);
    const b = bucketOf('b', id);
    expect(a).not.toBe(b);
    const h = harness(ruleSet({ a: { bucket: 'a', eq: a }, b: { bucket: 'b', eq: b }, range: { bucket: 'a', gte: 0, lt: 1 } }), { anonymousId: id });
    expect(h.engine.members()).toEqual(['a', 'b', 'range']);
  });

  it('does not change with time or events', () => {
    const h = harness(ruleSet({ half: { bucket: 's', lt: 0.5 } }), { anonymousId: 'anon-test-1' });
    expect(h.engine.nextChange()).toBeNull();
    const before = h.engine.has('half');
    expect(before).toBe(bucketOf('s', 'anon-test-1') < 0.5);
    h.clock.advance(1000);
    h.engine.track('x');
    expect(h.engine.has('half')).toBe(before);
  });
});
