import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from './Context.js';
import { sendError, sendJson } from './respond.js';
import { ID } from './validateBeacon.js';
import { HISTORY_DAYS } from './Store.js';

// Read routes are for back offices, not browsers: no CORS, never cached.
const NO_STORE = { 'Cache-Control': 'no-store' };

/** Answers 401 and returns false unless the request carries the bearer token. */
function authorize(ctx: Context, req: IncomingMessage, res: ServerResponse): boolean {
  if (ctx.authorized(req.headers.authorization)) return true;
  sendError(res, 401, 'unauthorized', 'missing or wrong bearer token', { ...NO_STORE, 'WWW-Authenticate': 'Bearer' });
  return false;
}

/** `GET` and `DELETE /v1/profiles/:anonymousId`. */
export async function handleProfile(ctx: Context, req: IncomingMessage, res: ServerResponse, rawId: string): Promise<void> {
  if (!authorize(ctx, req, res)) return;
  let id = '';
  try { id = decodeURIComponent(rawId); } catch { /* not a valid id either way */ }
  const valid = ID.test(id);
  if (req.method === 'DELETE') {
    if (valid) await ctx.timely(ctx.store.forget(id, ctx.now()));
    res.writeHead(204, NO_STORE);
    res.end();
    return;
  }
  const profile = valid ? await ctx.timely(ctx.store.profile(id, ctx.now())) : null;
  if (!profile) {
    sendError(res, 404, 'not_found', 'unknown profile', NO_STORE);
    return;
  }
  sendJson(res, 200, profile, NO_STORE);
}

/** `GET /v1/segments?days=N` (1-90, default 90). */
export async function handleSegments(ctx: Context, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
  if (!authorize(ctx, req, res)) return;
  let days = HISTORY_DAYS;
  const q = query.get('days');
  if (q !== null) {
    days = /^\d{1,3}$/.test(q) ? Number(q) : 0;
    if (days < 1 || days > HISTORY_DAYS) {
      sendError(res, 400, 'invalid_query', `days must be an integer from 1 to ${HISTORY_DAYS}`, NO_STORE);
      return;
    }
  }
  sendJson(res, 200, { segments: await ctx.timely(ctx.store.segments(days, ctx.now())) }, NO_STORE);
}

/** Headers every read-route answer carries, errors included. */
export const READ_HEADERS = NO_STORE;
