// Added latency of @seglet/edge in workerd (miniflare): personalize + rewrite of a ~50 KB page
// versus a plain pass-through proxy of the same page, measured in one run with the routes
// interleaved (so machine noise hits both alike). `/revalidate` is the browser asking again for its
// personalised copy with the same memberships (If-None-Match: the edge's tag): the origin's 304. Run by hand: node packages/edge/bench/latency.mjs [requests]
// Goal: under 1 ms added at the median.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request, Agent } from 'node:http';
import { rollup } from 'rollup';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { Miniflare } from 'miniflare';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = resolve(here, '..');
const N = Number(process.argv[2] ?? 2000);
const WARMUP = 300;
const ROUTES = ['/proxy', '/personalize', '/personalize-plain', '/revalidate'];
// A phone, a newsletter landing and a cart abandoner: both templates and the visibility swaps apply.
const HEADERS = {
  'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148',
  cookie: 'seglet_m=cart-abandoner,high-intent',
  'accept-language': 'en-GB,en;q=0.8',
};

async function bundle(dir) {
  const json = { name: 'json', transform: (code, id) => (id.endsWith('.json') ? { code: `export default ${code};`, map: null } : null) };
  const build = await rollup({
    input: join(here, 'benchWorker.ts'),
    plugins: [json, nodeResolve({ browser: true }), typescript({
      tsconfig: join(packageDir, 'tsconfig.json'),
      include: [`${packageDir}/src/**/*.ts`, `${here}/**/*.ts`],
      compilerOptions: { noEmit: false, noCheck: true, declaration: false, outDir: undefined, rootDir: undefined },
    })],
    onwarn: (w, warn) => { if (w.code !== 'CIRCULAR_DEPENDENCY') warn(w); },
  });
  const file = join(dir, 'bench-worker.mjs');
  await build.write({ file, format: 'es', inlineDynamicImports: true });
  await build.close();
  return file;
}

function get(base, path, agent, extra = {}) {
  return new Promise((resolveGet, reject) => {
    const started = process.hrtime.bigint();
    const req = request(new URL(path, base), { agent, headers: { ...HEADERS, ...extra } }, (res) => {
      let bytes = 0;
      res.on('data', (c) => { bytes += c.length; });
      res.on('end', () => resolveGet({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: res.statusCode, bytes, etag: res.headers.etag }));
    });
    req.on('error', reject);
    req.end();
  });
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (ms) => `${ms.toFixed(3)} ms`;

const dir = mkdtempSync(join(tmpdir(), 'seglet-edge-bench-'));
try {
  const scriptPath = await bundle(dir);
  const mf = new Miniflare({ modules: true, scriptPath, modulesRoot: dir, compatibilityDate: '2026-04-24' });
  const base = await mf.ready;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples = Object.fromEntries(ROUTES.map((r) => [r, []]));
  const sizes = {};
  // The tag of the personalised page, as the browser keeps it with its copy.
  const { etag } = await get(base, '/personalize', agent);
  const conditional = { '/revalidate': { 'if-none-match': etag } };
  const expected = { '/revalidate': 304 };
  for (let i = 0; i < WARMUP + N; i++) {
    // Rotate the order every round so no route always follows another.
    for (let k = 0; k < ROUTES.length; k++) {
      const route = ROUTES[(i + k) % ROUTES.length];
      const { ms, status, bytes } = await get(base, route, agent, conditional[route]);
      if (status !== (expected[route] ?? 200)) throw new Error(`${route} answered ${status}`);
      sizes[route] = bytes;
      if (i >= WARMUP) samples[route].push(ms);
    }
  }
  agent.destroy();
  await mf.dispose();
  const stats = Object.fromEntries(ROUTES.map((r) => {
    const s = samples[r].sort((a, b) => a - b);
    return [r, { median: pct(s, 50), p99: pct(s, 99) }];
  }));
  const proxy = stats['/proxy'];
  console.log('# @seglet/edge latency in workerd (miniflare, loopback HTTP, keep-alive, one client)');
  console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load avg ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${N} requests per route after ${WARMUP} warm-up, interleaved`);
  console.log(`page: ${sizes['/proxy']} bytes (personalised answer ${sizes['/personalize']} bytes; revalidation with the same memberships: 304, ${sizes['/revalidate']} body bytes)`);
  console.log('route                 median      p99        added median  added p99   ratio median  ratio p99');
  for (const r of ROUTES) {
    const s = stats[r];
    console.log(`${r.padEnd(20)}  ${fmt(s.median).padEnd(10)}  ${fmt(s.p99).padEnd(10)}  ${fmt(s.median - proxy.median).padEnd(12)}  ${fmt(s.p99 - proxy.p99).padEnd(10)}  ${(s.median / proxy.median).toFixed(2).padEnd(12)}  ${(s.p99 / proxy.p99).toFixed(2)}`);
  }
  const added = stats['/personalize'].median - proxy.median;
  console.log(`goal: < 1 ms added at the median for personalize+rewrite: ${added < 1 ? 'MET' : 'MISSED'} (${fmt(added)})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
