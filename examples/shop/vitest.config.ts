import { defineProject } from 'vitest/config';

// Runs `node main.mjs --headless` (real Chromium, real collector) once and checks what it printed.
export default defineProject({
  test: {
    name: 'shop', environment: 'node', include: ['test/**/*.test.ts'],
    testTimeout: 30_000, hookTimeout: 240_000,
    // Installs Debian's Chromium when missing, as the browser package's Chromium project does.
    globalSetup: ['test/ensureChromium.ts'],
  },
});
