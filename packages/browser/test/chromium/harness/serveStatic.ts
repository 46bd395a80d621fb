import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.cjs': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.css': 'text/css',
};

/** URL prefix to directory, e.g. `{ '/': pagesDir, '/dist/core/': coreDist }`; longest prefix wins. */
export type Mounts = Record<string, string>;

/**
 * A tiny static server on 127.0.0.1 (random port) for test pages and built bundles. No caching
 * headers that would let Chromium skip a request, no directory listings, no path escapes.
 */
export async function serveStatic(mounts: Mounts): Promise<{ url: string; server: Server }> {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const prefix = prefixes.find((p) => path.startsWith(p));
    const root = prefix === undefined ? undefined : mounts[prefix];
    const rel = prefix === undefined ? '' : path.slice(prefix.length);
    const file = root === undefined ? '' : normalize(join(root, rel === '' ? 'index.html' : rel));
    let ok = false;
    try { ok = root !== undefined && (file + sep).startsWith(root + sep) && statSync(file).isFile(); } catch { ok = false; }
    if (!ok) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('seglet: test server has no port');
  return { url: `http://127.0.0.1:${address.port}`, server };
}
