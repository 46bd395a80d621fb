import { createHmac } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Store } from './Store.js';
import { WEBHOOK_RETRY_MS } from './Store.js';
import type { WebhookJob } from './types.js';

/** Settings of {@link WebhookSender}. */
export interface WebhookSettings {
  url: string;
  secret: string;
  backoffMs: number;
  maxBackoffMs: number;
  now: () => number;
  report: (e: unknown) => void;
}

const LEASE_MS = 60_000;
const BATCH = 32;
const TIMEOUT_MS = 10_000;

/** `sha256=<hex HMAC-SHA256 of the body>`, the `X-Seglet-Signature` header value. */
export function signWebhook(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * Delivers queued membership changes from the store (so they survive restarts): each job is
 * leased, POSTed, then deleted on 2xx or rescheduled with exponential backoff and jitter until
 * 24 h after the change; a job already that old when taken is deleted without a POST. Several
 * collectors on one Redis share the queue through the leases.
 */
export class WebhookSender {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private again = false;
  /** Aborted by {@link stop}: deliveries in flight must not hold a shutdown for their timeout. */
  private readonly halt = new AbortController();

  constructor(private readonly store: Store, private readonly s: WebhookSettings) {
    // Each delivery of a round listens on `halt` until it settles: up to BATCH at once is
    // expected, and Node's default of 10 would log a false memory-leak warning.
    setMaxListeners(BATCH, this.halt.signal);
  }

  /** Starts polling (every second, and at once after each applied batch via {@link kick}). */
  start(): void {
    this.kick();
  }

  /** Runs a delivery round soon. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) { this.again = true; return; }
    clearTimeout(this.timer);
    this.running = this.round().catch(this.s.report).finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.again) { this.again = false; this.kick(); return; }
      this.timer = setTimeout(() => this.kick(), Math.min(1000, this.s.backoffMs));
      this.timer.unref();
    });
  }

  /** Stops polling and waits for the round in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.halt.abort();
    await this.running;
  }

  private async round(): Promise<void> {
    for (;;) {
      const jobs = await this.store.takeWebhooks(this.s.now(), BATCH, LEASE_MS);
      await Promise.all(jobs.map((j) => this.deliver(j)));
      if (jobs.length < BATCH || this.stopped) return;
    }
  }

  private async deliver(job: WebhookJob): Promise<void> {
    // Same rule as the stores' purge (created at or before now - 24 h): a job that outlived it
    // (collector down, or running without --webhook) is dropped, never delivered however late.
    if (this.s.now() - job.createdAt >= WEBHOOK_RETRY_MS) { await this.store.settleWebhook(job, null); return; }
    let ok = false;
    const attempt = new AbortController();
    const abort = () => { attempt.abort(); };
    const timer = setTimeout(abort, TIMEOUT_MS);
    this.halt.signal.addEventListener('abort', abort);
    // An abort event fires once: stop() called while these jobs were being taken has passed.
    if (this.halt.signal.aborted) abort();
    try {
      const res = await fetch(this.s.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Seglet-Signature': signWebhook(job.body, this.s.secret) },
        body: job.body,
        signal: attempt.signal,
      });
      ok = res.ok;
      await res.body?.cancel();
    } catch {
      ok = false;
    } finally {
      clearTimeout(timer);
      this.halt.signal.removeEventListener('abort', abort);
    }
    const now = this.s.now();
    // Cut short by a shutdown: due again at once, for the next start (a lease would wait a minute).
    if (!ok && this.stopped) { await this.store.settleWebhook(job, now); return; }
    if (ok || now - job.createdAt >= WEBHOOK_RETRY_MS) { await this.store.settleWebhook(job, null); return; }
    const delay = Math.min(this.s.maxBackoffMs, this.s.backoffMs * 2 ** job.attempts);
    await this.store.settleWebhook(job, now + Math.round(delay * (0.5 + Math.random() / 2)));
  }
}
