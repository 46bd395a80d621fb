import fc from 'fast-check';
import { it } from 'vitest';
import { createModel, type Model } from './createModel.js';
import { scenario, type Scenario } from './scenario.js';

const seed = process.env.SEGLET_SEED === undefined ? undefined : Number(process.env.SEGLET_SEED);

/**
 * The model skips instants where nothing can change (long gaps, nextRealChange). Check that
 * against a model that evaluates every single millisecond: same changes, same next change.
 */
function runPair(s: Scenario): void {
  let clock = s.base;
  const make = (stepLimit: number): Model => createModel({
    rules: structuredClone(s.rules), timeZone: s.timeZone, anonymousId: s.anonymousId, now: () => clock, stepLimit,
    ...(s.context && { context: s.context }), ...(s.traits && { traits: s.traits }),
    events: (s.history ?? []).map((h) => ({ type: h.type, ...(h.props && { props: h.props }), ...(h.dt !== undefined && { t: s.base + h.dt }) })),
  });
  const skipping = make(0);
  const stepping = make(Infinity);
  const same = (what: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${what}: skipping ${JSON.stringify(a)} vs stepping ${JSON.stringify(b)}`);
  };
  const check = (where: string): void => {
    same(`${where} members`, skipping.members(), stepping.members());
    const limit = skipping.lastInstant() + 150;
    const real = skipping.nextRealChange(limit);
    same(`${where} next change`, real, stepping.nextRealChangeByStepping(limit));
  };
  check('create');
  s.steps.forEach((step, i) => {
    const both = (f: (m: Model) => unknown): void => same(`step ${i} ${step.do}`, f(skipping), f(stepping));
    switch (step.do) {
      case 'track': both((m) => m.track(step.type, structuredClone(step.props), step.dt === undefined ? undefined : { t: clock + step.dt })); break;
      case 'advance': {
        const next = skipping.nextRealChange(clock + 2000);
        clock = step.by === 'next' ? next ?? clock + 7 : step.by === 'next-1' ? Math.max(clock, (next ?? clock + 8) - 1) : clock + step.by;
        return;
      }
      case 'tick': both((m) => m.tick()); break;
      case 'setContext': both((m) => m.setContext(structuredClone(step.patch))); break;
      case 'identify': both((m) => m.identify(step.userId, structuredClone(step.traits))); break;
      case 'setRules': both((m) => m.setRules(structuredClone(step.rules))); break;
    }
    check(`step ${i}`);
  });
}

it('model: skipping to candidate instants finds exactly what evaluating every millisecond finds', () => {
  fc.assert(fc.property(scenario({ timeHeavy: true, steps: 20 }), runPair), { numRuns: 40, ...(seed !== undefined && { seed }) });
});
