// Runs one shared engine case. Plain JavaScript with no Node or DOM dependency, so the same
// cases run in Node, in Chromium and in workerd against whatever createEngine they are given.

/** The anonymous id every case runs with (bucket cases depend on it). */
export const CASE_ANONYMOUS_ID = 'seglet-case-visitor';

/** The time zone every case runs in (hour and weekday cases depend on it). */
export const CASE_TIME_ZONE = 'UTC';

const ACTIONS = ['track', 'tick', 'setContext', 'identify'];

function show(value) {
  return JSON.stringify(value);
}

function describeError(e) {
  if (e && typeof e === 'object') return `${e.name || 'Error'}${e.code ? `(${e.code})` : ''}: ${e.message}`;
  return String(e);
}

function perform(engine, step) {
  const actions = ACTIONS.filter((k) => step[k] !== undefined);
  if (actions.length !== 1) throw new Error(`a step needs exactly one of ${ACTIONS.join(', ')}; got ${actions.join(', ') || 'none'}`);
  switch (actions[0]) {
    case 'track': {
      const { type, props, t } = step.track;
      return engine.track(type, props, t === undefined ? undefined : { t });
    }
    case 'tick':
      return engine.tick();
    case 'setContext':
      return engine.setContext(step.setContext);
    default: {
      const [userId, traits] = step.identify;
      return traits === undefined ? engine.identify(userId) : engine.identify(userId, traits);
    }
  }
}

/**
 * Runs `kase` = [name, rules, steps, expected] against `createEngine`.
 * The engine is created at the first step's `now`, with a fake clock that each step sets to its `now`.
 * After each step, `members()` and the step's returned changes are compared with `expected[i]`.
 * @param {(options: object) => any} createEngine
 * @param {[string, object, object[], { members: string[], changes: [string, boolean, number][] }[]]} kase
 * @returns {{ ok: boolean, diff: string }}
 */
export function runCase(createEngine, kase) {
  const [name, rules, steps, expected] = kase;
  if (!Array.isArray(steps) || !Array.isArray(expected) || steps.length !== expected.length || steps.length === 0) {
    return { ok: false, diff: `${name}: steps and expected must be non-empty arrays of the same length` };
  }
  let now = steps[0].now;
  let engine;
  try {
    engine = createEngine({ rules, now: () => now, timeZone: CASE_TIME_ZONE, anonymousId: CASE_ANONYMOUS_ID });
  } catch (e) {
    return { ok: false, diff: `${name}: createEngine threw ${describeError(e)}` };
  }
  const diffs = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const want = expected[i];
    now = step.now;
    let changes;
    try {
      changes = perform(engine, step);
    } catch (e) {
      diffs.push(`step ${i} ${show(step)} threw ${describeError(e)}`);
      break;
    }
    const gotChanges = Array.from(changes, (c) => [c.segment, c.member, c.t]);
    const gotMembers = engine.members();
    if (show(gotChanges) !== show(want.changes)) {
      diffs.push(`step ${i} ${show(step)}: changes ${show(gotChanges)}, expected ${show(want.changes)}`);
    }
    if (show(gotMembers) !== show(want.members)) {
      diffs.push(`step ${i} ${show(step)}: members ${show(gotMembers)}, expected ${show(want.members)}`);
    }
  }
  return { ok: diffs.length === 0, diff: diffs.length ? `${name}:\n  ${diffs.join('\n  ')}` : '' };
}
