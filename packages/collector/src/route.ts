// The collector's routes: which handler answers a request, and the headers every answer carries.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from './Context.js';
import { corsHeaders, handleBeacon, handlePreflight } from './handleBeacon.js';
import { handleProfile, handleSegments, READ_HEADERS } from './handleRead.js';
import { sendError, sendJson } from './respond.js';

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
export function pathOf(req: IncomingMessage): string {
  try { return new URL(req.url ?? '/', 'http://collector').pathname; } catch { return ''; }
}

/** `headersFor` a request that `route` did not get to parse (an error answer). */
export function answerHeaders(ctx: Context, req: IncomingMessage): Record<string, string | number> {
  return headersFor(ctx, pathOf(req), req.headers.origin);
}

/** Sends a request to its route's handler; 404 for unknown routes, 405 with `Allow` for wrong methods. */
export function route(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> | void {
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
