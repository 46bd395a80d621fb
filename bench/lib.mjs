// Shared helpers for the benchmark suite: a seeded PRNG, a median-of-rounds timer and a table printer.
// Timing is hand-written (process.hrtime.bigint) so that warm-up and round sizes stay under our control
// on a small shared machine.
import os from 'node:os';

/** Deterministic PRNG (mulberry32) so every implementation sees the same workload. */
export function prng(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [lo, hi] from a PRNG. */
export const int = (rnd, lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
/** One element of an array from a PRNG. */
export const pick = (rnd, arr) => arr[Math.floor(rnd() * arr.length)];

/** Elapsed nanoseconds of one call of fn. */
export function timeOnce(fn) {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0);
}

/**
 * Runs fn `warmup` times untimed, then `rounds` times timed; returns the median round in ns and all rounds.
 * fn receives the round index so a stateful workload can move on (e.g. the next chunk of events).
 */
export function medianRounds(fn, { rounds = 5, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) fn(-1 - i);
  const times = [];
  const cpu = [];
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    times.push(timeOnce(() => fn(r)));
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) * 1000);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const mid = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  // cpu: process CPU time (all threads) per round, beside wall time: on a busy shared machine wall time
  // also counts the time other processes held the core
  return { median: sorted[sorted.length >> 1], min: sorted[0], max: sorted[sorted.length - 1], times, cpu: mid(cpu) };
}

/** The 1-minute load average and a warning when the machine is oversubscribed. */
export function loadNote(cpus) {
  const l = os.loadavg()[0];
  return l > cpus ? `load average ${l.toFixed(1)} on ${cpus} cores: wall-clock figures are inflated by other processes; cpu figures beside them` : `load average ${l.toFixed(1)} on ${cpus} cores`;
}

/** Async variant of medianRounds for promise-based peers. */
export async function medianRoundsAsync(fn, { rounds = 3, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const times = [];
  const cpu = [];
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await fn(r);
    times.push(Number(process.hrtime.bigint() - t0));
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) * 1000);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[sorted.length >> 1], min: sorted[0], max: sorted[sorted.length - 1], times, cpu: [...cpu].sort((a, b) => a - b)[cpu.length >> 1] };
}

/** Prints rows (arrays of cells) as a left/right aligned text table; numbers and figures right-aligned. */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => (c === undefined || c === null ? '' : String(c))));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const right = headers.map((_, i) => rows.length > 0 && rows.every((r) => r[i] === undefined || r[i] === null || r[i] === '' || /^[-+~<>≥≤x\d.,\s]*\d/.test(String(r[i]))));
  const fmt = (r) => r.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log(fmt(cells[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(fmt(r));
}

/** Formats a number with a fixed count of significant-looking decimals. */
export function fmt(n, digits = 1) {
  if (n === null || n === undefined || Number.isNaN(n)) return 'n/a';
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Records one goal for the final summary. */
export function goal(summary, name, figure, ok, target) {
  summary.push({ name, figure, status: ok === null ? 'N/A' : ok ? 'PASS' : 'MISS', target });
}

/** A correctness failure: implementations disagree. The runner exits non-zero when any was recorded. */
export class Disagreement extends Error {}
