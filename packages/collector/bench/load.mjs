// Collector throughput, measured by hand or from `pnpm bench` (after the build):
//   node packages/collector/bench/load.mjs [--seconds 5] [--rounds 2] [--redis redis://127.0.0.1:6379]
// Conditions (runtime spec, section 7): 1 KiB bodies, 64 concurrent keep-alive connections,
// 10,000 distinct anonymous ids, rate limit off, same machine, loopback. Each server runs in its
// own process; this process is the load generator. A bare node:http server answering 204 is
// measured in the same run, then every acknowledged beacon is checked in the store.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, rounds: { type: 'string', default: '2' }, redis: { type: 'string' } } });
const SECONDS = Number(args.seconds);
const ROUNDS = Number(args.rounds);
const CONNECTIONS = 64;
const IDS = 10_000;
const ORIGIN = 'http://bench.example';
const TOKEN = 'bench-token';
const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('seglet: build first (npx -y pnpm@10.34.8 run build): packages/collector/dist/cli.js is missing');
  process.exit(1);
}

const BARE = `
const http = require('node:http');
const s = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(204); res.end(); }); });
s.keepAliveTimeout = 5000;
s.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + s.address().port));
`;

function startServer(argv) {
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

/** CPU seconds a server process has used (Linux /proc; null elsewhere): load-independent cost. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const stop = (child) => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });

let seq = 0;
/** A 1 KiB beacon: profile `seq % IDS` enters a segment it has not entered before. */
function nextBeacon(t) {
  const n = seq++;
  const aid = `anon-${n % IDS}`;
  const segment = `s${Math.floor(n / IDS)}`;
  const base = JSON.stringify({ v: 1, id: `bench-${process.pid}-${n}`, anonymousId: aid, sentAt: t, changes: [{ segment, member: true, t }], pad: '' });
  return { aid, segment, body: base.replace('"pad":""', `"pad":"${'x'.repeat(1024 - base.length)}"`) };
}

function post(agent, url, body) {
  return new Promise((resolve) => {
    const r = request(`${url}/v1/beacon`, { method: 'POST', agent, headers: { Origin: ORIGIN, 'Content-Type': 'text/plain;charset=UTF-8', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    r.on('error', () => resolve(0));
    r.end(body);
  });
}

/** Drives `url` for SECONDS (after a 1 s warm-up); returns accepted answers per second and the acked beacons. */
async function drive(url, pid) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const acked = [];
  let counting = false;
  let accepted = 0;
  let errors = 0;
  let running = true;
  const worker = async () => {
    while (running) {
      const b = nextBeacon(Date.now());
      const status = await post(agent, url, b.body);
      if (status === 204) { acked.push(b); if (counting) accepted++; } else errors++;
    }
  };
  const workers = Array.from({ length: CONNECTIONS }, worker);
  await new Promise((r) => setTimeout(r, 1000));
  counting = true;
  const t0 = performance.now();
  const cpu0 = cpuSeconds(pid);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu1 = cpuSeconds(pid);
  const cpuPerRequest = cpu0 === null || cpu1 === null || accepted === 0 ? null : ((cpu1 - cpu0) / accepted) * 1e6;
  counting = false;
  running = false;
  await Promise.all(workers);
  agent.destroy();
  return { perSecond: accepted / elapsed, acked, errors, cpuPerRequest };
}

async function verify(url, acked) {
  const want = new Map();
  for (const b of acked) {
    let s = want.get(b.aid);
    if (!s) want.set(b.aid, (s = new Set()));
    s.add(b.segment);
  }
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const aids = [...want.keys()];
  let missing = 0;
  let next = 0;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (next < aids.length) {
      const aid = aids[next++];
      const members = await new Promise((resolve) => {
        request(`${url}/v1/profiles/${aid}`, { agent, headers: { Authorization: `Bearer ${TOKEN}` } }, (res) => {
          let text = '';
          res.on('data', (d) => { text += d; });
          res.on('end', () => resolve(res.statusCode === 200 ? JSON.parse(text).members : []));
        }).end();
      });
      for (const s of want.get(aid)) if (!members.includes(s)) missing++;
    }
  }));
  agent.destroy();
  return missing;
}

const dir = mkdtempSync(join(tmpdir(), 'seglet-bench-'));
console.log(`collector load: ${CONNECTIONS} connections, 1 KiB bodies, ${IDS} anonymous ids, ${SECONDS} s per run, store ${args.redis ? 'redis' : 'sqlite'}`);

// Rounds alternate bare and collector so a change in the machine's load hits both; best of each.
const bareRates = [];
const colRates = [];
const bareCpu = [];
const colCpu = [];
let acked = 0;
let missing = 0;
let errors = 0;
for (let round = 0; round < ROUNDS; round++) {
  const bare = await startServer(['-e', BARE]);
  const b = await drive(bare.url, bare.child.pid);
  bareRates.push(b.perSecond);
  if (b.cpuPerRequest !== null) bareCpu.push(b.cpuPerRequest);
  await stop(bare.child);
  const db = join(dir, `bench-${round}.db`);
  const col = await startServer([cli, '--port', '0', ...(args.redis ? ['--redis', args.redis] : ['--db', db]), '--allow-origin', ORIGIN, '--token', TOKEN, '--rate-limit', '0']);
  const run = await drive(col.url, col.child.pid);
  colRates.push(run.perSecond);
  if (run.cpuPerRequest !== null) colCpu.push(run.cpuPerRequest);
  errors += run.errors;
  acked += run.acked.length;
  missing += await verify(col.url, run.acked);
  await stop(col.child);
}
rmSync(dir, { recursive: true, force: true });

const best = (xs) => Math.max(...xs);
const fmt = (xs) => xs.map((x) => Math.round(x)).join(', ');
console.log(`bare node:http 204      ${Math.round(best(bareRates)).toString().padStart(8)} req/s   (rounds: ${fmt(bareRates)})`);
console.log(`collector beacons       ${Math.round(best(colRates)).toString().padStart(8)} /s       (rounds: ${fmt(colRates)}; ${errors} non-204)`);
console.log(`ratio                   ${(best(colRates) / best(bareRates) * 100).toFixed(1).padStart(7)} %  (goal >= 50 %)`);
if (bareCpu.length && colCpu.length) {
  const min = (xs) => Math.min(...xs);
  console.log(`server CPU per request  bare ${min(bareCpu).toFixed(0)} us, collector ${min(colCpu).toFixed(0)} us (all threads; ratio ${(min(bareCpu) / min(colCpu) * 100).toFixed(1)} %)`);
}
console.log(`durability check        ${acked} acknowledged beacons, ${missing} missing from the store`);
if (missing > 0) process.exitCode = 1;
