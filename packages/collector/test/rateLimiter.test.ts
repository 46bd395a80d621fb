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
});
