interface Bucket { tokens: number; at: number }

/**
 * Token buckets keyed by client: `rate` tokens a second, at most `burst`. Buckets that have
 * refilled completely are swept, so memory follows the number of recently active clients.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = 0;

  constructor(private readonly rate: number, private readonly burst: number) {}

  /** Takes one token for `key` at time `now` (ms): `0` if allowed, else seconds to wait (>= 1). */
  take(key: string, now: number): number {
    // After a step back the last sweep lies in the future: sweep from the new time on.
    if (now - this.lastSweep > 10_000 || now < this.lastSweep) this.sweep(now);
    let b = this.buckets.get(key);
    if (!b) { b = { tokens: this.burst, at: now }; this.buckets.set(key, b); }
    // Date.now() can step back (NTP): negative elapsed time would drain the bucket and lock the
    // client out for as long as the step, so a step back refills nothing and takes nothing.
    b.tokens = Math.min(this.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * this.rate);
    b.at = now;
    if (b.tokens >= 1) { b.tokens -= 1; return 0; }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.rate));
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    const full = (this.burst / this.rate) * 1000;
    for (const [key, b] of this.buckets) if (now - b.at >= full) this.buckets.delete(key);
  }
}
