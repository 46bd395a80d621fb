import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Context } from './Context.js';
import { answerHeaders } from './route.js';
import { rawError } from './respond.js';

/**
 * Answers what never reaches a request handler, on the raw socket: malformed or slow requests
 * (400, 408, 431) and CONNECT (405), then closes the connection.
 */
export function answerSocketErrors(server: Server, ctx: Context): void {
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
  server.on('connect', (_req: unknown, socket: Socket) => {
    socket.end(rawError(405, 'Method Not Allowed', 'method_not_allowed', 'CONNECT is not supported', { Allow: 'GET, HEAD, POST, OPTIONS, DELETE' }));
    setTimeout(() => socket.destroy(), 1_000).unref();
  });
}
