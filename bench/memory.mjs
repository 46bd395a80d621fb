// Memory: heap used by one engine with the 50 behavioral rules after 20,000 tracked events (retain.events
// 20,000), measured with globalThis.gc() before and after. Events are generated inside the measured region, so
// whatever the engine keeps of them counts; the engine stays reachable until after the second reading.
import { fmt, goal } from './lib.mjs';
import { behavioralRules, ruleSet, eventStream } from './workload.mjs';

const EVENTS = 20_000;

function heap() {
  for (let i = 0; i < 3; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/** Runs the memory measurement; pushes a figure (no goal) into summary. */
export async function runMemory(seglet, summary) {
  console.log(`\n## 5. Memory: one engine, 50 rules, after ${EVENTS.toLocaleString('en-US')} events\n`);
  if (!seglet || typeof globalThis.gc !== 'function') {
    goal(summary, 'memory: heap of an engine after 20,000 events (figure only)', seglet ? 'needs node --expose-gc' : 'seglet engine not built', null);
    return null;
  }
  const rules = behavioralRules();
  const rs = ruleSet(rules, EVENTS);
  const next = eventStream(0x3e3);
  let clock = 0;
  heap();
  const before = heap();
  const engine = seglet.createEngine({ rules: rs, now: () => clock, timeZone: 'UTC', anonymousId: 'bench' });
  const empty = heap() - before;
  for (let i = 0; i < EVENTS; i++) { const e = next(); clock = e.t; engine.track(e.type, e.props); }
  const used = heap() - before;
  const kept = engine.events().length;
  console.log(`empty engine: ${empty > 0 ? `${fmt(empty / 1024, 1)} KiB` : 'under the noise'}; after ${EVENTS.toLocaleString('en-US')} events (${kept.toLocaleString('en-US')} retained): ${fmt(used / 2 ** 20, 2)} MiB, ${fmt(used / kept, 0)} B per retained event`);
  summary.push({ name: 'memory: heap of an engine after 20,000 events (figure only)', figure: `${fmt(used / 2 ** 20, 2)} MiB (${fmt(used / kept, 0)} B per retained event)`, status: 'INFO' });
  return used;
}
