import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/index.js';
import { runCase } from './cases/runCase.js';
import type { EngineCase } from './cases/runCase.js';

const cases = JSON.parse(readFileSync(new URL('./cases/engine-cases.json', import.meta.url), 'utf8')) as EngineCase[];

describe('shared engine cases (cases/engine-cases.json)', () => {
  it('has at least 40 cases with unique names, covering every condition kind', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c[0])).size).toBe(cases.length);
    const kinds = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          kinds.add(k);
          walk(v);
        }
      }
    };
    for (const c of cases) walk(Object.values(c[1].segments).map((s) => s.when));
    for (const kind of ['all', 'any', 'not', 'count', 'sum', 'min', 'max', 'avg', 'distinct', 'last', 'since', 'abandoned', 'session', 'context', 'trait', 'segment', 'bucket', 'score', 'cluster']) {
      expect(kinds, kind).toContain(kind);
    }
  });

  it.each(cases.map((c) => [c[0], c] as const))('%s', (_name, kase) => {
    const { ok, diff } = runCase(createEngine, kase);
    expect(diff).toBe('');
    expect(ok).toBe(true);
  });
});
