import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Collector, CollectorOptions } from './types.js';
import type { Context } from './Context.js';
import { RateLimiter } from './RateLimiter.js';
import { assertToken, checkToken } from './checkToken.js';
import { openStore } from './openStore.js';
import { withinTime } from './withinTime.js';
import { answerHeaders, pathOf, route } from './route.js';
import { answerSocketErrors } from './answerSocketErrors.js';
import { sendError } from './respond.js';
import { WebhookSender } from './WebhookSender.js';
import { purgeSchedule } from './purgeSchedule.js';

const DRAIN_MS = 4_000;
const PURGE_EVERY_MS = 3_600_000;

/**
 * Creates a collector: opens its store (SQLite file `db`, default `./seglet.db`, or Redis),
 * without listening yet. Rejects when the database is held by another process or `db` and
 * `redis` are both given.
 *
 * @example
 * const collector = await createCollector({ port: 8787, allowOrigins: ['https://shop.example'], token });
 * console.log(`listening on ${await collector.listen()}`);
 */
export async function createCollector(options: CollectorOptions): Promise<Collector> {
  if (!options.token) throw new Error('seglet: a token is required (--token or SEGLET_TOKEN)');
  assertToken(options.token);
  if (options.webhook && !options.webhook.secret) throw new Error('seglet: webhook.secret must not be empty (anyone could sign with an empty key)');
  const now = options.now ?? Date.now;
  const report = (e: unknown) => console.error('seglet: internal error:', e instanceof Error ? e.message : e);
  const settings = { ttlMs: (options.ttlDays ?? 90) * 86_400_000, webhooks: options.webhook !== undefined };
  const store = options.store ?? (await openStore(options, settings, report));
  const rate = options.rateLimit ?? 100;
  const webhook = options.webhook && new WebhookSender(store, {
    ...options.webhook, backoffMs: options.webhookBackoffMs ?? 1000, maxBackoffMs: options.webhookMaxBackoffMs ?? 3_600_000, now, report,
  });
  const ctx: Context = {
    store, now, report, trustProxy: options.trustProxy ?? false,
    allowOrigins: new Set(options.allowOrigins),
    limiter: rate > 0 ? new RateLimiter(rate, options.burst ?? rate * 2) : null,
    authorized: checkToken(options.token),
    inflight: new Map(),
    applied: () => webhook?.kick(),
    timely: (work) => withinTime(work, options.storeTimeoutMs ?? 5_000, 'the store'),
  };
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 30_000, headersTimeout);
  let draining = false;
  // Answers not yet written: those still being handled when close() starts must close their
  // connection too, or it stays open (keep-alive) until the drain deadline cuts it.
  const unanswered = new Set<ServerResponse>();
  const server = createServer({
    headersTimeout, requestTimeout, keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
    // Node checks the two timeouts on this interval (default 30 s): keep it well under them.
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4))),
  });
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (draining) res.setHeader('Connection', 'close');
    else {
      unanswered.add(res);
      res.once('close', () => unanswered.delete(res));
    }
    Promise.resolve()
      .then(() => route(ctx, req, res))
      .catch((e: unknown) => {
        report(e);
        if (!res.headersSent) sendError(res, 500, 'internal', 'internal error', answerHeaders(ctx, req));
        else res.destroy();
      });
  };
  server.on('request', onRequest);
  // Node would send `100 Continue` before the handler runs, inviting a body that the beacon route
  // may refuse from its headers (origin, rate, Content-Length): it sends it only when it reads,
  // and closes the connection when it answers first. Other routes keep Node's behaviour.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || pathOf(req) !== '/v1/beacon') res.writeContinue();
    onRequest(req, res);
  });
  answerSocketErrors(server, ctx);
  // Aborted by close(): a purge in flight stops at its next step, and close() waits for it before
  // closing the store (a purge still running then would fail, and log, after close() resolved).
  const halt = new AbortController();
  const purges = purgeSchedule((signal) => store.purge(now(), signal), halt.signal, report, PURGE_EVERY_MS, options.purgeRetryMs);
  let url: string | undefined;
  let starting: Promise<unknown> | undefined;
  let closing: Promise<void> | undefined;

  return {
    get url() { return url; },
    store,
    listen() {
      if (closing) return Promise.reject(new Error('seglet: the collector is closed'));
      const listening = new Promise<string>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 8787, options.host ?? '127.0.0.1', () => {
          server.off('error', reject);
          const a = server.address();
          const host = typeof a === 'object' && a ? a.address : options.host ?? '127.0.0.1';
          url = `http://${host.includes(':') ? `[${host}]` : host}:${typeof a === 'object' && a ? a.port : options.port}`;
          // close() was called meanwhile: it closes the server once this callback has run.
          if (!halt.signal.aborted) { purges.run(); webhook?.start(); }
          resolve(url);
        });
      });
      starting = listening.catch(() => {});
      return listening;
    },
    close() {
      closing ??= (async () => {
        draining = true;
        for (const res of unanswered) if (!res.headersSent) res.setHeader('Connection', 'close');
        halt.abort();
        // A listen() still binding: the server is not listening yet, but will be.
        await starting;
        await new Promise<void>((resolve) => {
          if (!server.listening) { resolve(); return; }
          const force = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
          server.close(() => { clearTimeout(force); resolve(); });
          server.closeIdleConnections();
        });
        // The store's work still under way, given as long as a request would be: a store that stopped
        // answering (a stalled Redis) never finishes it, and close() waited for it without end.
        const rest = Promise.allSettled([webhook?.stop(), ...ctx.inflight.values(), purges.running]);
        const stalled = await ctx.timely(rest).then(() => false, () => true);
        if (stalled) report(`the store did not finish its work within ${options.storeTimeoutMs ?? 5_000} ms; closing the store anyway`);
        await store.close();
        // Closed, a store rejects what it was still doing: nothing runs on it once close() resolves.
        if (stalled) await rest;
      })();
      return closing;
    },
  };
}
