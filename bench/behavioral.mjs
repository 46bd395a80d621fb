// Benchmark 2, behavioral: per-event cost of track() with 50 windowed rules at 200, 2,000 and 20,000 retained
// events, beside a full-rescan and a smarter backward-scan baseline (rescan.mjs) implementing the same rules.
// Before timing, each log size is filled while seglet's memberships are checked against both baselines.
import { medianRounds, table, fmt, goal, Disagreement } from './lib.mjs';
import { behavioralRules, ruleSet, eventStream, take } from './workload.mjs';
import { Rescan } from './rescan.mjs';

const SIZES = [200, 2_000, 20_000];
const EXTRA = 1_000; // events past the retention limit during the checked fill, so drops happen too

function check(engine, rules, got, label) {
  for (let r = 0; r < rules.length; r++) {
    const s = engine.has(rules[r].id);
    if (s !== (got[r] === 1)) throw new Disagreement(`behavioral ${label}: segment ${rules[r].id} is ${s} in seglet, ${got[r] === 1} in the rescan`);
  }
}

/** Runs one implementation over rounds of fresh events (generated before timing); µs per event, median round. */
function perEvent(trackOne, next, chunk, rounds, warmup = 1) {
  const batches = Array.from({ length: rounds + warmup }, () => take(next, chunk));
  // Warm-up round k (fn(-1 - k)) takes batch k, timed round r batch warmup + r: the clock only moves on.
  const res = medianRounds((r) => { const b = batches[r < 0 ? -1 - r : warmup + r]; for (let i = 0; i < b.length; i++) trackOne(b[i]); }, { rounds, warmup });
  return { wall: res.median / chunk / 1000, cpu: res.cpu / chunk / 1000 };
}

const unpack = ({ wall, cpu }) => [wall, cpu];

