import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { DEDUP_MS, HISTORY_DAYS, WEBHOOK_RETRY_MS } from './Store.js';
import type { Store, StoreSettings } from './Store.js';
import { APPLY_SCRIPT } from './applyScript.js';
import { RELEASE_SCRIPT, SETTLE_SCRIPT, TAKE_SCRIPT } from './queueScripts.js';
import { INDEX_PROFILES_SCRIPT, PURGE_PROFILES_SCRIPT } from './purgeScripts.js';
import { changeDay, dayWindow, utcDay } from './utcDay.js';
import { withinTime } from './withinTime.js';
import { boundedEach, COMMAND_TIMEOUT_MS } from './redisDeadline.js';
import { RedisLink } from './redisLink.js';
import { LeaseRepair } from './leaseRepair.js';
import type { ApplyOutcome, Beacon, Profile, SegmentStats, WebhookJob } from './types.js';

/** The Lua scripts, loaded once by SHA and run by name. */
const SCRIPTS = { apply: APPLY_SCRIPT, take: TAKE_SCRIPT, settle: SETTLE_SCRIPT, release: RELEASE_SCRIPT, purgeProfiles: PURGE_PROFILES_SCRIPT, indexProfiles: INDEX_PROFILES_SCRIPT };
type ScriptName = keyof typeof SCRIPTS;

type Client = ReturnType<typeof createClient>;

/** `host:port` of a Redis URL, for messages: never the password it may carry. */
function redisHost(url: string): string {
  try { return new URL(url).host; } catch { return 'the given URL'; }
}

