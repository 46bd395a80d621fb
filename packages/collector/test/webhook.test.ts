import { afterEach, describe, expect, inject, it } from 'vitest';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { batch, post, start, tmpDb } from './helpers.js';
import { RedisStore, SqliteStore } from '../src/index.js';
import type { Beacon, Collector, Store } from '../src/index.js';
import { WebhookSender } from '../src/WebhookSender.js';

const SECRET = 'whsec-test';

interface Received { body: string; signature: string | undefined }

/** A local receiver that fails the first `failures` deliveries with 503. */
async function receiver(failures = 0): Promise<{ url: string; got: Received[]; server: Server; attempts: () => number }> {
  const got: Received[] = [];
  let attempts = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      attempts++;
      if (attempts <= failures) { res.writeHead(503).end(); return; }
      got.push({ body, signature: req.headers['x-seglet-signature'] as string | undefined });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  return { url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/hook`, got, server, attempts: () => attempts };
}

const verify = (r: Received) => {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`);
  const given = Buffer.from(r.signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

async function until(check: () => boolean, ms = 8_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('webhook', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c(); });

  it.each(['sqlite', 'redis'] as const)('POSTs each applied change, signed, retried with backoff (%s)', async (kind) => {
    const rcv = await receiver(2);
    cleanup.push(() => { rcv.server.close(); });
    const store = kind === 'redis'
      ? await RedisStore.connect(inject('redisUrl'), { ttlMs: 86_400_000, webhooks: true, prefix: `wh${Date.now()}:` })
      : undefined;
    const { url, collector } = await start({ webhook: { url: rcv.url, secret: SECRET }, webhookBackoffMs: 50, webhookMaxBackoffMs: 200, ...(store ? { store } : {}) });
    cleanup.push(() => collector.close());
    const T = Date.now() - 1000;
    expect((await post(url, batch('w1', [{ segment: 'hot', member: true, t: T }, { segment: 'cold', member: false, t: T }], { userId: 'crm-7' }))).status).toBe(204);
    await until(() => rcv.got.length >= 1);
    expect(rcv.attempts()).toBe(3);
    expect(rcv.got).toHaveLength(1);
    expect(JSON.parse(rcv.got[0]!.body)).toEqual({ anonymousId: 'w1', userId: 'crm-7', segment: 'hot', member: true, t: T });
    expect(verify(rcv.got[0]!)).toBe(true);
    // A duplicate batch sends nothing new; an exit does.
    expect((await post(url, batch('w1', [{ segment: 'hot', member: true, t: T + 1 }]))).status).toBe(204);
    expect((await post(url, batch('w1', [{ segment: 'hot', member: false, t: T + 2 }]))).status).toBe(204);
    await until(() => rcv.got.length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(rcv.got.map((g) => JSON.parse(g.body).member)).toEqual([true, false]);
    expect(rcv.got.every(verify)).toBe(true);
  });

  it('keeps undelivered changes across a restart (persisted queue)', async () => {
    const db = tmpDb();
    const first = await start({ db, webhook: { url: 'http://127.0.0.1:9/unreachable', secret: SECRET }, webhookBackoffMs: 50 });
    expect((await post(first.url, batch('w2', [{ segment: 'later', member: true, t: Date.now() }]))).status).toBe(204);
    await first.collector.close();
    const rcv = await receiver();
    cleanup.push(() => { rcv.server.close(); });
    let second: Collector | undefined = undefined;
    // Leases from the first process expire after 60 s; a fresh queue row is due at once.
    second = (await start({ db, webhook: { url: rcv.url, secret: SECRET }, webhookBackoffMs: 50, webhookMaxBackoffMs: 100, now: () => Date.now() + 61_000 })).collector;
    cleanup.push(() => second?.close());
    await until(() => rcv.got.length >= 1);
    expect(JSON.parse(rcv.got[0]!.body)).toMatchObject({ anonymousId: 'w2', segment: 'later', member: true });
    expect(verify(rcv.got[0]!)).toBe(true);
  });
  it('close does not wait for a receiver that never answers; the change is delivered after a restart', async () => {
    const hang = createServer(() => { /* never answers */ });
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    cleanup.push(() => { hang.closeAllConnections(); hang.close(); });
    const a = hang.address();
    const db = tmpDb();
    const first = await start({ db, webhook: { url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/hook`, secret: SECRET } });
    let hit = false;
    hang.once('request', () => { hit = true; });
    expect((await post(first.url, batch('w3', [{ segment: 'stuck', member: true, t: Date.now() }]))).status).toBe(204);
    await until(() => hit);
    const t0 = Date.now();
    await first.collector.close();
    // The CLI must exit within 5 s of SIGTERM; a 10 s delivery timeout must not hold close().
    expect(Date.now() - t0).toBeLessThan(2_000);
    // The aborted delivery is not lost: it is rescheduled, not left leased for a minute.
    const rcv = await receiver();
    cleanup.push(() => { rcv.server.close(); });
    const second = await start({ db, webhook: { url: rcv.url, secret: SECRET }, now: () => Date.now() + 2_000 });
    cleanup.push(() => second.collector.close());
    await until(() => rcv.got.length >= 1);
    expect(JSON.parse(rcv.got[0]!.body)).toMatchObject({ anonymousId: 'w3', segment: 'stuck', member: true });
  });

  it('stop() while jobs are being taken: they are not POSTed, do not hold stop() for the delivery timeout, and are due again at once', async () => {
    const hang = createServer(() => { /* never answers */ });
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    cleanup.push(() => { hang.closeAllConnections(); hang.close(); });
    let hit = false;
    hang.on('request', () => { hit = true; });
    const a = hang.address();
    const store = new SqliteStore(tmpDb(), { ttlMs: 86_400_000, webhooks: true });
    cleanup.push(() => store.close());
    const t0 = Date.now();
    await store.apply({ id: 'slow-take', anonymousId: 'w4', forget: false, sentAt: t0, changes: [{ segment: 'held', member: true, t: t0 }] }, t0);
    // The store answers takeWebhooks late (a busy database, a purge ahead in its queue), so
    // stop() lands while the sender is waiting for its jobs.
    let release = () => {};
    const gate = new Promise<void>((r) => { release = r; });
    let taking = false;
    const slow = {
      takeWebhooks: async (now: number, limit: number, leaseMs: number) => { taking = true; await gate; return store.takeWebhooks(now, limit, leaseMs); },
      settleWebhook: (job: Parameters<Store['settleWebhook']>[0], retryAt: number | null) => store.settleWebhook(job, retryAt),
    } as unknown as Store;
    const sender = new WebhookSender(slow, { url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/hook`, secret: SECRET, backoffMs: 50, maxBackoffMs: 100, now: Date.now, report: () => {} });
    sender.start();
    await until(() => taking);
    const stopped = sender.stop();
    const t1 = Date.now();
    release();
    await stopped;
    // The CLI has 5 s from SIGTERM to exit; a 10 s delivery timeout must not hold stop().
    expect(Date.now() - t1).toBeLessThan(2_000);
    expect(hit).toBe(false);
    // Not left leased for a minute: the next start delivers it at once.
    expect((await store.takeWebhooks(Date.now() + 1_000, 10, 60_000)).map((j) => JSON.parse(j.body).segment)).toEqual(['held']);
  });

  it('more than 10 deliveries in flight at once raise no MaxListenersExceededWarning (a false leak alarm in the logs)', async () => {
    // Holds every delivery until 20 are in flight at once, then answers them all.
    const held: (() => void)[] = [];
    let answered = 0;
    const slow = createServer((req, res) => {
      req.resume();
      held.push(() => { answered++; res.writeHead(200).end(); });
      if (held.length >= 20) for (const answer of held.splice(0)) answer();
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    cleanup.push(() => { slow.closeAllConnections(); slow.close(); });
    const a = slow.address();
    const warnings: string[] = [];
    const onWarning = (w: Error) => { warnings.push(`${w.name}: ${w.message}`); };
    process.on('warning', onWarning);
    cleanup.push(() => { process.off('warning', onWarning); });
    const store = new SqliteStore(tmpDb(), { ttlMs: 86_400_000, webhooks: true });
    cleanup.push(() => store.close());
    const t0 = Date.now();
    // One batch of 20 changes: 20 jobs, delivered concurrently in one round.
    await store.apply({ id: 'wide', anonymousId: 'w5', forget: false, sentAt: t0, changes: Array.from({ length: 20 }, (_, i) => ({ segment: `s${i}`, member: true, t: t0 })) }, t0);
    const sender = new WebhookSender(store, { url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/hook`, secret: SECRET, backoffMs: 50, maxBackoffMs: 100, now: Date.now, report: () => {} });
    cleanup.push(() => sender.stop());
    sender.start();
    await until(() => answered >= 20);
    // Warnings are emitted on a later tick.
    await new Promise((r) => setTimeout(r, 100));
    expect(warnings.filter((w) => w.includes('MaxListeners'))).toEqual([]);
  });

  it.each(['sqlite', 'redis'] as const)('drops a job 24 h old instead of delivering it, even before a purge (%s)', async (kind) => {
    const rcv = await receiver();
    cleanup.push(() => { rcv.server.close(); });
    const settings = { ttlMs: 86_400_000, webhooks: true };
    const store = kind === 'redis'
      ? await RedisStore.connect(inject('redisUrl'), { ...settings, prefix: `whold${Date.now()}:` })
      : new SqliteStore(tmpDb(), settings);
    cleanup.push(() => store.close());
    const t0 = Date.now();
    const change = (id: string, segment: string): Beacon => ({ id, anonymousId: 'w3', forget: false, sentAt: t0, changes: [{ segment, member: true, t: t0 }] });
    await store.apply(change('old', 'stale'), t0);
    await store.apply(change('new', 'fresh'), t0 + 1);
    // A collector that was down (or ran without --webhook) for a day starts its sender.
    const later = t0 + 24 * 3600_000;
    const errors: unknown[] = [];
    const sender = new WebhookSender(store, { url: rcv.url, secret: SECRET, backoffMs: 50, maxBackoffMs: 100, now: () => later, report: (e) => errors.push(e) });
    cleanup.push(() => sender.stop());
    sender.start();
    await until(() => rcv.got.length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(rcv.got.map((g) => JSON.parse(g.body).segment)).toEqual(['fresh']);
    expect(await store.takeWebhooks(later + 120_000, 10, 60_000)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
