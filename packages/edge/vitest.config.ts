import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// The worker runs in real workerd (miniflare); globalSetup bundles the test workers once.
export default defineProject({
  test: {
    name: 'edge',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    globalSetup: [fileURLToPath(new URL('./test/harness/globalSetup.ts', import.meta.url))],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
