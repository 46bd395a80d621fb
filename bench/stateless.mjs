// Benchmark 1, stateless: 50 attribute rules over 100,000 attribute sets, seglet beside json-logic-js,
// json-rules-engine, GrowthBook's evalCondition and a hand-written plain-JS baseline, all on the same workload.
// The rules are generated once as a small neutral AST, then translated into each library's own rule language,
// so every implementation holds the same logic; the match counts are compared before anything is timed.
import jsonLogic from 'json-logic-js';
import { Engine as RulesEngine } from 'json-rules-engine';
import { evalCondition } from '@growthbook/growthbook';
import { prng, int, pick, medianRounds, medianRoundsAsync, table, fmt, goal, Disagreement } from './lib.mjs';

const RULES = 50;
const SETS = 100_000;
const JRE_SETS = 1_000; // json-rules-engine is promise-based and slow: fewer sets, reported per evaluation
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'SE', 'PL', 'BR', 'MX', 'CA', 'AU', 'JP', 'IN', 'CN', 'KR', 'ZA', 'NG', 'AR'];
const DEVICES = ['mobile', 'tablet', 'desktop'];
const PLANS = ['free', 'pro', 'team', 'enterprise'];
const SOURCES = ['google', 'google_ads', 'facebook', 'fb_ads', 'newsletter', 'twitter', 'bing', 'direct', 'tiktok', 'linkedin'];
const PREFIXES = ['goo', 'fb', 'news', 'tw', 'li', 'face', 'bi'];

// ---- the neutral rule AST: {all|any: [...]} or {attr, op: in|eq|gte|prefix, value} ----
const leaf = (attr, op, value) => ({ attr, op, value });
function countries(rnd) {
  const n = int(rnd, 3, 7);
  const set = new Set();
  while (set.size < n) set.add(pick(rnd, COUNTRIES));
  return [...set];
}
function makeRules(rnd) {
  const rules = [];
  for (let i = 0; i < RULES; i++) {
    switch (i % 5) {
      case 0: rules.push({ kind: 0, all: [leaf('country', 'in', countries(rnd)), leaf('device', 'eq', pick(rnd, DEVICES))] }); break;
      case 1: rules.push({ kind: 1, any: [leaf('plan', 'eq', pick(rnd, PLANS)), leaf('age', 'gte', int(rnd, 40, 75))] }); break;
      case 2: rules.push({ kind: 2, all: [leaf('utm_source', 'prefix', pick(rnd, PREFIXES)), leaf('age', 'gte', int(rnd, 18, 50))] }); break;
      case 3: {
        const [p1, p2] = [pick(rnd, PLANS), pick(rnd, PLANS)];
        rules.push({ kind: 3, all: [leaf('country', 'in', countries(rnd)), { any: [leaf('plan', 'eq', p1), leaf('plan', 'eq', p2)] }, leaf('age', 'gte', int(rnd, 18, 60))] });
        break;
      }
      default: rules.push({ kind: 4, any: [{ all: [leaf('device', 'eq', pick(rnd, DEVICES)), leaf('utm_source', 'prefix', pick(rnd, PREFIXES))] }, leaf('country', 'in', countries(rnd))] });
    }
  }
  return rules;
}
function makeSets(rnd, n) {
  const sets = new Array(n);
  for (let i = 0; i < n; i++) {
    sets[i] = { country: pick(rnd, COUNTRIES), device: pick(rnd, DEVICES), plan: pick(rnd, PLANS), age: int(rnd, 13, 80), utm_source: pick(rnd, SOURCES) };
  }
  return sets;
}

