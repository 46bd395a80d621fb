import { defineProject } from 'vitest/config';

// Real headless Chromium (Debian's /usr/bin/chromium through playwright-core), pages served on loopback.
export default defineProject({
  test: {
    name: 'chromium', environment: 'node', include: ['test/chromium/**/*.test.ts'],
    testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false,
    // Installs Debian's Chromium when missing, builds the test bundle, serves pages on 127.0.0.1.
    globalSetup: ['test/chromium/harness/globalSetup.ts'],
  },
});
