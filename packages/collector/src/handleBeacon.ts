import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from './Context.js';
import { MAX_BODY } from './Context.js';
import { readBody } from './readBody.js';
import { sendError } from './respond.js';
import { JsonSyntaxError, parseStrictJson } from './parseStrictJson.js';
import { SchemaError, validateBeacon } from './validateBeacon.js';
import type { ApplyOutcome, Beacon } from './types.js';

type Headers = Record<string, string | number>;

/** CORS headers for an allowed origin (every beacon-route answer to it carries them). */
export function corsHeaders(origin: string): Headers {
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'Retry-After', Vary: 'Origin' };
}

function clientKey(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = req.headers['x-forwarded-for'];
    // The rightmost entry is the one our own proxy added; entries left of it are client-supplied.
    const last = (Array.isArray(xff) ? xff.join(',') : xff ?? '').split(',').map((s) => s.trim()).filter(Boolean).pop();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/** `OPTIONS /v1/beacon`: the CORS preflight. */
export function handlePreflight(ctx: Context, req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (origin === undefined || !ctx.allowOrigins.has(origin)) {
    sendError(res, 403, 'origin_not_allowed', 'origin not allowed', { Vary: 'Origin' });
    return;
  }
  res.writeHead(204, {
    ...corsHeaders(origin), 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Content-Type', 'Access-Control-Max-Age': 86400,
  });
  res.end();
}

/** `POST /v1/beacon`: validate, de-duplicate, apply durably, then answer 204. */
export async function handleBeacon(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const origin = req.headers.origin;
  // Answers sent before the body is read close the connection: the unread rest is never parsed.
  const early = { Vary: 'Origin', Connection: 'close' };
  if (origin === undefined || origin === 'null' || !ctx.allowOrigins.has(origin)) {
    // Readable by any page (it says nothing but the refusal): a browser that cannot read it sees a
    // network error, and the beacon retried every batch for 24 h instead of dropping it as a 4xx.
    sendError(res, 403, 'origin_not_allowed', 'origin not allowed', { ...early, 'Access-Control-Allow-Origin': '*' });
    return;
  }
  const cors = corsHeaders(origin);
  if (ctx.limiter) {
    const wait = ctx.limiter.take(clientKey(req, ctx.trustProxy), ctx.now());
    if (wait > 0) {
      sendError(res, 429, 'rate_limited', 'too many beacons from this client', { ...cors, ...early, 'Retry-After': wait });
      return;
    }
  }
  const length = Number(req.headers['content-length']);
  if (length > MAX_BODY) {
    sendError(res, 413, 'payload_too_large', `body over ${MAX_BODY} bytes`, { ...cors, ...early });
    return;
  }
  if (/100-continue/i.test(req.headers.expect ?? '')) res.writeContinue();
  const raw = await readBody(req, MAX_BODY);
  if (raw === 'aborted') return;
  if (raw === 'too_large') {
    sendError(res, 413, 'payload_too_large', `body over ${MAX_BODY} bytes`, { ...cors, ...early });
    return;
  }
  const now = ctx.now();
  let beacon: Beacon;
  try {
    beacon = validateBeacon(parseStrictJson(raw), now);
  } catch (e) {
    if (e instanceof JsonSyntaxError) sendError(res, 400, 'invalid_json', e.message, cors);
    // Date exposed too: a page whose clock runs over a day fast has its `sentAt` refused, and
    // sends the batch again on the collector's clock, read from it.
    else if (e instanceof SchemaError) sendError(res, 400, 'invalid_beacon', e.message, { ...cors, 'Access-Control-Expose-Headers': 'Retry-After, Date' }, e.path);
    else throw e;
    return;
  }
  try {
    await applyOnce(ctx, beacon, now);
  } catch (e) {
    ctx.report(e);
    sendError(res, 500, 'internal', 'storage failed; retry later', cors);
    return;
  }
  res.writeHead(204, cors);
  res.end();
}

async function applyOnce(ctx: Context, beacon: Beacon, now: number): Promise<ApplyOutcome> {
  const running = ctx.inflight.get(beacon.id);
  if (running) {
    // The original's outcome decides: acknowledged only once it is committed; if it failed, try again.
    const committed = await ctx.timely(running.then(() => true, () => false));
    return committed ? 'duplicate' : applyOnce(ctx, beacon, ctx.now());
  }
  const p = ctx.store.apply(beacon, now);
  ctx.inflight.set(beacon.id, p);
  // In flight until the store answers, even after this request gave up waiting: a retry of the
  // batch then waits for it instead of applying it a second time beside it.
  // Its failure is this request's to answer (through timely); a throwing `applied` is reported, never left unhandled.
  void p.then((outcome) => { if (outcome === 'applied') ctx.applied(); }, () => {}).catch(ctx.report).finally(() => { ctx.inflight.delete(beacon.id); });
  return ctx.timely(p);
}
