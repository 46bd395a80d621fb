import { defineConfig } from 'vitest/config';

// Each package has its own vitest.config.ts (environment, timeouts); coverage is workspace-wide.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'packages/*/vitest.*.config.ts', 'examples/*/vitest.config.ts', 'docs/vitest.config.ts'],
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      exclude: ['**/types.ts', '**/*.d.ts'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: {
        // The engine is the contract every runtime relies on: every line of it is exercised.
        'packages/core/src/**/*.ts': { lines: 100 },
      },
    },
  },
});
