import { defineProject } from 'vitest/config';

// SEGLET_RUNS multiplies the property tests' runs (bug hunts): their time limit grows with it.
const factor = Math.max(1, Number(process.env.SEGLET_RUNS ?? 1) || 1);

export default defineProject({
  test: { name: 'core', environment: 'node', include: ['test/**/*.test.ts'], testTimeout: 120_000 * factor },
});