/** Runs benchmark 2; pushes goals into summary. */
export async function runBehavioral(seglet, summary) {
  console.log('\n## 2. Behavioral: per-event cost of evaluating 50 windowed rules, by retained log size\n');
  const rules = behavioralRules();
  const rows = [];
  const coverage = new Uint8Array(rules.length);
  // Steady state for every size: the engine's code is optimized before the first size is timed. Without
  // this the first size measured paid for it (200 measured first: 3.8 µs; measured again after 2,000: 2.3).
  if (seglet) {
    let clock = 0;
    const warm = seglet.createEngine({ rules: ruleSet(rules, 1_000), now: () => clock, timeZone: 'UTC', anonymousId: 'warm-up' });
    const next = eventStream(0x3a4b);
    for (let i = 0; i < 20_000; i++) { const e = next(); clock = e.t; warm.track(e.type, e.props); }
  }
  for (const n of SIZES) {
    // one identical stream per implementation, so each one's timed events follow on from its own filled log
    const [next, nextFull, nextSmart] = [0, 1, 2].map(() => eventStream(0xbe4a + n));
    const full = new Rescan(rules, n, 'full');
    const smart = new Rescan(rules, n, 'smart');
    let clock = 0;
    let engine = null;
    if (seglet) engine = seglet.createEngine({ rules: ruleSet(rules, n), now: () => clock, timeZone: 'UTC', anonymousId: 'bench' });

    // checked fill: seglet vs smart at ~300 checkpoints, vs full at ~30 (the full rescan is slow by design)
    const fill = n + EXTRA;
    const step = Math.max(1, Math.floor(fill / 300));
    for (let i = 1; i <= fill; i++) {
      const e = next();
      clock = e.t;
      if (engine) engine.track(e.type, e.props);
      full.push(nextFull());
      smart.push(nextSmart());
      if (i % step === 0) {
        const want = smart.evaluate(e.t);
        for (let r = 0; r < rules.length; r++) coverage[r] |= want[r] ? 1 : 2;
        if (engine) check(engine, rules, want, `at ${n}, event ${i} (smart rescan)`);
        if (i % (step * 10) === 0) {
          const wantFull = full.evaluate(e.t);
          const bad = rules.findIndex((_, r) => wantFull[r] !== want[r]);
          if (bad >= 0) throw new Disagreement(`behavioral at ${n}, event ${i}: the two rescans disagree on ${rules[bad].id}`);
        }
      }
    }
    if (engine && engine.events().length !== Math.min(n, fill)) throw new Disagreement(`behavioral at ${n}: seglet retains ${engine.events().length} events, expected ${n}`);

    // timing: fresh events, each implementation from its own filled state
    const row = { n };
    if (engine) [row.seglet, row.segletCpu] = unpack(perEvent((e) => { clock = e.t; engine.track(e.type, e.props); }, next, 2_000, 7, 5));
    [row.full, row.fullCpu] = unpack(perEvent((e) => full.track(e), nextFull, Math.max(100, Math.min(2_000, Math.round(1_000_000 / n))), 5));
    [row.smart, row.smartCpu] = unpack(perEvent((e) => smart.track(e), nextSmart, Math.max(400, Math.min(2_000, Math.round(4_000_000 / n))), 5));
    rows.push(row);
  }
  const covered = [...coverage].filter((c) => c === 3).length;
  console.log(`${seglet ? 'seglet and both rescans agree' : 'the two rescans agree'} at every checkpoint; ${covered}/${rules.length} rules were both true and false at the checkpoints\n`);

  const headers = ['retained events', 'seglet µs/event', '(cpu)', 'seglet ns/rule', 'full rescan µs/event', '(cpu)', 'smart rescan µs/event', '(cpu)', 'full / seglet', 'smart / seglet'];
  table(headers, rows.map((r) => [r.n.toLocaleString('en-US'), fmt(r.seglet, 2), fmt(r.segletCpu, 2), fmt(r.seglet * 1000 / rules.length, 1),
    fmt(r.full, 1), fmt(r.fullCpu, 1), fmt(r.smart, 1), fmt(r.smartCpu, 1),
    r.seglet ? `${fmt(r.full / r.seglet, 0)}x` : 'n/a', r.seglet ? `${fmt(r.smart / r.seglet, 1)}x` : 'n/a']));
  console.log('(µs per event for all 50 rules, wall-clock median of rounds; "(cpu)" is process CPU time per event in the same rounds)');

  const flat = (k) => Math.max(...rows.map((r) => r[k])) / Math.min(...rows.map((r) => r[k]));
  console.log(`\nflatness (largest / smallest across log sizes): seglet ${seglet ? fmt(flat('seglet'), 2) : 'n/a'}x, full rescan ${fmt(flat('full'), 1)}x, smart rescan ${fmt(flat('smart'), 1)}x`);
  const at2k = rows.find((r) => r.n === 2_000);
  if (seglet) {
    const worst = Math.max(...rows.map((r) => r.seglet));
    goal(summary, 'behavioral: <= 2 µs per event, all 50 rules (worst size)', `${fmt(worst, 2)} µs (${rows.map((r) => fmt(r.seglet, 2)).join(' / ')} at ${SIZES.join(' / ')}; cpu ${rows.map((r) => fmt(r.segletCpu, 2)).join(' / ')})`, worst <= 2);
    goal(summary, 'behavioral: flat across log sizes (<= 1.5x)', `${fmt(flat('seglet'), 2)}x (cpu ${fmt(flat('segletCpu'), 2)}x)`, flat('seglet') <= 1.5);
    goal(summary, 'behavioral: >= 100x faster than full rescan at 2,000', `${fmt(at2k.full / at2k.seglet, 0)}x (${fmt(at2k.seglet, 2)} vs ${fmt(at2k.full, 1)} µs; cpu ${fmt(at2k.fullCpu / at2k.segletCpu, 0)}x)`, at2k.full / at2k.seglet >= 100);
  } else {
    for (const n of ['<= 2 µs per event, all 50 rules (worst size)', 'flat across log sizes (<= 1.5x)', '>= 100x faster than full rescan at 2,000']) goal(summary, `behavioral: ${n}`, 'seglet engine not built', null);
  }
  return rows;
}
