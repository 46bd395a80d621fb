// Forgetting a profile is an erasure request: webhook jobs still queued for it must not leave the
// collector afterwards (they carry its anonymousId and userId), while other profiles' jobs do.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import { createClient } from 'redis';
import { batch, post, read, start, tmpDb } from './helpers.js';
import { RedisStore, SqliteStore } from '../src/index.js';
import type { Beacon, Store } from '../src/index.js';

const SECRET = 'whsec-forget';
let n = 0;
const prefix = (what: string) => `${what}${process.pid}:${Date.now()}:${n++}:`;

async function until(check: () => boolean, ms = 8_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A receiver that answers 500 until `heal()`, then 200; it records every body it was sent. */
async function receiver() {
  const tried: string[] = [];
  const got: string[] = [];
  let healed = false;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      tried.push(body);
      if (!healed) { res.writeHead(500).end(); return; }
      got.push(body);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  const url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/hook`;
  return { url, tried, got, server, heal: () => { healed = true; } };
}

const aidOf = (body: string) => (JSON.parse(body) as { anonymousId: string }).anonymousId;

function change(id: string, anonymousId: string, segment: string, t: number, userId?: string): Beacon {
  return { id, anonymousId, forget: false, sentAt: t, changes: [{ segment, member: true, t }], ...(userId ? { userId } : {}) };
}

describe('forget removes queued webhook jobs', () => {
  const cleanup: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c(); });

  const openStore = async (kind: 'sqlite' | 'redis'): Promise<Store> => {
    const settings = { ttlMs: 86_400_000, webhooks: true };
    const store = kind === 'redis'
      ? await RedisStore.connect(inject('redisUrl'), { ...settings, prefix: prefix('whf') })
      : new SqliteStore(tmpDb(), settings);
    cleanup.push(() => store.close());
    return store;
  };

  describe.each(['sqlite', 'redis'] as const)('%s', (kind) => {
    it.each(['route', 'beacon'] as const)('a job waiting for its retry after a 500 is not delivered after a forget (%s); other profiles are', async (via) => {
      const rcv = await receiver();
      cleanup.push(() => { rcv.server.closeAllConnections(); rcv.server.close(); });
      const store = await openStore(kind);
      // Retries come 0.5-1 s after a failure: the forget below lands while both jobs wait.
      const { url, collector } = await start({ store, webhook: { url: rcv.url, secret: SECRET }, webhookBackoffMs: 1_000, webhookMaxBackoffMs: 1_000 });
      cleanup.push(() => collector.close());
      const T = Date.now() - 1_000;
      expect((await post(url, batch('gone', [{ segment: 'vip', member: true, t: T }], { userId: 'crm-gone' }))).status).toBe(204);
      expect((await post(url, batch('kept', [{ segment: 'vip', member: true, t: T }], { userId: 'crm-kept' }))).status).toBe(204);
      await until(() => rcv.tried.some((b) => aidOf(b) === 'gone') && rcv.tried.some((b) => aidOf(b) === 'kept'));
      if (via === 'route') expect((await read(url, '/v1/profiles/gone', 'DELETE')).status).toBe(204);
      else expect((await post(url, { v: 1, id: `forget-${Date.now()}`, anonymousId: 'gone', forget: true })).status).toBe(204);
      rcv.heal();
      await until(() => rcv.got.some((b) => aidOf(b) === 'kept'));
      // Past every retry the sender could still have scheduled for the forgotten profile.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(rcv.got.map(aidOf)).toEqual(['kept']);
      expect(JSON.parse(rcv.got[0]!)).toMatchObject({ anonymousId: 'kept', userId: 'crm-kept', segment: 'vip', member: true });
      expect(rcv.tried.filter((b) => aidOf(b) === 'gone')).toHaveLength(1);
    });

    it.each(['forget()', 'forget beacon'] as const)('%s deletes the queued jobs of that id only, in the store', async (via) => {
      const store = await openStore(kind);
      const t0 = Date.now();
      await store.apply(change('g1', 'gone', 'a', t0, 'crm-gone'), t0);
      await store.apply(change('g2', 'gone', 'b', t0), t0);
      await store.apply(change('k1', 'kept', 'a', t0, 'crm-kept'), t0);
      await store.apply(change('o1', 'gone-not', 'a', t0), t0);
      if (via === 'forget()') await store.forget('gone', t0 + 1);
      else expect(await store.apply({ id: 'f1', anonymousId: 'gone', forget: true, changes: [] }, t0 + 1)).toBe('applied');
      const jobs = await store.takeWebhooks(t0 + 2, 10, 60_000);
      expect(jobs.map((j) => aidOf(j.body)).sort()).toEqual(['gone-not', 'kept']);
      expect(jobs.some((j) => j.body.includes('crm-gone'))).toBe(false);
    });

    it('a job leased before the forget and settled for a retry after it is not queued again', async () => {
      const store = await openStore(kind);
      const t0 = Date.now();
      await store.apply(change('g1', 'gone', 'a', t0, 'crm-gone'), t0);
      await store.apply(change('k1', 'kept', 'a', t0), t0);
      const leased = await store.takeWebhooks(t0, 10, 60_000);
      expect(leased).toHaveLength(2);
      await store.forget('gone', t0 + 1);
      // The deliveries in flight failed (a 500): the sender reschedules both.
      for (const job of leased) await store.settleWebhook(job, t0 + 2);
      const again = await store.takeWebhooks(t0 + 3, 10, 60_000);
      expect(again.map((j) => aidOf(j.body))).toEqual(['kept']);
      expect(again[0]!.attempts).toBe(1);
    });
  });

  it('sqlite: a database from the previous version opens, and forget removes the jobs it already held', async () => {
    const file = tmpDb();
    // The webhook table as the previous version created it (no index by anonymous id).
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec(`
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
`);
    const t0 = Date.now();
    const insert = old.prepare('INSERT INTO webhooks (body, created_at, next_at, attempts) VALUES (?, ?, ?, ?)');
    insert.run(JSON.stringify({ anonymousId: 'gone', userId: 'crm-gone', segment: 'a', member: true, t: t0 }), t0, t0 + 5_000, 2);
    insert.run(JSON.stringify({ anonymousId: 'kept', segment: 'a', member: true, t: t0 }), t0, t0, 0);
    old.close();
    const store = new SqliteStore(file, { ttlMs: 86_400_000, webhooks: true });
    cleanup.push(() => store.close());
    await store.forget('gone', t0 + 1);
    expect((await store.takeWebhooks(t0 + 10_000, 10, 60_000)).map((j) => aidOf(j.body))).toEqual(['kept']);
    await store.close();
    // The forget finds a profile's jobs through an index, not by reading the whole queue.
    const check = new Database(file, { readonly: true });
    cleanup.push(() => check.close());
    const plan = check.prepare("EXPLAIN QUERY PLAN DELETE FROM webhooks WHERE json_extract(body, '$.anonymousId') = ?").all('x') as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX webhooks_aid/);
  });

  it('redis: jobs queued by the previous version (not indexed by id) are never delivered after a forget', async () => {
    const P = prefix('whlegacy');
    const store = await RedisStore.connect(inject('redisUrl'), { ttlMs: 86_400_000, webhooks: true, prefix: P });
    const client = createClient({ url: inject('redisUrl') });
    await client.connect();
    cleanup.push(() => store.close(), () => client.close());
    const t0 = Date.now();
    const body = (aid: string) => JSON.stringify({ anonymousId: aid, userId: `crm-${aid}`, segment: 'a', member: true, t: t0 });
    await client.zAdd(`${P}wh`, [
      { score: t0, value: `${'1'.padStart(16, '0')}|${t0}|0|${body('gone')}` },
      { score: t0, value: `2|${t0}|1|${body('kept')}` },
    ]);
    await store.forget('gone', t0 + 1);
    expect((await store.takeWebhooks(t0 + 2, 10, 60_000)).map((j) => aidOf(j.body))).toEqual(['kept']);
    // Nothing of the forgotten profile is left in the queue either.
    expect((await client.zRange(`${P}wh`, 0, -1)).filter((m) => m.includes('crm-gone'))).toEqual([]);
  });

  it('redis: the per-profile job index (it holds copies of the bodies) goes with the jobs: delivered, forgotten, purged', async () => {
    const P = prefix('whindex');
    const store = await RedisStore.connect(inject('redisUrl'), { ttlMs: 86_400_000, webhooks: true, prefix: P });
    const client = createClient({ url: inject('redisUrl') });
    await client.connect();
    cleanup.push(() => store.close(), () => client.close());
    const t0 = Date.now();
    await store.apply(change('d1', 'delivered', 'a', t0, 'crm-d'), t0);
    await store.apply(change('f1', 'forgotten', 'a', t0, 'crm-f'), t0);
    await store.apply(change('p1', 'purged', 'a', t0, 'crm-p'), t0);
    expect(await client.exists([`${P}wj:delivered`, `${P}wj:forgotten`, `${P}wj:purged`])).toBe(3);
    const [delivered] = (await store.takeWebhooks(t0, 10, 60_000)).filter((j) => aidOf(j.body) === 'delivered');
    await store.settleWebhook(delivered!, t0 + 1);
    const [retried] = await store.takeWebhooks(t0 + 1, 10, 60_000);
    expect(aidOf(retried!.body)).toBe('delivered');
    await store.settleWebhook(retried!, null);
    await store.forget('forgotten', t0 + 2);
    await store.purge(t0 + 86_400_000);
    expect(await client.exists([`${P}wj:delivered`, `${P}wj:forgotten`, `${P}wj:purged`])).toBe(0);
    expect(await client.zCard(`${P}wh`)).toBe(0);
  });
});
