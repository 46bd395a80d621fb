// The browser SDK in real headless Chromium (Debian's /usr/bin/chromium through playwright-core), pages served
// on 127.0.0.1. Measures the built bundles (run `pnpm run build` first): dist/seglet.min.js for every figure,
// dist/index.js (unminified ESM, same code) for the hot-spot tables. Each scenario gets its own origin (a new
// server port), so IndexedDB, localStorage and quota start empty. See README.md beside this file.
// Usage: node packages/browser/bench/chromium.mjs [latency] [cold] [burst] [storage] [--profile]
// (no names: all; --profile: adds CPU-profile hot-spot tables on the unminified ESM build)
// Missed goals print MISS and never fail the run; a broken setup (no build, no Chromium, SDK errors) exits 1.
import { existsSync } from 'node:fs';
import os from 'node:os';
import { loadNote } from '../../../bench/lib.mjs';
import { runBurst } from './burst.mjs';
import { runColdStart } from './coldStart.mjs';
import { launchChromium, serve } from './harness.mjs';
import { runLatency } from './latency.mjs';
import { page } from './pages.mjs';
import { runStorage } from './storage.mjs';

const started = process.hrtime.bigint();
const forceProfile = process.argv.includes('--profile');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
// `burst` runs on the origin `cold` filled, so it brings the cold start with it.
const picked = (name) => only.length === 0 || only.includes(name);

for (const file of ['dist/seglet.min.js', 'dist/index.js', '../core/dist/index.js']) {
  if (!existsSync(new URL(`../${file}`, import.meta.url))) {
    console.error(`seglet: packages/browser/${file} is missing; build first: npx -y pnpm@10.34.8 run build`);
    process.exit(1);
  }
}

const summary = [];
const problems = [];
// Progress on stderr (the table on stdout stays clean): seconds since start, per step.
const step = (what) => process.stderr.write(`[${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s] ${what}\n`);

const browser = await launchChromium();
const cpus = os.cpus();
const ctx = { browser, summary, problems, step, profile: forceProfile };
try {
  const probe = await browser.context.newPage();
  const ua = await probe.evaluate(() => navigator.userAgent);
  await probe.close();
  console.log('# seglet browser benchmarks (headless Chromium)');
  console.log(`${ua.match(/(?:Headless)?Chrome\/[\d.]+/)?.[0] ?? ua}, node ${process.version}, ${cpus.length} x ${cpus[0]?.model ?? 'unknown cpu'}`);
  console.log(`${loadNote(cpus.length)}; rules: bench/rules-100.json (100 segments)`);

  if (picked('latency')) await runLatency(ctx);
  if (picked('cold') || picked('burst')) {
    const cold = await serve({ '/': page('min'), '/esm': page('esm'), '/floor': page('floor') });
    try {
      const tab = await browser.context.newPage();
      await runColdStart(ctx, tab, cold.url);
      if (picked('burst')) await runBurst(ctx, tab, cold.url);
      await tab.close();
    } finally {
      await cold.close();
      step('cold origin closed');
    }
  }
  if (picked('storage')) await runStorage(ctx);
} finally {
  step('closing Chromium');
  await browser.close();
  step('closed');
}

console.log('\n## Summary (goals are targets, not tests: a MISS does not fail the run)\n');
const w = Math.max(...summary.map((s) => s.name.length));
for (const s of summary) console.log(`${s.status.padEnd(4)}  ${s.name.padEnd(w)}  ${s.figure}  (goal: ${s.target})`);
for (const p of problems) console.log(`FAIL  ${p}`);
if (!forceProfile && summary.some((s) => s.status === 'MISS')) console.log('\nhot spots of the missed goals: node packages/browser/bench/chromium.mjs --profile (see README.md)');
console.log(`\n${loadNote(cpus.length)}`);
console.log(`total ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
if (problems.length > 0) process.exit(1);
