/** Public types of `@seglet/collector`. */
import type { Store } from './Store.js';

export type { Store } from './Store.js';

/** A value produced by the strict JSON parser. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One membership change of a beacon batch (runtime spec section 4). */
export interface MembershipChange {
  /** Segment id (`^[a-z0-9][a-z0-9_-]{0,63}$`). */
  segment: string;
  /** `true` on enter, `false` on exit. */
  member: boolean;
  /** Device time of the change, ms since the epoch. */
  t: number;
}

/** A validated beacon body: either a membership batch or a forget request. */
export interface Beacon {
  /** Batch id used for de-duplication. */
  id: string;
  anonymousId: string;
  userId?: string;
  /** Device clock when the attempt was sent; absent on forget requests that omit it. */
  sentAt?: number;
  /** `true` for a forget request; `changes` and `members` are then ignored. */
  forget: boolean;
  changes: MembershipChange[];
  /** The profile's full set when the batch carried it. */
  members?: string[];
}

/** What a store did with a batch. */
export type ApplyOutcome = 'applied' | 'duplicate' | 'dropped';

/** A profile as returned by `GET /v1/profiles/:anonymousId`. */
export interface Profile {
  members: string[];
  /** Server time of the last applied batch, ms since the epoch. */
  updatedAt: number;
  userId?: string;
}

/** Enters and exits of one segment on one UTC day. */
export interface DayCount {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  enters: number;
  exits: number;
}

/** One segment in `GET /v1/segments`. */
export interface SegmentStats {
  id: string;
  /** Current member count (profiles within the TTL). */
  members: number;
  /** One entry per UTC day of the window, oldest first. */
  days: DayCount[];
}

/** A membership change as POSTed to the webhook. */
export interface WebhookEvent {
  anonymousId: string;
  userId?: string;
  segment: string;
  member: boolean;
  t: number;
}

/** A queued webhook delivery. */
export interface WebhookJob {
  id: string;
  /** The exact JSON body to POST (the signature covers these bytes). */
  body: string;
  /** Server time the change was applied; retries stop 24 h after it. */
  createdAt: number;
  attempts: number;
}

/** Which storage the collector uses. */
export type StoreKind = 'sqlite' | 'redis';

/** Options of {@link createCollector}. */
export interface CollectorOptions {
  /** TCP port; `0` picks a free one (read it back from `url`). Default 8787. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** Embedded SQLite file. Default `./seglet.db` unless `redis` or `store` is given. */
  db?: string;
  /** Redis URL (`redis://...`); mutually exclusive with `db`. */
  redis?: string;
  /** A ready store instead of `db`/`redis` (tests, custom adapters). The collector closes it. */
  store?: Store;
  /** Origins allowed on the beacon route, exact `scheme://host[:port]`. */
  allowOrigins: string[];
  /** Bearer token for the read and delete routes (required). */
  token: string;
  /** Beacons per second per client; `0` disables. Default 100. */
  rateLimit?: number;
  /** Bucket size. Default twice `rateLimit`. */
  burst?: number;
  /** Key the rate limit on `X-Forwarded-For` (the entry added by the nearest proxy). */
  trustProxy?: boolean;
  /** Profiles expire this many days after `updatedAt`. Default 90. */
  ttlDays?: number;
  /** POST every applied membership change here. */
  webhook?: { url: string; secret: string };
  /** Time allowed for the request headers. Default 10,000 ms. */
  headersTimeoutMs?: number;
  /** Time allowed for the whole request. Default 30,000 ms. */
  requestTimeoutMs?: number;
  /**
   * How long an idle keep-alive connection stays open. Default 5,000 ms. Behind a proxy or load
   * balancer that keeps connections to the collector, set it above the proxy's idle timeout: a
   * proxy that sends a request just as the collector closes the connection answers 502.
   */
  keepAliveTimeoutMs?: number;
  /**
   * How long a request waits for the store, in ms (default 5,000); then it is answered 500, which
   * the browser retries. The store's work goes on: a batch it commits late is acknowledged on retry.
   */
  storeTimeoutMs?: number;
  /** First webhook retry delay; doubles up to `webhookMaxBackoffMs`. Default 1,000 ms. */
  webhookBackoffMs?: number;
  /** Longest webhook retry delay. Default 3,600,000 ms. */
  webhookMaxBackoffMs?: number;
  /** Wait before retrying a purge that failed; doubles with each failure in a row up to the hourly run. Default 60,000 ms. */
  purgeRetryMs?: number;
  /** Server clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/** A running (or ready to run) collector. */
export interface Collector {
  /** Starts listening; resolves with the base URL (`http://HOST:PORT`). */
  listen(): Promise<string>;
  /**
   * Stops accepting, answers in-flight requests, stops the webhook and any purge in progress
   * (waiting for them), closes the store. Nothing runs on the store once it resolves.
   */
  close(): Promise<void>;
  /** Base URL once listening, else `undefined`. */
  readonly url: string | undefined;
  /** The store in use. */
  readonly store: Store;
}
