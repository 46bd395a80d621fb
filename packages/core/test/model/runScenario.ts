import type { Change, Engine, EngineOptions, SegEvent } from '../../src/types.js';
import { createModel, type Model } from './createModel.js';
import type { Scenario, Step } from './scenario.js';
import { guardWakeups } from './wakeGuard.js';

const plain = (cs: readonly Change[]): Change[] => cs.map(({ segment, member, t }) => ({ segment, member, t }));
const log = (es: readonly SegEvent[]): SegEvent[] => es.map(({ type, t, props }) => ({ type, t, props: props ?? {} }));
const show = (x: unknown): string => JSON.stringify(x);

/**
 * Runs one scenario against the engine and the model side by side and throws, naming the step,
 * at the first difference in returned changes, members, retained log or nextChange bounds, or
 * when the engine's wake-ups stop moving forward (see `guardWakeups`), which would otherwise
 * hang the run instead of failing it.
 */
export function runScenario(s: Scenario, createEngine: (options: EngineOptions) => Engine): void {
  guardWakeups(() => { compareRun(s, createEngine); });
}

function compareRun(s: Scenario, createEngine: (options: EngineOptions) => Engine): void {
  let clock = s.base;
  const options = (): EngineOptions => structuredClone({
    rules: s.rules, timeZone: s.timeZone, anonymousId: s.anonymousId,
    ...(s.context && { context: s.context }), ...(s.traits && { traits: s.traits }), ...(s.userId && { userId: s.userId }),
    events: (s.history ?? []).map((h) => ({ type: h.type, ...(h.props && { props: h.props }), ...(h.dt !== undefined && { t: s.base + h.dt }) })),
  });
  const engine = createEngine({ ...options(), now: () => clock });
  const delivered: Change[] = [];
  engine.subscribe((c) => delivered.push(c));
  const model = createModel({ ...options(), timeZone: s.timeZone, anonymousId: s.anonymousId, now: () => clock });
  compare(engine, model, 'createEngine', [], []);

  s.steps.forEach((step, i) => {
    let e: Change[] = [];
    let m: Change[] = [];
    const copy = <T>(x: T): T => structuredClone(x);
    switch (step.do) {
      case 'track': {
        const t = step.dt === undefined ? undefined : { t: clock + step.dt };
        e = engine.track(step.type, copy(step.props), copy(t));
        m = model.track(step.type, copy(step.props), copy(t));
        break;
      }
      case 'advance': {
        const next = engine.nextChange();
        if (step.by === 'next') clock = next ?? clock + 7;
        else if (step.by === 'next-1') clock = Math.max(clock, (next ?? clock + 8) - 1);
        else clock += step.by;
        // queries answer as of the last call: moving the clock alone changes nothing
        if (show(engine.members()) !== show(model.members()) || show(log(engine.events())) !== show(log(model.events()))) {
          throw new Error(`step ${i} advance: members()/events() changed without a call`);
        }
        return;
      }
      case 'tick': e = engine.tick(); m = model.tick(); break;
      case 'setContext': e = engine.setContext(copy(step.patch)); m = model.setContext(copy(step.patch)); break;
      case 'identify': e = engine.identify(step.userId, copy(step.traits)); m = model.identify(step.userId, copy(step.traits)); break;
      case 'setRules': e = engine.setRules(copy(step.rules)); m = model.setRules(copy(step.rules)); break;
    }
    const where = `step ${i} ${describe(step)} at now=${clock}`;
    // subscribers get exactly the returned changes, in order
    if (show(plain(delivered.splice(0))) !== show(plain(e))) throw new Error(`${where}: subscribe() got other changes than returned`);
    compare(engine, model, where, e, m);
  });
}

function describe(step: Step): string {
  return step.do === 'setRules' ? 'setRules' : show(step);
}

function compare(engine: Engine, model: Model, where: string, e: Change[], m: Change[]): void {
  const fail = (what: string, got: unknown, want: unknown): never => {
    throw new Error(`${where}: ${what} differ\n  engine: ${show(got)}\n  model:  ${show(want)}`);
  };
  if (show(plain(e)) !== show(plain(m))) fail('changes', plain(e), plain(m));
  if (show(engine.members()) !== show(model.members())) fail('members', engine.members(), model.members());
  for (const id of model.ids()) {
    if (engine.has(id) !== model.has(id)) fail(`has(${id})`, engine.has(id), model.has(id));
    const x = engine.explain(id);
    const got = { member: x.member, holds: x.holds, holdUntil: x.holdUntil };
    if (show(got) !== show(model.explainState(id))) fail(`explain(${id})`, got, model.explainState(id));
    compareNodes(id, x.condition, model, fail);
  }
  if (engine.userId !== model.userId()) fail('userId', engine.userId, model.userId());
  if (show(log(engine.events())) !== show(log(model.events()))) fail('events()', log(engine.events()), log(model.events()));
  const next = engine.nextChange();
  const last = model.lastInstant();
  if (next !== null && !(next > last)) fail(`nextChange must be null or > last processed instant ${last}`, next, `> ${last}`);
  // nextChange is never later than the next real change: no change may be due before it.
  const real = model.nextRealChange(next === null ? undefined : next - 1);
  if (real !== null) fail('nextChange (must be <= next real change)', next, real);
}

/** Every sub-condition of `id`'s explain() tree against the model's from-scratch verdict and value. */
function compareNodes(id: string, condition: unknown, model: Model, fail: (what: string, got: unknown, want: unknown) => never): void {
  const nodes: { path: string; verdict: boolean; value?: unknown }[] = [];
  const walk = (n: { path: string; verdict: boolean; value?: unknown; children?: unknown[] }): void => {
    nodes.push({ path: n.path, verdict: n.verdict, ...('value' in n && { value: n.value }) });
    for (const c of n.children ?? []) walk(c as never);
  };
  walk(condition as never);
  const norm = (v: unknown): string => (typeof v === 'number' ? String(v) : show(v));
  for (const w of model.explainNodes(id)) {
    const g = nodes.find((n) => n.path === w.path);
    if (!g) fail(`explain(${id}) node ${w.path} missing`, nodes.map((n) => n.path), w.path);
    else if (g.verdict !== w.verdict) fail(`explain(${id}) verdict at ${w.path}`, g, w);
    else if ('value' in w && norm(g.value) !== norm(w.value)) fail(`explain(${id}) value at ${w.path}`, g, w);
  }
}
