import type { ServerResponse } from 'node:http';

/** Error codes the collector answers with, in `{ error }`. */
export type ErrorCode =
  | 'invalid_json' | 'invalid_beacon' | 'invalid_query' | 'origin_not_allowed' | 'payload_too_large'
  | 'rate_limited' | 'unauthorized' | 'not_found' | 'method_not_allowed' | 'request_timeout'
  | 'bad_request' | 'header_too_large' | 'internal';

type Headers = Record<string, string | number>;

/** Sends a JSON answer (never cached by accident: callers add `Cache-Control` where needed). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Sends `{ error, message, path? }`; `message` is always `seglet:`-prefixed and never a stack. */
export function sendError(res: ServerResponse, status: number, error: ErrorCode, message: string, headers: Headers = {}, path?: string): void {
  sendJson(res, status, { error, message: message.startsWith('seglet:') ? message : `seglet: ${message}`, ...(path === undefined ? {} : { path }) }, headers);
}

/** A complete raw HTTP/1.1 error answer, for sockets that have no response object. */
export function rawError(status: number, reason: string, error: ErrorCode, message: string, headers: Headers = {}): string {
  const body = JSON.stringify({ error, message: `seglet: ${message}` });
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `HTTP/1.1 ${status} ${reason}\r\n${extra}Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
