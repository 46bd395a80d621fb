import Database from 'better-sqlite3';
import { DEDUP_MS, HISTORY_DAYS, WEBHOOK_RETRY_MS } from './Store.js';
import type { StoreSettings } from './Store.js';
import { PURGE_STEP } from './nextPurgeLimit.js';
import { planBatch } from './planBatch.js';
import type { SegmentState } from './planBatch.js';
import { changeDay, dayWindow, utcDay } from './utcDay.js';
import type { ApplyOutcome, Beacon, Profile, SegmentStats, WebhookJob } from './types.js';

// webhooks_aid lets a forget delete a profile's queued jobs without reading the whole queue. It
// indexes the id inside the body rather than adding a column, so a database from a version
// without it needs no migration: opening it builds the index from the jobs already queued.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS profiles (aid TEXT PRIMARY KEY, user_id TEXT, updated_at INTEGER NOT NULL, set_t INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS profiles_updated ON profiles (updated_at);
CREATE TABLE IF NOT EXISTS memberships (aid TEXT NOT NULL, segment TEXT NOT NULL, member INTEGER NOT NULL, t INTEGER NOT NULL, PRIMARY KEY (aid, segment)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS memberships_segment ON memberships (segment, member);
CREATE TABLE IF NOT EXISTS batches (id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS batches_at ON batches (at);
CREATE TABLE IF NOT EXISTS tombstones (aid TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS days (segment TEXT NOT NULL, day TEXT NOT NULL, enters INTEGER NOT NULL, exits INTEGER NOT NULL, PRIMARY KEY (segment, day)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS webhooks (id INTEGER PRIMARY KEY, body TEXT NOT NULL, created_at INTEGER NOT NULL, next_at INTEGER NOT NULL, attempts INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS webhooks_next ON webhooks (next_at);
CREATE INDEX IF NOT EXISTS webhooks_aid ON webhooks (json_extract(body, '$.anonymousId'));
`;

function statements(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  return {
    seen: p('SELECT 1 FROM batches WHERE id = ?'),
    remember: p('INSERT INTO batches (id, at) VALUES (?, ?)'),
    tombstone: p('SELECT 1 FROM tombstones WHERE aid = ? AND at > ?'),
    addTombstone: p('INSERT OR REPLACE INTO tombstones (aid, at) VALUES (?, ?)'),
    profile: p('SELECT user_id, updated_at, set_t FROM profiles WHERE aid = ?'),
    states: p('SELECT segment, member, t FROM memberships WHERE aid = ?'),
    putProfile: p('INSERT OR REPLACE INTO profiles (aid, user_id, updated_at, set_t) VALUES (?, ?, ?, ?)'),
    putState: p('INSERT OR REPLACE INTO memberships (aid, segment, member, t) VALUES (?, ?, ?, ?)'),
    count: p('INSERT INTO days (segment, day, enters, exits) VALUES (?, ?, ?, ?) ON CONFLICT (segment, day) DO UPDATE SET enters = enters + excluded.enters, exits = exits + excluded.exits'),
    enqueue: p('INSERT INTO webhooks (body, created_at, next_at, attempts) VALUES (?, ?, ?, 0)'),
    delProfile: p('DELETE FROM profiles WHERE aid = ?'),
    delStates: p('DELETE FROM memberships WHERE aid = ?'),
    // Same expression as the webhooks_aid index, so the planner uses it.
    delWebhooks: p("DELETE FROM webhooks WHERE json_extract(body, '$.anonymousId') = ?"),
    members: p('SELECT m.segment AS segment, COUNT(*) AS n FROM memberships m JOIN profiles p ON p.aid = m.aid WHERE m.member = 1 AND p.updated_at > ? GROUP BY m.segment'),
    history: p('SELECT segment, day, enters, exits FROM days WHERE day >= ?'),
    due: p('SELECT id, body, created_at, attempts FROM webhooks WHERE next_at <= ? ORDER BY next_at LIMIT ?'),
    lease: p('UPDATE webhooks SET next_at = ? WHERE id = ?'),
    retry: p('UPDATE webhooks SET next_at = ?, attempts = attempts + 1 WHERE id = ?'),
    done: p('DELETE FROM webhooks WHERE id = ?'),
    // Purge steps: at most `limit` rows of each kind, oldest-first where an index gives the order.
    expired: p('SELECT aid FROM profiles WHERE updated_at <= ? ORDER BY updated_at LIMIT ?').pluck(),
    oldBatches: p('DELETE FROM batches WHERE id IN (SELECT id FROM batches WHERE at <= ? ORDER BY at LIMIT ?)'),
    oldTombstones: p('DELETE FROM tombstones WHERE aid IN (SELECT aid FROM tombstones WHERE at <= ? LIMIT ?)'),
    oldDays: p('DELETE FROM days WHERE (segment, day) IN (SELECT segment, day FROM days WHERE day < ? LIMIT ?)'),
    oldWebhooks: p('DELETE FROM webhooks WHERE id IN (SELECT id FROM webhooks WHERE created_at <= ? LIMIT ?)'),
  };
}


/**
 * The synchronous SQLite side of {@link SqliteStore}: runs on the main thread or in the store's
 * worker thread. Durability: WAL journal with `synchronous=FULL`, so every commit is fsynced
 * before it returns. `locking_mode=EXCLUSIVE` plus an immediate write transaction at open makes a
 * second process (or connection) fail to open the same file instead of sharing it.
 */
export class SqliteCore {
  private readonly db: Database.Database;
  private readonly settings: StoreSettings;
  private readonly q: ReturnType<typeof statements>;

  /** Opens (creating if missing) `file`; throws `seglet: database ... is in use` when locked. */
  constructor(file: string, settings: StoreSettings) {
    this.settings = settings;
    this.db = new Database(file, { timeout: 200 });
    try {
      this.db.pragma('locking_mode = EXCLUSIVE');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.exec('BEGIN IMMEDIATE; COMMIT;');
    } catch (e) {
      this.db.close();
      const busy = (e as { code?: string }).code?.startsWith('SQLITE_BUSY');
      throw new Error(busy ? `seglet: database ${file} is in use by another process` : `seglet: cannot open ${file}: ${(e as Error).message}`);
    }
    this.db.exec(SCHEMA);
    this.q = statements(this.db);
  }

  /** Applies a group of beacons in one transaction (one fsync); outcomes in order. */
  applyGroup(group: { beacon: Beacon; now: number }[]): ApplyOutcome[] {
    return this.db.transaction(() => group.map((p) => this.applyOne(p.beacon, p.now)))();
  }

  private applyOne(b: Beacon, now: number): ApplyOutcome {
    if (this.q.seen.get(b.id)) return 'duplicate';
    this.q.remember.run(b.id, now);
    if (b.forget) { this.forgetNow(b.anonymousId, now); return 'applied'; }
    if (this.q.tombstone.get(b.anonymousId, now - DEDUP_MS)) return 'dropped';
    const row = this.q.profile.get(b.anonymousId) as { user_id: string | null; updated_at: number; set_t: number } | undefined;
    const live = row !== undefined && row.updated_at > now - this.settings.ttlMs;
    if (row && !live) this.q.delStates.run(b.anonymousId);
    const stored = new Map<string, SegmentState>();
    if (live) {
      for (const s of this.q.states.all(b.anonymousId) as { segment: string; member: number; t: number }[]) {
        stored.set(s.segment, { member: s.member === 1, t: s.t });
      }
    }
    const plan = planBatch(stored, live ? row.set_t : -1, b);
    const userId = b.userId ?? (live ? row.user_id : null);
    this.q.putProfile.run(b.anonymousId, userId, now, plan.setT);
    for (const [segment, s] of plan.writes) this.q.putState.run(b.anonymousId, segment, s.member ? 1 : 0, s.t);
    for (const c of plan.transitions) {
      this.q.count.run(c.segment, changeDay(c.t, now), c.member ? 1 : 0, c.member ? 0 : 1);
      if (this.settings.webhooks) {
        const body = JSON.stringify({ anonymousId: b.anonymousId, ...(userId === null ? {} : { userId }), segment: c.segment, member: c.member, t: c.t });
        this.q.enqueue.run(body, now, now);
      }
    }
    return 'applied';
  }

  private forgetNow(anonymousId: string, now: number): void {
    this.q.delProfile.run(anonymousId);
    this.q.delStates.run(anonymousId);
    // Queued jobs carry the anonymousId and userId: after an erasure none may be POSTed. A job
    // leased by a delivery already in flight may still arrive; its settle then finds no row, so
    // a failed one is not retried.
    this.q.delWebhooks.run(anonymousId);
    this.q.addTombstone.run(anonymousId, now);
  }

  forget(anonymousId: string, now: number): void {
    this.db.transaction(() => this.forgetNow(anonymousId, now))();
  }

  profile(anonymousId: string, now: number): Profile | null {
    const row = this.q.profile.get(anonymousId) as { user_id: string | null; updated_at: number } | undefined;
    if (!row || row.updated_at <= now - this.settings.ttlMs) return null;
    const members = (this.q.states.all(anonymousId) as { segment: string; member: number }[])
      .filter((s) => s.member === 1).map((s) => s.segment).sort();
    return { members, updatedAt: row.updated_at, ...(row.user_id === null ? {} : { userId: row.user_id }) };
  }

  segments(days: number, now: number): SegmentStats[] {
    const window = dayWindow(days, now);
    const stats = new Map<string, SegmentStats>();
    const get = (id: string) => {
      let s = stats.get(id);
      if (!s) { s = { id, members: 0, days: window.map((day) => ({ day, enters: 0, exits: 0 })) }; stats.set(id, s); }
      return s;
    };
    for (const r of this.q.members.all(now - this.settings.ttlMs) as { segment: string; n: number }[]) get(r.segment).members = r.n;
    const index = new Map(window.map((d, i) => [d, i]));
    for (const r of this.q.history.all(window[0]) as { segment: string; day: string; enters: number; exits: number }[]) {
      const i = index.get(r.day);
      if (i === undefined) continue;
      get(r.segment).days[i] = { day: r.day, enters: r.enters, exits: r.exits };
    }
    return [...stats.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  takeWebhooks(now: number, limit: number, leaseMs: number): WebhookJob[] {
    return this.db.transaction(() => {
      const rows = this.q.due.all(now, limit) as { id: number; body: string; created_at: number; attempts: number }[];
      for (const r of rows) this.q.lease.run(now + leaseMs, r.id);
      return rows.map((r) => ({ id: String(r.id), body: r.body, createdAt: r.created_at, attempts: r.attempts }));
    })();
  }

  settleWebhook(job: WebhookJob, retryAt: number | null): void {
    if (retryAt === null) this.q.done.run(Number(job.id));
    else this.q.retry.run(retryAt, Number(job.id));
  }

  /**
   * One step of the purge, in its own transaction: at most `limit` of each kind of expired row
   * (profiles with their memberships, de-duplication ids, tombstones, daily counts, webhook jobs).
   * True when a kind may have more (call again). In steps, as one transaction held every beacon
   * behind it: 300,000 ids and 100,000 profiles took 0.6 s here.
   */
  purge(now: number, limit = PURGE_STEP): boolean {
    return this.db.transaction(() => {
      const aids = this.q.expired.all(now - this.settings.ttlMs, limit) as string[];
      for (const aid of aids) {
        this.q.delStates.run(aid);
        this.q.delProfile.run(aid);
      }
      const counts = [
        aids.length,
        this.q.oldBatches.run(now - DEDUP_MS, limit).changes,
        this.q.oldTombstones.run(now - DEDUP_MS, limit).changes,
        this.q.oldDays.run(utcDay(now - HISTORY_DAYS * 86_400_000), limit).changes,
        this.q.oldWebhooks.run(now - WEBHOOK_RETRY_MS, limit).changes,
      ];
      return counts.some((n) => n >= limit);
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
