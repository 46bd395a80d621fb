import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// Commands are plain functions over files: no spawning, no build needed. Tests run against the
// core's source, like tsc does, so they never depend on a stale dist.
export default defineProject({
  resolve: { alias: { '@seglet/core': fileURLToPath(new URL('../core/src/index.ts', import.meta.url)) } },
  test: {
    name: 'cli',
    environment: 'node',
    include: ['test/**/*.test.ts'],
  },
});
