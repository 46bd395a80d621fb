// Shared helpers of the browser benchmark's scenarios: percentiles, units, page waits, error checks.
import { fmt } from '../../../bench/lib.mjs';

/** Goals of the issue; a figure at or past them is a MISS. */
export const GOALS = { callbackP99: 0.1, readyMs: 30, longTasks: 0 };

const sorted = (xs) => [...xs].sort((a, b) => a - b);
/** The p-th percentile (nearest rank, lower) of a list of numbers. */
export const pct = (xs, p) => { const s = sorted(xs); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
export const median = (xs) => pct(xs, 50);
/** Milliseconds as "12.3 ms"; `us` turns milliseconds into "123 µs". */
export const ms = (n, d = 1) => `${fmt(n, d)} ms`;
export const us = (n) => `${fmt(n * 1000, 0)} µs`;

/** SDK errors reported on the page are a broken setup, not a figure. */
export async function checkErrors(ctx, tab, where) {
  const errors = await tab.evaluate(() => window.__bench.errors);
  if (errors.length > 0) ctx.problems.push(`${where}: the SDK reported ${[...new Set(errors)].join(', ')}`);
}

/** Opens `url` and waits until the SDK's `ready` resolved (timestamped by the page). */
export async function openReady(tab, url) {
  await tab.goto(url);
  await tab.waitForFunction(() => window.__bench.ready !== undefined && window.__bench.frames.length > 0, null, { timeout: 30_000 });
}

/** Concatenates two CDP profiles (node ids of the second shifted), for hot spots over several loads. */
export function mergeProfiles(a, b) {
  const shift = Math.max(...a.nodes.map((n) => n.id));
  return {
    nodes: [...a.nodes, ...b.nodes.map((n) => ({ ...n, id: n.id + shift, children: (n.children ?? []).map((c) => c + shift) }))],
    samples: [...a.samples, ...b.samples.map((s) => s + shift)],
    timeDeltas: [...a.timeDeltas, ...b.timeDeltas],
  };
}
