import { describe, expect, it } from 'vitest';
import { createEngine, validateRules } from '../src/index.js';
import type { RuleSet } from '../src/index.js';
import { errorsOfRules } from './helpers/validation.js';

const errorsOf = errorsOfRules;

describe('validateRules: prototype keys', () => {
  const cases: [string, string][] = [
    ['{"version":1,"segments":{},"__proto__":{"polluted":1}}', '/__proto__'],
    ['{"version":1,"segments":{"__proto__":{"when":{"count":"x","gte":1}}}}', '/segments/__proto__'],
    ['{"version":1,"segments":{"s":{"when":{"count":"x","gte":1},"constructor":1}}}', '/segments/s/constructor'],
    ['{"version":1,"segments":{"s":{"when":{"count":"x","gte":1},"prototype":1}}}', '/segments/s/prototype'],
    ['{"version":1,"segments":{"s":{"when":{"count":"x","gte":1,"__proto__":{"gte":0}}}}}', '/segments/s/when/__proto__'],
    ['{"version":1,"segments":{"s":{"when":{"count":"x","gte":1,"where":{"__proto__":1}}}}}', '/segments/s/when/where/__proto__'],
    ['{"version":1,"segments":{"s":{"when":{"count":"x","gte":1,"where":{"a":{"eq":1,"constructor":1}}}}}}', '/segments/s/when/where/a/constructor'],
    ['{"version":1,"session":{"__proto__":{}},"segments":{}}', '/session/__proto__'],
    ['{"version":1,"segments":{"s":{"when":{"cluster":{"features":[{"value":{"trait":"a"}}],"mean":[0],"scale":[1],"centroids":{"__proto__":[1]}},"eq":"x"}}}}', '/segments/s/when/cluster/centroids/__proto__'],
    ['{"version":1,"segments":{"s":{"when":{"trait":"constructor","eq":1}}}}', '/segments/s/when/trait'],
    ['{"version":1,"segments":{"s":{"when":{"sum":"x","of":"__proto__","gte":1}}}}', '/segments/s/when/of'],
  ];

  it.each(cases)('%s: error at %j, Object.prototype untouched', (json, path) => {
    const errors = errorsOf(JSON.parse(json));
    expect(errors).toContainEqual({ path, message: expect.stringMatching(/"(__proto__|constructor|prototype)" is not allowed as a (key or )?name/) as string });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});

describe('validateRules: a polluted Object.prototype', () => {
  it('does not take inherited properties for required ones', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.weight = 1;
    proto.mean = [0];
    try {
      const when = { cluster: { features: [{ value: { trait: 'a' } }], scale: [1], centroids: { a: [0] } }, eq: 'a' };
      const score = { score: { terms: [{ value: { trait: 'a' } }] }, gt: 0 };
      const errors = errorsOf({ version: 1, segments: { s: { when }, t: { when: score } } });
      expect(errors.map((e) => e.path)).toEqual(['/segments/s/when/cluster/mean', '/segments/t/when/score/terms/0/weight']);
    } finally {
      delete proto.weight;
      delete proto.mean;
    }
  });
});

describe('segment ids and centroid labels "constructor" and "prototype"', () => {
  it('match the patterns of the spec, so they are accepted and work as any other', () => {
    const rules = JSON.parse(`{"version": 1, "segments": {
      "constructor": {"when": {"count": "x", "gte": 1}},
      "prototype": {"when": {"segment": "constructor"}, "hold": "1h"},
      "c": {"when": {"cluster": {"features": [{"value": {"count": "x"}}], "mean": [0], "scale": [1],
        "centroids": {"constructor": [0], "prototype": [1]}}, "eq": "prototype"}}}}`) as RuleSet;
    expect(validateRules(rules)).toEqual({ ok: true, rules, warnings: [] });
    let now = 1000;
    const e = createEngine({ rules, now: () => now });
    const seen: string[] = [];
    e.on('constructor', (c) => seen.push(`${c.segment}:${c.member}`));
    expect(e.track('x')).toEqual([
      { segment: 'constructor', member: true, t: 1000 }, { segment: 'prototype', member: true, t: 1000 }, { segment: 'c', member: true, t: 1000 },
    ]);
    expect(seen).toEqual(['constructor:true']);
    expect(e.explain('c').condition.value).toBe('prototype');
    expect(e.explain('prototype').holds).toBe(true);
    now = 2000;
    expect(e.setRules({ version: 1, segments: { prototype: { when: { count: 'x', gte: 2 } } } })).toEqual([
      { segment: 'constructor', member: false, t: 2000 }, { segment: 'c', member: false, t: 2000 }, { segment: 'prototype', member: false, t: 2000 },
    ]);
    expect(e.has('constructor')).toBe(false);
    expect(() => e.explain('constructor')).toThrow('unknown segment "constructor"');
  });
});