// ---- translations ----
function toJsonLogic(n) {
  if (n.all) return { and: n.all.map(toJsonLogic) };
  if (n.any) return { or: n.any.map(toJsonLogic) };
  const v = { var: n.attr };
  switch (n.op) {
    case 'in': return { in: [v, n.value] };
    case 'eq': return { '===': [v, n.value] };
    case 'gte': return { '>=': [v, n.value] };
    default: return { '===': [{ substr: [v, 0, n.value.length] }, n.value] };
  }
}
function toGrowthBook(n) {
  if (n.all) return { $and: n.all.map(toGrowthBook) };
  if (n.any) return { $or: n.any.map(toGrowthBook) };
  switch (n.op) {
    case 'in': return { [n.attr]: { $in: n.value } };
    case 'eq': return { [n.attr]: n.value };
    case 'gte': return { [n.attr]: { $gte: n.value } };
    default: return { [n.attr]: { $regex: `^${n.value}` } };
  }
}
function toRulesEngine(n) {
  if (n.all) return { all: n.all.map(toRulesEngine) };
  if (n.any) return { any: n.any.map(toRulesEngine) };
  const operator = { in: 'in', eq: 'equal', gte: 'greaterThanInclusive', prefix: 'startsWith' }[n.op];
  return { fact: n.attr, operator, value: n.value };
}
function toSeglet(n) {
  if (n.all) return { all: n.all.map(toSeglet) };
  if (n.any) return { any: n.any.map(toSeglet) };
  return { context: n.attr, [n.op]: n.value };
}

// ---- the hand-written baseline: what a developer would type for each rule shape ----
function handWritten(r) {
  switch (r.kind) {
    case 0: { const [c, d] = [r.all[0].value, r.all[1].value]; return (s) => c.includes(s.country) && s.device === d; }
    case 1: { const [p, a] = [r.any[0].value, r.any[1].value]; return (s) => s.plan === p || s.age >= a; }
    case 2: { const [x, a] = [r.all[0].value, r.all[1].value]; return (s) => s.utm_source.startsWith(x) && s.age >= a; }
    case 3: {
      const [c, p1, p2, a] = [r.all[0].value, r.all[1].any[0].value, r.all[1].any[1].value, r.all[2].value];
      return (s) => c.includes(s.country) && (s.plan === p1 || s.plan === p2) && s.age >= a;
    }
    default: {
      const [d, x, c] = [r.any[0].all[0].value, r.any[0].all[1].value, r.any[1].value];
      return (s) => (s.device === d && s.utm_source.startsWith(x)) || c.includes(s.country);
    }
  }
}

