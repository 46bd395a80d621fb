// Benchmark 4, size: seglet core's ESM bundle, min+gzip (level 9, as scripts/size.mjs measures it), beside
// GrowthBook's own minified ESM bundle from node_modules, gzipped the same way. Budget 5 KB (5,000 bytes).
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { table, fmt, goal } from './lib.mjs';

const BUDGET = 5_000;

function measure(file) {
  const raw = readFileSync(file);
  return { min: raw.length, gz: gzipSync(raw, { level: 9 }).length };
}

/** Runs benchmark 4; pushes goals into summary. */
export async function runSize(_seglet, summary) {
  console.log('\n## 4. Size: ESM bundle, minified + gzip -9\n');
  const root = new URL('..', import.meta.url).pathname;
  const core = join(root, 'packages/core/dist/core.min.js');
  const require = createRequire(import.meta.url);
  const gbDir = dirname(require.resolve('@growthbook/growthbook/package.json'));
  const gbVersion = JSON.parse(readFileSync(join(gbDir, 'package.json'), 'utf8')).version;
  const gbFile = join(gbDir, 'dist/bundles/esm.min.js');
  const rows = [];
  const s = existsSync(core) ? measure(core) : null;
  const g = measure(gbFile);
  rows.push(['@seglet/core', 'packages/core/dist/core.min.js', s ? s.min.toLocaleString('en-US') : 'missing', s ? s.gz.toLocaleString('en-US') : 'missing']);
  rows.push([`@growthbook/growthbook ${gbVersion}`, relative(root, gbFile).replace(/.*node_modules\//, 'node_modules/'), g.min.toLocaleString('en-US'), g.gz.toLocaleString('en-US')]);
  table(['package', 'file', 'min bytes', 'min+gzip bytes'], rows);
  if (s) console.log(`\nseglet core is ${fmt(g.gz / s.gz, 1)}x smaller than GrowthBook's ESM bundle (min+gzip)`);
  goal(summary, 'size: core min+gzip <= 5 KB (5,000 B)', s ? `${s.gz.toLocaleString('en-US')} B (GrowthBook esm.min.js ${g.gz.toLocaleString('en-US')} B)` : 'core.min.js missing', s ? s.gz <= BUDGET : null);
  return { seglet: s, growthbook: g };
}
