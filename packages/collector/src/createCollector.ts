import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Collector, CollectorOptions } from './types.js';
import type { Context } from './Context.js';
import { RateLimiter } from './RateLimiter.js';
import { assertToken, checkToken } from './checkToken.js';
import { openStore } from './openStore.js';
import { corsHeaders, handleBeacon, handlePreflight } from './handleBeacon.js';
import { handleProfile, handleSegments, READ_HEADERS } from './handleRead.js';
import { rawError, sendError, sendJson } from './respond.js';
import { WebhookSender } from './WebhookSender.js';

const DRAIN_MS = 4_000;
const PURGE_EVERY_MS = 3_600_000;

const isProfilePath = (path: string) => path.startsWith('/v1/profiles/') && path.indexOf('/', 13) === -1 && path.length > 13;

/**
 * Headers every answer to a request for `path` carries, errors included: `no-store` on the read
 * routes (which have no CORS), the CORS headers on the others when the origin is allowed.
 */
function headersFor(ctx: Context, path: string, origin: string | undefined): Record<string, string | number> {
  if (path === '/v1/segments' || isProfilePath(path)) return READ_HEADERS;
  return origin !== undefined && ctx.allowOrigins.has(origin) ? corsHeaders(origin) : {};
}

/** The request's path, `''` when its target does not parse. */
function pathOf(req: IncomingMessage): string {
  try { return new URL(req.url ?? '/', 'http://collector').pathname; } catch { return ''; }
}

/** `headersFor` a request that `route` did not get to parse (an error answer). */
function answerHeaders(ctx: Context, req: IncomingMessage): Record<string, string | number> {
  return headersFor(ctx, pathOf(req), req.headers.origin);
}

function route(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> | void {
  let url: URL;
  try { url = new URL(req.url ?? '/', 'http://collector'); } catch { return sendError(res, 400, 'bad_request', 'malformed request target'); }
  const path = url.pathname;
  const method = req.method ?? 'GET';
  // From the URL parsed above: every beacon passes here, and a second parse is wasted work.
  const headers = headersFor(ctx, path, req.headers.origin);
  const wrongMethod = (allow: string, extra: Record<string, string | number>) =>
    sendError(res, 405, 'method_not_allowed', `use ${allow}`, { ...extra, Allow: allow });
  if (path === '/v1/beacon') {
    if (method === 'POST') return handleBeacon(ctx, req, res);
    if (method === 'OPTIONS') return handlePreflight(ctx, req, res);
    return wrongMethod('POST, OPTIONS', headers);
  }
  if (path === '/v1/segments') {
    if (method === 'GET' || method === 'HEAD') return handleSegments(ctx, req, res, url.searchParams);
    return wrongMethod('GET, HEAD', READ_HEADERS);
  }
  if (isProfilePath(path)) {
    if (method === 'GET' || method === 'HEAD' || method === 'DELETE') return handleProfile(ctx, req, res, path.slice(13));
    return wrongMethod('GET, HEAD, DELETE', READ_HEADERS);
  }
  if (path === '/healthz') {
    if (method === 'GET' || method === 'HEAD') return sendJson(res, 200, { status: 'ok' }, headers);
    return wrongMethod('GET, HEAD', headers);
  }
  return sendError(res, 404, 'not_found', 'no such route', headers);
}

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
  };
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 30_000, headersTimeout);
  let draining = false;
  const server = createServer({
    headersTimeout, requestTimeout, keepAliveTimeout: 5_000,
    // Node checks the two timeouts on this interval (default 30 s): keep it well under them.
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4))),
  });
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (draining) res.setHeader('Connection', 'close');
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
  server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
    const busy = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (!socket.writable || (busy && busy.headersSent)) { socket.destroy(); return; }
    // A request whose headers were parsed (a body too slow) has a route: a browser must be able
    // to read the 408 from an allowed origin like any other answer.
    const headers = busy?.req ? answerHeaders(ctx, busy.req) : {};
    const answer = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? rawError(408, 'Request Timeout', 'request_timeout', 'request not received in time', headers)
      : err.code === 'HPE_HEADER_OVERFLOW' ? rawError(431, 'Request Header Fields Too Large', 'header_too_large', 'request headers too large', headers)
        : rawError(400, 'Bad Request', 'bad_request', 'malformed HTTP request', headers);
    socket.end(answer);
    setTimeout(() => socket.destroy(), 1_000).unref();
  });
  // Without a listener Node closes a CONNECT's socket without a word; it is a method like any other.
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    socket.end(rawError(405, 'Method Not Allowed', 'method_not_allowed', 'CONNECT is not supported', { Allow: 'GET, HEAD, POST, OPTIONS, DELETE' }));
    setTimeout(() => socket.destroy(), 1_000).unref();
  });
  const purge = setInterval(() => { store.purge(now()).catch(report); }, PURGE_EVERY_MS);
  purge.unref();
  let url: string | undefined;
  let closing: Promise<void> | undefined;

  return {
    get url() { return url; },
    store,
    listen() {
      return new Promise<string>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 8787, options.host ?? '127.0.0.1', () => {
          server.off('error', reject);
          const a = server.address();
          const host = typeof a === 'object' && a ? a.address : options.host ?? '127.0.0.1';
          url = `http://${host.includes(':') ? `[${host}]` : host}:${typeof a === 'object' && a ? a.port : options.port}`;
          store.purge(now()).catch(report);
          webhook?.start();
          resolve(url);
        });
      });
    },
    close() {
      closing ??= (async () => {
        draining = true;
        clearInterval(purge);
        await new Promise<void>((resolve) => {
          if (!server.listening) { resolve(); return; }
          const force = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
          server.close(() => { clearTimeout(force); resolve(); });
          server.closeIdleConnections();
        });
        await webhook?.stop();
        await Promise.allSettled(ctx.inflight.values());
        await store.close();
      })();
      return closing;
    },
  };
}
