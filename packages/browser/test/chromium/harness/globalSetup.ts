import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { buildBundle } from './buildBundle.js';
import { serveStatic, type Mounts } from './serveStatic.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the loopback test server, e.g. `http://127.0.0.1:40123`. */
    chromiumBaseUrl: string;
  }
}

const here = dirname(fileURLToPath(import.meta.url));
const browserDir = resolve(here, '../../..');
const packagesDir = resolve(browserDir, '..');

/**
 * Once per run: make sure Debian's Chromium is installed, build the test bundle, and serve
 * `/` (test pages), `/build/` (test bundles) and `/dist/<package>/` (every package's build).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  execFileSync('sh', [join(browserDir, 'scripts/ensure-chromium.sh')], { stdio: 'inherit' });
  const build = mkdtempSync(join(tmpdir(), 'seglet-build-'));
  await buildBundle(join(here, '../fixtures/storageEntry.ts'), join(build, 'storage.js'), 'SegletTest');
  const mounts: Mounts = { '/': join(here, '../pages'), '/build/': build };
  for (const name of readdirSync(packagesDir)) mounts[`/dist/${name}/`] = join(packagesDir, name, 'dist');
  const { url, server } = await serveStatic(mounts);
  project.provide('chromiumBaseUrl', url);
  return async () => {
    await new Promise((r) => server.close(r));
    rmSync(build, { recursive: true, force: true });
  };
}
