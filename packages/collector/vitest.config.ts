import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'collector',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    globalSetup: [fileURLToPath(new URL('./test/globalSetup.ts', import.meta.url))],
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});
