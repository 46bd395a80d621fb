// Scenario 3 of the browser benchmark: the main thread during a 10,000-event burst (see README.md).
import { fmt, goal, table } from '../../../bench/lib.mjs';
import { STORED } from './coldStart.mjs';
import { checkErrors, GOALS, ms, openReady } from './measure.mjs';
import { hotspots, printHotspots } from './profile.mjs';

const BURST = 10_000;

/** Runs on the origin `runColdStart` filled (`base`), in its tab. */
export async function runBurst(ctx, tab, base) {
  const { summary, step, profile: forceProfile } = ctx;
  console.log(`\n## 3. Main thread during a ${fmt(BURST, 0)}-event burst (10 events per task, tasks back to back, ${fmt(STORED, 0)} events already stored)\n`);
  await openReady(tab, `${base}/`);
  const cdp = await tab.context().newCDPSession(tab);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const run = async (noop, seed) => {
    const before = await metrics();
    const r = await tab.evaluate((o) => window.bench.burst(o), { n: BURST, perTask: 10, seed, noop });
    const after = await metrics();
    const d = (k) => (after[k] - before[k]) * 1000;
    return { ...r, task: d('TaskDuration'), script: d('ScriptDuration'), style: d('RecalcStyleDuration') + d('LayoutDuration') };
  };
  const control = await run(true, 21);
  step('control burst');
  const sdk = await run(false, 22);
  step('SDK burst');
  await checkErrors(ctx, tab, 'burst');
  const stored = await tab.evaluate(() => window.bench.storage());
  const perEvent = (x) => (x / BURST) * 1000;
  const cells = (x) => [x.longtasks.length, ms(Math.max(0, ...x.longtasks.map((l) => l.duration)), 0), ms(x.task, 0), ms(x.script, 0), ms(x.style, 0), ms(x.ms, 0), ms(x.flushMs, 0)];
  table(['run', 'long tasks', 'longest', 'task time', 'script', 'style+layout', 'tracking', 'until committed'], [
    ['control (harness only, no track)', ...cells(control)],
    ['SDK track()', ...cells(sdk)],
  ]);
  console.log('task/script/style+layout: Performance.getMetrics deltas of the renderer main thread; tracking: first to last task; until committed: then until flush() resolved');
  const cpu = perEvent(sdk.task - control.task);
  console.log(`SDK main-thread time per event (task time minus control): ${fmt(cpu, 1)} µs; script time only: ${fmt(perEvent(sdk.script - control.script), 1)} µs; stored after: ${fmt(stored.events, 0)} events in ${fmt(stored.records, 0)} records`);
  const scripts = new Map();
  for (const f of sdk.frames) {
    if (!sdk.longtasks.some((l) => l.start < f.start + f.duration && f.start < l.start + l.duration)) continue;
    for (const s of f.scripts) {
      const k = `${s.invoker} (${s.url.replace(/^https?:\/\/[^/]+\//, '') || 'no url'})`;
      scripts.set(k, (scripts.get(k) ?? 0) + s.duration);
    }
  }
  if (scripts.size > 0) {
    console.log('\nscripts of the long animation frames that held the long tasks (Long Animation Frames API, scripts of 5 ms or more):');
    table(['invoker (source)', 'ms'], [...scripts].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => [k, ms(v, 0)]));
  }
  const attributable = Math.max(0, sdk.longtasks.length - control.longtasks.length);
  goal(summary, `long tasks during a ${fmt(BURST, 0)}-event burst`, `${attributable} (SDK run ${sdk.longtasks.length}, control ${control.longtasks.length}; longest ${ms(Math.max(0, ...sdk.longtasks.map((l) => l.duration)), 0)})`, attributable <= GOALS.longTasks, 'zero');
  goal(summary, 'SDK main-thread time per event in a burst', `${fmt(cpu, 1)} µs`, null, 'reported');
  if (forceProfile) {
    await openReady(tab, `${base}/esm`);
    const prof = await tab.context().newCDPSession(tab);
    await prof.send('Profiler.enable');
    await prof.send('Profiler.setSamplingInterval', { interval: 100 });
    await prof.send('Profiler.start');
    const r = await tab.evaluate((o) => window.bench.burst(o), { n: BURST, perTask: 10, seed: 23, noop: false });
    const { profile } = await prof.send('Profiler.stop');
    printHotspots(`hot spots of the same burst on the ESM build (${r.longtasks.length} long tasks, longest ${ms(Math.max(0, ...r.longtasks.map((l) => l.duration)), 0)})`, hotspots(profile), table, fmt);
  }
}
