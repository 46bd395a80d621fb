// seglet benchmark suite (`pnpm bench`, which builds first and runs this with --expose-gc).
// Prints machine facts, one table per benchmark, and a summary of goals. Missed goals never fail the process:
// these are measurements, not tests. A disagreement between implementations (a correctness error) does.
// Run a subset with: node --expose-gc bench/run.mjs stateless behavioral restore size memory
import os from 'node:os';
import { existsSync } from 'node:fs';
import { runStateless } from './stateless.mjs';
import { runBehavioral } from './behavioral.mjs';
import { runRestore } from './restore.mjs';
import { runSize } from './size.mjs';
import { runMemory } from './memory.mjs';
import { Disagreement, loadNote } from './lib.mjs';

const started = process.hrtime.bigint();
const corePath = new URL('../packages/core/dist/index.js', import.meta.url);
let seglet = null;
if (existsSync(corePath)) {
  const mod = await import(corePath.href);
  if (typeof mod.createEngine === 'function') seglet = mod;
}

const cpus = os.cpus();
console.log('# seglet benchmarks');
console.log(`node ${process.version} (V8 ${process.versions.v8}), ${os.platform()} ${os.arch()}, ${cpus.length} x ${cpus[0]?.model ?? 'unknown cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load avg ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(loadNote(cpus.length));
console.log(`gc exposed: ${typeof globalThis.gc === 'function' ? 'yes' : 'no (memory figures skipped; run with node --expose-gc)'}`);
if (!seglet) console.log('seglet: packages/core/dist/index.js has no createEngine yet: peers and baselines only');

const all = { stateless: runStateless, behavioral: runBehavioral, restore: runRestore, size: runSize, memory: runMemory };
const picked = process.argv.slice(2).filter((a) => a in all);
const summary = [];
const errors = [];
for (const name of picked.length ? picked : Object.keys(all)) {
  try {
    await all[name](seglet, summary);
  } catch (err) {
    if (!(err instanceof Disagreement)) throw err;
    console.error(`\nCORRECTNESS ERROR: ${err.message}`);
    errors.push(err.message);
  }
}

console.log('\n## Summary (goals are targets, not tests: a MISS does not fail the run)\n');
const w = Math.max(...summary.map((s) => s.name.length));
for (const s of summary) console.log(`${s.status.padEnd(4)}  ${s.name.padEnd(w)}  ${s.figure}`);
for (const e of errors) console.log(`FAIL  correctness: ${e}`);
console.log(`\n${loadNote(cpus.length)}`);
console.log(`total ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
if (errors.length) process.exit(1);
