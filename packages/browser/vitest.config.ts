import { defineProject } from 'vitest/config';

// Logic in happy-dom; real-browser behaviour lives in vitest.chromium.config.ts.
export default defineProject({
  test: { name: 'browser', environment: 'happy-dom', include: ['test/unit/**/*.test.ts'] },
});