/** The anonymousId in a queue member's body, if it parses. */
function anonymousIdOf(member: string): string | undefined {
  const body = member.split('|').slice(3).join('|');
  try {
    const id = (JSON.parse(body) as { anonymousId?: unknown }).anonymousId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Ids and jobs handled per purge step, so no single script or command blocks Redis for long. */
const PURGE_CHUNK = 500;
/** How long close() waits for Redis to answer what was sent before it drops the connection. */
const CLOSE_WAIT_MS = 2_000;

/** Options of {@link RedisStore.connect}. */
export interface RedisStoreOptions extends StoreSettings {
  /** Key prefix, default `seglet:` (several collectors or tests can share one Redis). */
  prefix?: string;
  /** Called with connection errors (the client reconnects by itself). */
  onError?: (e: unknown) => void;
  /**
   * How long connecting and loading the scripts may take, in ms (default 10,000). A Redis that
   * accepts the connection and never answers (wedged, or another service on the port) otherwise
   * holds startup for good, with nothing said.
   */
  startTimeoutMs?: number;
  /**
   * How long a command of the purge or the webhook sender may go unanswered, in ms (default
   * 5,000): then that round fails, is reported, and is tried again on its schedule. Any command
   * unanswered this long has the connection checked with a PING given as long (at least 2 s),
   * and replaced if that is not answered either.
   */
  commandTimeoutMs?: number;
}

/**
 * Redis store (node-redis). Keys, under the prefix: `p:<anonymousId>` a hash per profile
 * (`a` updatedAt, `u` userId, `st` time of the last members set, `s:<segment>` "member:t") with
 * a TTL of `ttlMs`; `pa` the anonymous ids scored by updatedAt (purge finds expired profiles
 * there, whatever ttl wrote them; `pa:built` marks it complete); `m:<segment>` a sorted set of
 * members scored by updatedAt (counts ignore expired scores); `d:<segment>` a hash of daily
 * `<day>:e`/`<day>:x` counts; `segs` the segment ids; `b:<batch id>` and `t:<anonymousId>`
 * de-duplication ids and tombstones with a 7-day TTL; `wh` the webhook queue, a sorted set of
 * `<seq>|<createdAt>|<attempts>|<body>` scored by next attempt (`seq` zero-padded, so equal scores
 * keep queue order; unpadded members from older versions are still read); `wj:<anonymousId>` a
 * hash of that profile's queued jobs (sequence number to member), which a forget deletes with them;
 * `wt:<random id>` a list of the members one take leased, kept as long as its lease unless its answer
 * arrives (see leaseRepair.ts).
 * Durability needs `appendonly yes` and `appendfsync always`: Redis then fsyncs the append-only
 * file before replying, so a resolved `apply` (a 204) survives a crash of either process.
 */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  private readonly sha = {} as Record<ScriptName, string>;
  private readonly waitMs: number;
  private readonly link: RedisLink;
  private readonly repair = new LeaseRepair();
  /** The lease of each job handed out: its score in `wh` while it lasts, and when it ends here. */
  private readonly leases = new WeakMap<WebhookJob, { until: string; ends: number }>();

  private constructor(client: Client, host: string, private readonly s: RedisStoreOptions, private readonly P: string) {
    this.waitMs = s.commandTimeoutMs ?? COMMAND_TIMEOUT_MS;
    this.link = new RedisLink(client, this.waitMs, host, (e) => s.onError?.(e));
  }

  /** The current connection: the link replaces one that stopped answering. */
  private get client(): Client {
    return this.link.client;
  }

  /**
   * A command of the background work, failed once it has waited `commandTimeoutMs`; it stays
   * queued in the client until answered or its connection is dropped (redisLink.ts).
   */
  private within<T>(work: Promise<T>): Promise<T> {
    return withinTime(this.link.watch(work), this.waitMs, 'Redis');
  }

  /** Connects to `url` and loads the scripts; rejects when Redis has not answered within `startTimeoutMs`. */
  static async connect(url: string, options: RedisStoreOptions): Promise<RedisStore> {
    let connected = false;
    const client: Client = createClient({
      url,
      // Commands fail at once while Redis is unreachable (a 500, which the browser retries)
      // instead of queueing, which would hold every beacon's request open until it returns.
      disableOfflineQueue: true,
      // The first connection is not retried: a collector without its store must not start.
      // Later drops are, with a capped backoff, so the collector recovers when Redis does.
      socket: { reconnectStrategy: (retries: number, cause: Error) => (connected ? Math.min(50 * 2 ** retries, 2_000) : cause) },
    });
    const limit = options.startTimeoutMs ?? 10_000;
    let late = false;
    // Once startup gave up, the client's errors (the ones destroy() itself raises) are not news.
    client.on('error', (e: unknown) => { if (!late) options.onError?.(e); });
    // Destroying the client rejects whatever startup step is waiting for an answer.
    const timer = setTimeout(() => { late = true; client.destroy(); }, limit);
    const silent = () => new Error(`seglet: Redis at ${redisHost(url)} did not answer within ${limit} ms`);
    try {
      try {
        await client.connect();
      } catch (e) {
        throw late ? silent() : new Error(`seglet: cannot connect to Redis at ${redisHost(url)}: ${(e as Error).message}`);
      }
      connected = true;
      const store = new RedisStore(client, redisHost(url), options, options.prefix ?? 'seglet:');
      await store.load().catch(async (e: unknown) => { await store.close(); throw late ? silent() : e; });
      return store;
    } finally {
      clearTimeout(timer);
    }
  }

  private async load(): Promise<void> {
    for (const name of Object.keys(SCRIPTS) as ScriptName[]) this.sha[name] = await this.client.scriptLoad(SCRIPTS[name]);
  }

  /** Runs a loaded script, reloading it once if Redis lost its script cache (restart, FLUSH). */
  private async run(which: ScriptName, args: string[]): Promise<unknown> {
    try {
      return await this.link.watch(this.client.evalSha(this.sha[which], { arguments: args }));
    } catch (e) {
      if (!String((e as Error).message).includes('NOSCRIPT')) throw e;
      await this.load();
      return this.link.watch(this.client.evalSha(this.sha[which], { arguments: args }));
    }
  }

  async apply(b: Beacon, now: number): Promise<ApplyOutcome> {
    let mt = b.sentAt ?? 0;
    if (b.changes.length > 0) mt = Math.max(...b.changes.map((c) => c.t));
    const payload = {
      id: b.id, aid: b.anonymousId, uid: b.userId, forget: b.forget,
      changes: b.changes.map((c) => [c.segment, c.member, String(c.t), changeDay(c.t, now)]),
      members: b.members, mt: String(mt), mday: changeDay(mt, now),
    };
    const out = await this.run('apply', [this.P, String(now), String(this.s.ttlMs), String(DEDUP_MS), this.s.webhooks ? '1' : '0', JSON.stringify(payload), String(WEBHOOK_RETRY_MS)]);
    return out as ApplyOutcome;
  }

  async forget(anonymousId: string, now: number): Promise<void> {
    // A forget is a batch with a private id, so both paths share the script's atomic removal.
    await this.apply({ id: `forget:${anonymousId}:${now}:${Math.random()}`, anonymousId, forget: true, changes: [] }, now);
  }

  async profile(anonymousId: string, now: number): Promise<Profile | null> {
    const h = await this.link.watch(this.client.hGetAll(`${this.P}p:${anonymousId}`));
    const updatedAt = Number(h.a);
    if (!h.a || updatedAt <= now - this.s.ttlMs) return null;
    const members = Object.entries(h).filter(([k, v]) => k.startsWith('s:') && v.startsWith('1:')).map(([k]) => k.slice(2)).sort();
    return { members, updatedAt, ...(h.u === undefined ? {} : { userId: h.u }) };
  }

  async segments(days: number, now: number): Promise<SegmentStats[]> {
    const window = dayWindow(days, now);
    const ids = (await this.link.watch(this.client.sMembers(`${this.P}segs`))).sort();
    const all = await Promise.all(ids.map(async (id) => {
      const [members, hist] = await this.link.watch(Promise.all([
        this.client.zCount(`${this.P}m:${id}`, `(${now - this.s.ttlMs}`, '+inf'),
        this.client.hGetAll(`${this.P}d:${id}`),
      ]));
      return { id, members, days: window.map((day) => ({ day, enters: Number(hist[`${day}:e`] ?? 0), exits: Number(hist[`${day}:x`] ?? 0) })) };
    }));
    // As the embedded store answers: a segment with no current member and no change in the window is left out.
    return all.filter((s) => s.members > 0 || s.days.some((d) => d.enters > 0 || d.exits > 0));
  }

  async takeWebhooks(now: number, limit: number, leaseMs: number): Promise<WebhookJob[]> {
    const until = String(now + leaseMs);
    const ends = Date.now() + leaseMs;
    const taken = `${this.P}wt:${randomUUID()}`;
    const taking = this.run('take', [`${this.P}wh`, String(now), String(limit), until, this.P, taken, String(leaseMs)]) as Promise<string[]>;
    const raw = await this.within(taking).catch((e: unknown) => {
      // Whatever it leased (its answer late, or lost with its connection) the sender never got.
      this.repair.after(taking, () => this.within(this.run('release', [`${this.P}wh`, taken, until, String(now)])), leaseMs);
      throw e;
    });
    // Answered: nothing to release, so its list need not wait out the lease in Redis's memory.
    if (raw.length > 0) void this.client.del(taken).catch(() => {});
    return raw.map((member) => {
      const [id = '', createdAt = '0', attempts = '0'] = member.split('|', 3);
      const job = { id: member, body: member.slice(id.length + createdAt.length + attempts.length + 3), createdAt: Number(createdAt), attempts: Number(attempts) };
      this.leases.set(job, { until, ends });
      return job;
    });
  }

  async settleWebhook(job: WebhookJob, retryAt: number | null): Promise<void> {
    const [seq = ''] = job.id.split('|', 1);
    const next = retryAt === null ? '' : `${seq}|${job.createdAt}|${job.attempts + 1}|${job.body}`;
    const lease = this.leases.get(job);
    const args = [this.P, job.id, retryAt === null ? '' : String(retryAt), next, String(WEBHOOK_RETRY_MS), lease?.until ?? ''];
    const settling = this.run('settle', args);
    await this.within(settling).catch((e: unknown) => {
      // Redis may not have had it: sent again once a connection answers, while the lease is ours.
      if (lease) this.repair.after(settling, () => this.within(this.run('settle', args)), lease.ends - Date.now());
      throw e;
    });
  }

  /** Many small steps; stops before the next one once `signal` is aborted (e.g. on close). */
  async purge(now: number, signal?: AbortSignal): Promise<void> {
    const stop = () => signal?.aborted === true;
    if (stop()) return;
    await this.indexProfiles(stop);
    const cutoff = String(now - this.s.ttlMs);
    for (;;) {
      if (stop()) return;
      const seen = Number(await this.within(this.run('purgeProfiles', [this.P, cutoff, String(PURGE_CHUNK)])));
      if (seen < PURGE_CHUNK) break;
    }
    const oldest = utcDay(now - HISTORY_DAYS * 86_400_000);
    if (stop()) return;
    for (const id of await this.within(this.client.sMembers(`${this.P}segs`))) {
      if (stop()) return;
      // Entries of profiles that Redis expired by their key TTL (the script only sees `pa`).
      await this.within(this.client.zRemRangeByScore(`${this.P}m:${id}`, '-inf', now - this.s.ttlMs));
      const old = (await this.within(this.client.hKeys(`${this.P}d:${id}`))).filter((k) => k.slice(0, 10) < oldest);
      if (old.length > 0) await this.within(this.client.hDel(`${this.P}d:${id}`, old));
    }
    if (stop()) return;
    await this.purgeWebhooks(now - WEBHOOK_RETRY_MS, stop);
  }

  /**
   * Fills `pa` with the profiles stored before it existed, once per Redis (SCAN walks the whole
   * keyspace, too much for every purge). Until it is done, purge may miss those profiles.
   */
  private async indexProfiles(stop: () => boolean): Promise<void> {
    const done = `${this.P}pa:built`;
    if (await this.within(this.client.exists(done))) return;
    const MATCH = `${this.P.replace(/[*?[\]\\]/g, '\\$&')}p:*`;
    for await (const keys of boundedEach(this.client.scanIterator({ MATCH, TYPE: 'hash', COUNT: PURGE_CHUNK }), this.waitMs)) {
      // Stopped: not marked done, so the next purge walks the keyspace again.
      if (stop()) return;
      if (keys.length > 0) await this.within(this.run('indexProfiles', [this.P, ...keys]));
    }
    await this.within(this.client.set(done, '1'));
  }

  /**
   * Deletes jobs created at or before `cutoff` (SqliteCore.purge's rule): the queue is scored by
   * next attempt, so their age is read from the member. Removing by exact member is safe against
   * a sender that leased one meanwhile: it drops a job that old without a POST.
   */
  private async purgeWebhooks(cutoff: number, stop: () => boolean): Promise<void> {
    const key = `${this.P}wh`;
    for await (const entries of boundedEach(this.client.zScanIterator(key, { COUNT: PURGE_CHUNK }), this.waitMs)) {
      if (stop()) return;
      const old = entries.map((e) => e.value).filter((m) => Number(m.split('|', 2)[1]) <= cutoff);
      if (old.length === 0) continue;
      // Their entries in the per-profile index go too: it holds copies of the bodies (userId).
      const multi = this.client.multi().zRem(key, old);
      for (const m of old) {
        const [seq = ''] = m.split('|', 1);
        const aid = anonymousIdOf(m);
        if (aid !== undefined) multi.hDel(`${this.P}wj:${aid}`, seq);
      }
      await this.within(multi.exec());
    }
  }

  async close(): Promise<void> {
    // A graceful close waits for Redis to answer the commands already sent, which a Redis that is
    // down, or that stopped answering, never does; once it is closing it can no longer be dropped.
    // Redis answers in order, so a PING answered in time means nothing sent before it is left.
    this.link.close();
    this.repair.close();
    const answering = this.client.isReady && await withinTime(this.client.ping(), CLOSE_WAIT_MS, 'Redis').then(() => true, () => false);
    if (answering) await this.client.close();
    else if (this.client.isOpen) this.client.destroy();
  }

  /** Reads `appendonly`/`appendfsync`; `null` when CONFIG is not allowed (managed Redis). */
  async durability(): Promise<{ appendonly: string; appendfsync: string } | null> {
    try {
      const c = await this.client.configGet(['appendonly', 'appendfsync']);
      return { appendonly: String(c.appendonly), appendfsync: String(c.appendfsync) };
    } catch {
      return null;
    }
  }
}
