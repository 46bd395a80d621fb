import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startWorker } from './harness/startWorker.js';

const cases = JSON.parse(readFileSync(new URL('../../core/test/cases/engine-cases.json', import.meta.url), 'utf8')) as unknown[];

let mf: Miniflare;
beforeAll(async () => {
  mf = await startWorker(inject('edgeBundles').cases);
});
afterAll(() => mf?.dispose());

describe('shared engine cases in workerd (Node and workerd agree)', () => {
  it('runs every case of packages/core/test/cases/engine-cases.json with @seglet/core inside workerd, all passing', async () => {
    const res = await mf.dispatchFetch('http://cases.test/');
    const { count, results } = (await res.json()) as { count: number; results: { name: string; ok: boolean; diff: string }[] };
    expect(count).toBe(cases.length);
    expect(count).toBeGreaterThanOrEqual(40);
    const failed = results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.diff}`);
    expect(failed).toEqual([]);
    console.info(`seglet edge: ${results.filter((r) => r.ok).length}/${count} shared engine cases pass in workerd`);
  });
});
