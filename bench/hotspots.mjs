// Prints the top self-time functions of a V8 .cpuprofile (from `node --cpu-prof`), with file:line, so a missed
// goal can be traced to code. Usage:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --expose-gc bench/run.mjs behavioral
//   node bench/hotspots.mjs /tmp/prof/<file>.cpuprofile [top=25] [filter=substring of the url]
import { readFileSync } from 'node:fs';

const [file, topArg = '25', filter = ''] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/hotspots.mjs <file.cpuprofile> [top] [url filter]');
  process.exit(2);
}
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas;
let total = 0;
for (let i = 0; i < prof.samples.length; i++) {
  const ms = (dt[i] ?? 0) / 1000;
  total += ms;
  self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + ms);
}
const agg = new Map();
for (const [id, ms] of self) {
  const { callFrame: f } = byId.get(id);
  const where = f.url ? `${f.url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '')}:${f.lineNumber + 1}:${f.columnNumber + 1}` : '(native)';
  const key = `${f.functionName || '(anonymous)'}  ${where}`;
  agg.set(key, (agg.get(key) ?? 0) + ms);
}
// inclusive time: a node's self time plus its subtree's, counted once per function even under recursion
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const keyOf = (n) => { const f = n.callFrame; return `${f.functionName || '(anonymous)'}  ${f.url ? `${f.url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '')}:${f.lineNumber + 1}:${f.columnNumber + 1}` : '(native)'}`; };
const incl = new Map();
for (const [id, ms] of self) {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = keyOf(byId.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    incl.set(k, (incl.get(k) ?? 0) + ms);
  }
}
const rows = [...agg].filter(([k]) => k.includes(filter)).sort((a, b) => b[1] - a[1]).slice(0, Number(topArg));
console.log(`total sampled ${total.toFixed(0)} ms${filter ? `, filter "${filter}"` : ''}`);
console.log('self ms   self%  incl%  function  file:line:col');
for (const [k, ms] of rows) console.log(`${ms.toFixed(1).padStart(9)} ${((100 * ms) / total).toFixed(1).padStart(5)}% ${((100 * incl.get(k)) / total).toFixed(1).padStart(5)}%  ${k}`);
console.log('\nby inclusive time:');
const inc = [...incl].filter(([k]) => k.includes(filter)).sort((a, b) => b[1] - a[1]).slice(0, Number(topArg));
for (const [k, ms] of inc) console.log(`${ms.toFixed(1).padStart(9)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${k}`);
