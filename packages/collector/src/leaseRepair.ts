/**
 * What a webhook take or settle left undone when it failed on its connection (one redisLink.ts
 * dropped for not answering, one node-redis lost to a reset, or one only slow): Redis may have run
 * it, or not, with no answer back. Until its lease ends the job is this process's alone, and this
 * process knows whether it was delivered, so it puts the job right itself (a take's jobs made due,
 * a settle sent again) as soon as a connection answers, instead of the job waiting out its lease:
 * a network blip would otherwise hold webhooks back for a minute, or send a delivered one again.
 * The steps check that the lease is still this one, and doing one twice changes nothing.
 */
export class LeaseRepair {
  private closed = false;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  /**
   * Runs `step` once `failed` (the command that failed) has settled, and again after each failure
   * of its own, as long as the lease lasts (`ms` from now). `step` must fail once it has waited
   * too long, or one lost on a dead connection would stop the repair.
   */
  after(failed: Promise<unknown>, step: () => Promise<unknown>, ms: number): void {
    const end = Date.now() + ms;
    const attempt = (tries: number): void => {
      if (this.closed || Date.now() >= end) return;
      // While no connection answers, commands fail at once: a short wait keeps this from spinning,
      // and a short cap repairs soon after a new connection is in place.
      step().catch(() => { this.wait(() => attempt(tries + 1), Math.min(50 * 2 ** tries, 1_000)); });
    };
    // Not before: on a connection that is only slow the step would queue behind that command, and
    // each retry behind it again.
    void failed.then(() => attempt(0), () => attempt(0));
  }

  /** Stops all repairs: the store is closing, and what is left waits out its lease. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private wait(then: () => void, ms: number): void {
    const t = setTimeout(() => { this.timers.delete(t); then(); }, ms);
    t.unref();
    this.timers.add(t);
  }
}
