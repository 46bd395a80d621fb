import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the origin answers for one path. `chunked: true` leaves out Content-Length. */
export interface Route {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: string | Uint8Array;
  chunked?: boolean;
  /**
   * Bytes sent after `body` only once `after` settles (counted in Content-Length): shows whether
   * the worker answers before the origin has finished.
   */
  rest?: { after: Promise<void>; body: Uint8Array };
  /**
   * When it returns true for a request's headers, the origin answers 304 with the route's headers
   * and no body: an origin that honours the validators it is sent, however it compares them.
   */
  notModified?: (headers: IncomingHttpHeaders) => boolean;
}

/** A request the origin received. */
export interface Received { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer }

/** A real node:http server on 127.0.0.1 serving whatever the test puts in `routes`. */
export interface OriginServer {
  url: string;
  routes: Map<string, Route>;
  received: Received[];
  close(): Promise<void>;
}

export async function startOrigin(): Promise<OriginServer> {
  const routes = new Map<string, Route>();
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      received.push({ method: req.method ?? '', url, headers: req.headers, body: Buffer.concat(chunks) });
      const route = routes.get(url.split('?')[0] ?? '/');
      if (!route) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('no route');
        return;
      }
      if (route.notModified?.(req.headers)) {
        res.writeHead(304, { ...route.headers }).end();
        return;
      }
      const body = typeof route.body === 'string' ? Buffer.from(route.body) : Buffer.from(route.body ?? new Uint8Array());
      const headers: Record<string, string | string[] | number> = { ...route.headers };
      const rest = route.rest;
      if (!route.chunked) headers['content-length'] = body.length + (rest?.body.length ?? 0);
      res.writeHead(route.status ?? 200, headers);
      if (rest) {
        res.write(body);
        void rest.after.then(() => res.end(rest.body));
      } else if (route.chunked) {
        // Several writes without Content-Length: a chunked body.
        const step = 64 * 1024;
        for (let at = 0; at < body.length; at += step) res.write(body.subarray(at, at + step));
        res.end();
      } else res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routes,
    received,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
