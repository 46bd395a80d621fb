import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/RateLimiter.js';

describe('RateLimiter', () => {
  it('a wall clock stepped back (NTP) costs no tokens: the client is not locked out for the step', () => {
    const limiter = new RateLimiter(100, 200);
    const t = 1_790_000_000_000;
    expect(limiter.take('client', t)).toBe(0);
    // The clock steps back an hour; the next beacon must still pass, not wait 3,600 s.
    expect(limiter.take('client', t - 3_600_000)).toBe(0);
    expect(limiter.take('client', t - 3_599_990)).toBe(0);
  });

  it('still limits: past the burst, a wait of at least 1 s', () => {
    const limiter = new RateLimiter(1, 2);
    const t = 1_790_000_000_000;
    expect([limiter.take('c', t), limiter.take('c', t), limiter.take('c', t)]).toEqual([0, 0, 1]);
    expect(limiter.take('c', t + 1_000)).toBe(0);
  });

  it('keeps sweeping idle clients after the clock steps back', () => {
    const limiter = new RateLimiter(100, 200);
    const buckets = (limiter as unknown as { buckets: Map<string, unknown> }).buckets;
    const t = 1_790_000_000_000;
    limiter.take('before', t);
    const back = t - 3_600_000;
    for (let i = 0; i < 50; i++) limiter.take(`idle${i}`, back);
    // 20 s later (still an hour before the last sweep's time) the idle buckets are full again.
    limiter.take('late', back + 20_000);
    expect(buckets.has('idle0')).toBe(false);
  });
});
