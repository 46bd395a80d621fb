import { defineProject } from 'vitest/config';

// Runs `node main.mjs` (the built @seglet/core, like `npm run demo:day`) and checks its timeline.
export default defineProject({
  test: { name: 'shopper-day', environment: 'node', include: ['test/**/*.test.ts'], testTimeout: 30_000 },
});
