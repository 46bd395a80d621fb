import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkers } from './bundleWorker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    edgeBundles: { personalize: string; cases: string; example: string; precompressed: string };
  }
}

/** Bundles the test workers once for every test file, into a temp dir removed afterwards. */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'seglet-edge-'));
  const bundles = await bundleWorkers({
    personalize: 'test/workers/personalizeWorker.ts',
    cases: 'test/workers/casesWorker.ts',
    example: '../../examples/edge-worker/src/index.ts',
    precompressed: 'test/workers/precompressedWorker.ts',
  }, dir);
  project.provide('edgeBundles', bundles);
  return () => rmSync(dir, { recursive: true, force: true });
}
