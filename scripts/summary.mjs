// Prints the run's totals as one plain line ("tests: N passed, N failed"), which CI logs are read for.
import { readFileSync } from 'node:fs';

const r = JSON.parse(readFileSync(new URL('../.vitest/results.json', import.meta.url), 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
