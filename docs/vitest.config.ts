import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// The docs are checked against the core's source, like the CLI's tests; only pack.test.ts reads
// the build (what each package's tarball holds), which `npm test` runs first.
export default defineProject({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { alias: { '@seglet/core': fileURLToPath(new URL('../packages/core/src/index.ts', import.meta.url)) } },
  test: { name: 'docs', environment: 'node', include: ['test/**/*.test.ts'] },
});
