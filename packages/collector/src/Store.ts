import type { ApplyOutcome, Beacon, Profile, SegmentStats, StoreKind, WebhookJob } from './types.js';

/** How long batch ids and forget tombstones are remembered (spec: at least 7 days). */
export const DEDUP_MS = 7 * 24 * 3600_000;
/** Webhook deliveries are retried for this long after the change. */
export const WEBHOOK_RETRY_MS = 24 * 3600_000;
/** Daily enters/exits kept and served by default. */
export const HISTORY_DAYS = 90;

/** Settings every store adapter honours. */
export interface StoreSettings {
  /** Profiles expire this long after their `updatedAt`. */
  ttlMs: number;
  /** Queue a webhook job per applied membership change. */
  webhooks: boolean;
}

/**
 * The storage interface behind the collector. Every method is atomic on its own; a resolved
 * `apply` means the batch is durable (committed and synced, or acknowledged by Redis with
 * `appendfsync always`), which is what a 204 promises.
 */
export interface Store {
  readonly kind: StoreKind;
  /**
   * Applies a validated beacon received at server time `now`: a batch id seen in the last
   * 7 days is `'duplicate'`; a batch for an id forgotten in the last 7 days is `'dropped'`
   * (and remembered as seen); a forget request forgets the profile.
   */
  apply(beacon: Beacon, now: number): Promise<ApplyOutcome>;
  /**
   * Removes the profile, its userId and its queued webhook jobs, leaving a 7-day tombstone.
   * Unknown ids are fine. A job leased by a delivery in flight may still be POSTed, but a
   * `settleWebhook` for it after the forget does not queue it again.
   */
  forget(anonymousId: string, now: number): Promise<void>;
  /** The profile, or `null` when unknown, forgotten or expired. */
  profile(anonymousId: string, now: number): Promise<Profile | null>;
  /** Current member counts and the last `days` UTC days of enters/exits, sorted by id. */
  segments(days: number, now: number): Promise<SegmentStats[]>;
  /** Leases up to `limit` due webhook jobs for `leaseMs` (a crashed sender's jobs come back). */
  takeWebhooks(now: number, limit: number, leaseMs: number): Promise<WebhookJob[]>;
  /** Deletes a job (`retryAt` null: delivered or given up) or schedules its next attempt. */
  settleWebhook(job: WebhookJob, retryAt: number | null): Promise<void>;
  /**
   * Deletes expired profiles, batch ids, tombstones, history and webhook jobs. Once `signal` is
   * aborted a purge made of several steps stops (resolving) before its next one; the next purge
   * does the rest.
   */
  purge(now: number, signal?: AbortSignal): Promise<void>;
  /** Finishes pending writes and releases the database. */
  close(): Promise<void>;
}
