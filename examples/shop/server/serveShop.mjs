// The shop's web server: plain static files, plus the one reverse-proxy rule a real site would
// add so that beacons go to its own origin (`data-beacon="/seglet/beacon"`) and on to the collector.
import { createReadStream, statSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml',
};
const BEACON_PATH = '/seglet/beacon';

/** `/product/trail-shoe` is served by `product.html` (it reads the id from the URL); `/cart` by `cart.html`. */
function siteFile(siteDir, path) {
  const page = /^\/(product|category)\/[a-z0-9-]+$/.exec(path);
  if (page) return join(siteDir, `${page[1]}.html`);
  if (path === '/') return join(siteDir, 'index.html');
  const file = normalize(join(siteDir, extname(path) === '' ? `${path}.html` : path));
  return (file + sep).startsWith(siteDir + sep) ? file : null;
}

function sendFile(res, file) {
  let ok = false;
  try { ok = file !== null && statSync(file).isFile(); } catch { ok = false; }
  if (!ok) { res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found'); return; }
  // no-store: edit a page, reload, see the change.
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  createReadStream(file).pipe(res);
}

/** Forwards the beacon untouched (its `Origin` header included: the collector checks it). */
function proxyBeacon(req, res, collectorUrl) {
  const target = new URL('/v1/beacon', collectorUrl);
  const upstream = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => { if (!res.headersSent) res.writeHead(502).end(); else res.destroy(); });
  req.pipe(upstream);
}

/**
 * Starts the shop on 127.0.0.1. `files` maps extra URL paths to files (`/rules.json`,
 * `/seglet.min.js`); `collectorUrl()` says where beacons go (the collector starts after the shop,
 * because it must know the shop's origin).
 */
export async function serveShop({ siteDir, files, collectorUrl, port = 0 }) {
  const server = createServer((req, res) => {
    let path;
    try { path = decodeURIComponent(new URL(req.url ?? '/', 'http://shop').pathname); } catch { res.writeHead(400).end(); return; }
    if (path === BEACON_PATH) { proxyBeacon(req, res, collectorUrl()); return; }
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { allow: 'GET, HEAD' }).end(); return; }
    sendFile(res, Object.hasOwn(files, path) ? files[path] : siteFile(siteDir, path));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address();
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
