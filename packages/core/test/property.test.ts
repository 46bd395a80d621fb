import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createEngine } from '../src/index.js';
import { runScenario } from './model/runScenario.js';
import { scenario } from './model/scenario.js';
import { scoreRuleSet } from './model/scoreArbitraries.js';

// Reproduce a failure with SEGLET_SEED=<seed> (and SEGLET_PATH=<path>) from fast-check's report.
const seed = process.env.SEGLET_SEED === undefined ? undefined : Number(process.env.SEGLET_SEED);
const path = process.env.SEGLET_PATH;
// SEGLET_RUNS=<factor> multiplies the number of runs, to hunt for bugs locally.
const factor = Number(process.env.SEGLET_RUNS ?? 1);
const runs = (n: number) => ({ numRuns: Math.round(n * factor), ...(seed !== undefined && { seed }), ...(path !== undefined && { path, endOnFailure: true }) });

describe('engine equals the naive model', () => {
  it('on random rule sets, event streams and clock moves', () => {
    fc.assert(fc.property(scenario(), (s) => runScenario(s, createEngine)), runs(400));
  });

  it('when time does most of the work (windows, since, abandoned, hold, retention)', () => {
    fc.assert(fc.property(scenario({ timeHeavy: true, steps: 30 }), (s) => runScenario(s, createEngine)), runs(250));
  });

  it('with many events per millisecond (ties, late events, retention by count)', () => {
    fc.assert(fc.property(scenario({ dense: true, steps: 30 }), (s) => runScenario(s, createEngine)), runs(150));
  });

  it('on hour and day scales (durations in seconds and minutes, clock jumps of hours, DST)', () => {
    fc.assert(fc.property(fc.constantFrom(1000, 60_000).chain((unit) => scenario({ unit, timeHeavy: true, steps: 20 })), (s) => runScenario(s, createEngine)), runs(150));
  });

  it('for scores and clusters of since terms (thresholds crossed between named durations)', () => {
    const withScores = fc.tuple(scenario({ timeHeavy: true, steps: 30 }), scoreRuleSet)
      .map(([s, rules]) => {
        const sc = { ...s, rules, steps: s.steps.filter((x) => x.do !== 'setRules') };
        return Object.assign(sc, { [fc.toStringMethod]: () => JSON.stringify(sc, null, 1) });
      });
    fc.assert(fc.property(withScores, (s) => runScenario(s, createEngine)), runs(100));
  });

  it('across rule changes and replays', () => {
    fc.assert(fc.property(scenario({ rulesChanges: true, steps: 15 }), (s) => runScenario(s, createEngine)), runs(200));
  });
});
