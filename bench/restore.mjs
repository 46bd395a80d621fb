// Benchmark 3, restore: createEngine({ events }) replaying 10,000 retained events through the 50 behavioral
// rules, as a page reload does. The restored memberships are checked against the smart rescan first.
import { medianRounds, fmt, goal, Disagreement } from './lib.mjs';
import { behavioralRules, ruleSet, eventStream, take } from './workload.mjs';
import { Rescan } from './rescan.mjs';

const EVENTS = 10_000;

/** Runs benchmark 3; pushes goals into summary. */
export async function runRestore(seglet, summary) {
  console.log(`\n## 3. Restore: createEngine({ events }) replaying ${EVENTS.toLocaleString('en-US')} events, 50 rules\n`);
  if (!seglet) { goal(summary, 'restore: 10,000 events, 50 rules, < 30 ms', 'seglet engine not built', null); return null; }
  const rules = behavioralRules();
  const rs = ruleSet(rules, EVENTS);
  const events = take(eventStream(0x4e57), EVENTS);
  const now = events[events.length - 1].t + 60_000;
  const restore = () => seglet.createEngine({ rules: rs, events, now: () => now, timeZone: 'UTC', anonymousId: 'bench' });

  const engine = restore();
  const smart = new Rescan(rules, EVENTS, 'smart');
  for (const e of events) smart.push(e, now);
  const want = smart.evaluate(now);
  rules.forEach((r, i) => {
    if (engine.has(r.id) !== (want[i] === 1)) throw new Disagreement(`restore: segment ${r.id} is ${engine.has(r.id)} after restore, ${want[i] === 1} in the rescan`);
  });
  if (engine.events().length !== EVENTS) throw new Disagreement(`restore: ${engine.events().length} events retained, expected ${EVENTS}`);

  const { median, min, max, cpu } = medianRounds(() => { restore(); }, { rounds: 7, warmup: 2 });
  const ms = median / 1e6;
  console.log(`restored ${EVENTS.toLocaleString('en-US')} events, ${engine.members().length} of 50 segments joined, memberships agree with the rescan`);
  console.log(`median ${fmt(ms, 2)} ms (min ${fmt(min / 1e6, 2)}, max ${fmt(max / 1e6, 2)}; cpu ${fmt(cpu / 1e6, 2)}), ${fmt(median / EVENTS / 1000, 2)} µs per event`);
  goal(summary, 'restore: 10,000 events, 50 rules, < 30 ms', `${fmt(ms, 2)} ms (cpu ${fmt(cpu / 1e6, 2)} ms)`, ms < 30);
  return ms;
}