/** Runs benchmark 1; pushes goals into summary. seglet is the core module, or null when it is not built yet. */
export async function runStateless(seglet, summary) {
  console.log(`\n## 1. Stateless: ${RULES} attribute rules x ${SETS.toLocaleString('en-US')} attribute sets (json-rules-engine: ${JRE_SETS.toLocaleString('en-US')} sets)\n`);
  const rnd = prng(0x5e9137);
  const rules = makeRules(rnd);
  const sets = makeSets(rnd, SETS);
  const evals = SETS * RULES;

  const impls = [];
  // plain JS
  const fns = rules.map(handWritten);
  impls.push({ name: 'hand-written JS', ref: 18, count() {
    let m = 0;
    for (let i = 0; i < sets.length; i++) { const s = sets[i]; for (let r = 0; r < fns.length; r++) if (fns[r](s)) m++; }
    return m;
  } });
  // json-logic-js
  const jl = rules.map(toJsonLogic);
  impls.push({ name: 'json-logic-js', ref: 730, count() {
    let m = 0;
    for (let i = 0; i < sets.length; i++) { const s = sets[i]; for (let r = 0; r < jl.length; r++) if (jsonLogic.apply(jl[r], s)) m++; }
    return m;
  } });
  // GrowthBook
  const gb = rules.map(toGrowthBook);
  impls.push({ name: 'GrowthBook evalCondition', ref: 800, count() {
    let m = 0;
    for (let i = 0; i < sets.length; i++) { const s = sets[i]; for (let r = 0; r < gb.length; r++) if (evalCondition(s, gb[r])) m++; }
    return m;
  } });
  // seglet: one engine with 50 context segments; setContext re-evaluates them all
  if (seglet) {
    const segments = {};
    rules.forEach((r, i) => { segments[`r${i}`] = { when: toSeglet(r) }; });
    const engine = seglet.createEngine({ rules: { version: 1, segments }, now: () => 1_700_000_000_000, timeZone: 'UTC', context: { ...sets[0] } });
    impls.push({ name: 'seglet setContext', seglet: true,
      count() {
        let m = 0;
        for (let i = 0; i < sets.length; i++) { engine.setContext(sets[i]); m += engine.members().length; }
        return m;
      },
      run() {
        let c = 0;
        for (let i = 0; i < sets.length; i++) c += engine.setContext(sets[i]).length;
        return c;
      } });
  }

  // correctness first: every implementation must count the same matches (this pass is also the warm-up)
  const counts = impls.map((im) => im.count());
  const expected = counts[0];
  impls.forEach((im, i) => { if (counts[i] !== expected) throw new Disagreement(`stateless: ${im.name} counted ${counts[i]} matches, hand-written JS ${expected}`); });

  const results = [];
  for (const im of impls) {
    const fast = im.name === 'hand-written JS' || im.seglet;
    const { median, cpu } = medianRounds(im.run ?? im.count, { rounds: fast ? 5 : 3, warmup: 0 });
    results.push({ name: im.name, ns: median / evals, cpu: cpu / evals, ref: im.ref, seglet: im.seglet });
  }

  // json-rules-engine: async, one Engine holding the 50 rules, one run() per attribute set
  const jre = new RulesEngine([], { allowUndefinedFacts: true });
  jre.addOperator('startsWith', (a, b) => typeof a === 'string' && a.startsWith(b));
  rules.forEach((r, i) => jre.addRule({ name: `r${i}`, conditions: toRulesEngine(r), event: { type: `r${i}` } }));
  const jreSets = sets.slice(0, JRE_SETS);
  const jreCount = async () => { let m = 0; for (const s of jreSets) m += (await jre.run(s)).events.length; return m; };
  let expectJre = 0;
  for (const s of jreSets) for (const f of fns) if (f(s)) expectJre++;
  const gotJre = await jreCount();
  if (gotJre !== expectJre) throw new Disagreement(`stateless: json-rules-engine counted ${gotJre} matches on ${JRE_SETS} sets, hand-written JS ${expectJre}`);
  const jreTime = await medianRoundsAsync(jreCount, { rounds: 3, warmup: 0 });
  results.push({ name: 'json-rules-engine (async)', ns: jreTime.median / (JRE_SETS * RULES), cpu: jreTime.cpu / (JRE_SETS * RULES) });

  const s = results.find((r) => r.seglet);
  const base = s ?? results[0];
  table(['implementation', 'ns / rule eval', '(cpu)', 'earlier ref (ns)', s ? 'x seglet time' : 'x JS time'],
    results.map((r) => [r.name, fmt(r.ns, 1), fmt(r.cpu, 1), r.ref ? String(r.ref) : '', `${fmt(r.ns / base.ns, 2)}x`]));
  console.log(`\nall implementations agree: ${expected.toLocaleString('en-US')} matches of ${evals.toLocaleString('en-US')} rule evaluations (json-rules-engine: ${gotJre} of ${JRE_SETS * RULES})`);

  const by = (n) => results.find((r) => r.name === n).ns;
  if (s) {
    const vsJl = by('json-logic-js') / s.ns;
    const vsGb = by('GrowthBook evalCondition') / s.ns;
    const vsJs = s.ns / by('hand-written JS');
    goal(summary, 'stateless: >= 10x faster than json-logic-js', `${fmt(vsJl, 1)}x (${fmt(s.ns, 1)} vs ${fmt(by('json-logic-js'), 1)} ns)`, vsJl >= 10);
    goal(summary, 'stateless: >= 10x faster than GrowthBook', `${fmt(vsGb, 1)}x (${fmt(s.ns, 1)} vs ${fmt(by('GrowthBook evalCondition'), 1)} ns)`, vsGb >= 10);
    goal(summary, 'stateless: within 3x of hand-written JS', `${fmt(vsJs, 1)}x (${fmt(s.ns, 1)} vs ${fmt(by('hand-written JS'), 1)} ns)`, vsJs <= 3);
  } else {
    for (const n of ['>= 10x faster than json-logic-js', '>= 10x faster than GrowthBook', 'within 3x of hand-written JS']) goal(summary, `stateless: ${n}`, 'seglet engine not built', null);
  }
  return results;
}
